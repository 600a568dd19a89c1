import type { Browser, Response } from 'playwright-core';
import {
  PERSON, VIEWPORT, askAgainWithSameId, describeInChromium, eventually, gone, issueLink, launchChromium, look, openPhone, serve, shown, snap,
  type Phone, type PhoneOptions, type Served,
} from './helpers';

jest.setTimeout(60_000);

describeInChromium('the face-check page on a phone in Chromium', () => {
  let browser: Browser;
  let app: Served;
  let phone: Phone;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    app = await serve();
  });
  afterEach(async () => {
    await phone?.close();
    await app?.close();
  });

  /** A follower gets a link in the dialogue and opens it on the phone. */
  async function openLink(opts: PhoneOptions = {}) {
    const follower = app.t.follower();
    const linkPath = await issueLink(app.t, follower);
    phone = await openPhone(browser, app.origin, opts);
    const response = (await phone.page.goto(app.origin + linkPath)) as Response;
    return { follower, linkPath, response, page: phone.page };
  }

  function expectCleanRun() {
    expect(phone.problems).toEqual([]);
    expect(phone.outside).toEqual([]);
    expect(phone.requests.every((u) => u.startsWith(`${app.origin}/`))).toBe(true);
  }

  it('shows who is certified and the first instruction; 模拟通过 records the pass and messages the follower', async () => {
    const { follower, response, page } = await openLink();

    expect(response.status()).toBe(200);
    const csp = response.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');

    const who = await shown(page.locator('.who'));
    expect(who).toContain(PERSON.maskedName);
    expect(who).toContain(PERSON.category);
    expect(await shown(page.locator('.sim-band'))).toContain('模拟页面');
    const html = await page.content();
    const { idHashSecret, wechat } = app.t.rt.config;
    for (const secret of [PERSON.name, PERSON.id, PERSON.phone, '139****2345', idHashSecret, wechat.appSecret, wechat.token, ...wechat.aesKeys]) {
      expect(html).not.toContain(secret);
    }
    await snap(page, 'intro');

    const start = await look(page, '#start');
    expect(start.bottom).toBeLessThanOrEqual(VIEWPORT.height);
    expect(start.height).toBeGreaterThanOrEqual(56);

    await page.getByRole('button', { name: '开始认证' }).tap();
    expect(await shown(page.locator('#actions li:not([hidden]) .say'))).toBe('请眨眨眼');
    expect(await shown(page.locator('#count'))).toMatch(/第\s*1\s*步，共\s*3\s*步/);
    expect(await page.locator('#actions li:visible').count()).toBe(1);
    // Spoken or not, the instruction is on screen; where the phone cannot speak, the read-aloud line shows.
    await shown(page.locator('#voice-on:visible, #voice-off:visible'));
    const say = await look(page, '#actions li:not([hidden]) .say');
    expect(say.fontPx).toBeGreaterThanOrEqual(40);
    expect(say.bottom).toBeLessThanOrEqual(VIEWPORT.height);
    expect((await look(page, '#pass')).bottom).toBeLessThanOrEqual(VIEWPORT.height);
    await snap(page, 'action');

    await page.getByRole('button', { name: '模拟通过' }).tap();
    await shown(page.getByRole('heading', { name: '认证成功' }));
    const passed = await shown(page.locator('#passed'));
    expect(passed).toContain(`${PERSON.maskedName}（${PERSON.category}）`);
    expect(passed).toContain('2026年度的资格认证已经完成');
    expect(passed).toContain('请回到微信');
    await gone(page.locator('#act'));
    await snap(page, 'passed');

    expect(app.t.notifier.sent).toHaveLength(1);
    expect(app.t.notifier.sent[0]).toMatchObject({ openid: follower.openid });
    expect(app.t.notifier.sent[0]!.text).toMatch(/^认证成功/);
    expect(app.t.notifier.sent[0]!.text).toContain(PERSON.maskedName);
    expect(await askAgainWithSameId(app.t)).toContain('本认证周期已认证');
    expectCleanRun();
  });

  it('模拟未通过 shows how to retry and the help numbers, and writes no record', async () => {
    const { follower, page } = await openLink();
    await page.getByRole('button', { name: '开始认证' }).tap();
    await page.getByRole('button', { name: '模拟未通过' }).tap();

    await shown(page.getByRole('heading', { name: '没有通过' }));
    const failed = await shown(page.locator('#failed'));
    expect(failed).toContain('发送“认证”');
    expect(failed).toContain('点左上角的“×”');
    expect(await page.getByRole('link', { name: /0471-3670679/ }).getAttribute('href')).toBe('tel:0471-3670679');
    expect(await page.getByRole('link', { name: /0471-3670075/ }).getAttribute('href')).toBe('tel:0471-3670075');
    expect((await look(page, '#failed a[href^="tel:"]')).height).toBeGreaterThanOrEqual(56);
    await snap(page, 'failed', true);

    expect(app.t.notifier.sent).toHaveLength(1);
    expect(app.t.notifier.sent[0]).toMatchObject({ openid: follower.openid });
    expect(app.t.notifier.sent[0]!.text).toContain('没有通过');
    const again = await askAgainWithSameId(app.t);
    expect(again).not.toContain('本认证周期已认证');
    expect(again).toContain('手机号');
    expectCleanRun();
  });

  it('speaks each instruction in Chinese where the phone has a Chinese voice, and moves on when it has been said', async () => {
    const linkPath = await issueLink(app.t, app.t.follower());
    phone = await openPhone(browser, app.origin, { speech: 'chinese' });
    const { page } = phone;
    await page.clock.install();
    await page.goto(app.origin + linkPath);
    await page.getByRole('button', { name: '开始认证' }).tap();
    await page.clock.runFor(100);

    await shown(page.locator('#voice-on'));
    await gone(page.locator('#voice-off'));
    expect(await phone.spoken()).toEqual([{ text: '请眨眨眼', lang: 'zh-CN', voiceLang: 'zh-CN' }]);

    await page.getByRole('button', { name: '再说一遍' }).tap();
    await page.clock.runFor(100);
    expect((await phone.spoken()).map((s) => s.text)).toEqual(['请眨眨眼', '请眨眨眼']);

    // The voice takes 300 ms here; the next action comes a pause after it ends.
    await page.clock.runFor(300 + 4_000);
    expect(await shown(page.locator('#actions li:not([hidden]) .say'))).toBe('请张张嘴');
    expect((await phone.spoken()).map((s) => s.text)).toEqual(['请眨眨眼', '请眨眨眼', '请张张嘴']);

    await page.getByRole('button', { name: '模拟通过' }).tap();
    await shown(page.getByRole('heading', { name: '认证成功' }));
    await page.clock.runFor(100);
    expect((await phone.spoken()).at(-1)).toEqual({ text: '认证成功。请回到微信。', lang: 'zh-CN', voiceLang: 'zh-CN' });
    expectCleanRun();
  });

  it('asks a relative to read aloud where the phone cannot speak', async () => {
    const { page } = await openLink({ speech: 'none' });
    await page.getByRole('button', { name: '开始认证' }).tap();

    expect(await shown(page.locator('#actions li:not([hidden]) .say'))).toBe('请眨眨眼');
    expect(await shown(page.locator('#voice-off'))).toContain('请家人把上面的大字读给老人听');
    expect(await page.getByRole('button', { name: '再说一遍' }).isVisible()).toBe(false);
    expectCleanRun();
  });

  it('does not read Chinese with a foreign voice: the read-aloud line shows instead', async () => {
    const { page } = await openLink({ speech: 'english-only' });
    await page.getByRole('button', { name: '开始认证' }).tap();

    expect(await shown(page.locator('#actions li:not([hidden]) .say'))).toBe('请眨眨眼');
    expect(await shown(page.locator('#voice-off'))).toContain('请家人把上面的大字读给老人听');
    expect(await phone.spoken()).toEqual([]);
    expectCleanRun();
  });

  it('moves through the actions one at a time, then offers to start over', async () => {
    const follower = app.t.follower();
    const linkPath = await issueLink(app.t, follower);
    phone = await openPhone(browser, app.origin, { speech: 'none' });
    const { page } = phone;
    await page.clock.install();
    await page.goto(app.origin + linkPath);
    await page.getByRole('button', { name: '开始认证' }).tap();

    const action = () => shown(page.locator('#actions li:not([hidden]) .say'));
    expect(await action()).toBe('请眨眨眼');
    await page.clock.runFor(6_000);
    expect(await action()).toBe('请眨眨眼');
    await page.clock.runFor(1_500);
    expect(await action()).toBe('请张张嘴');
    expect(await shown(page.locator('#count'))).toMatch(/第\s*2\s*步/);
    await page.clock.runFor(7_500);
    expect(await action()).toBe('请左右摇摇头');
    await page.clock.runFor(7_500);
    expect(await shown(page.locator('#finished'))).toContain('动作做完了');
    await gone(page.locator('#actions'));
    await page.getByRole('button', { name: '从头再做一遍' }).tap();
    expect(await action()).toBe('请眨眨眼');
    expectCleanRun();
  });

  it('starts in 关怀大字版, and one tap switches to the standard size and back', async () => {
    const { page } = await openLink();
    const toggle = page.locator('#care');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    const big = await look(page, '.lead');
    expect(big.fontPx).toBeGreaterThanOrEqual(24);
    expect(big.contrast).toBeGreaterThanOrEqual(7);
    expect((await look(page, '#care')).height).toBeGreaterThanOrEqual(56);

    await toggle.tap();
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    const standard = await look(page, '.lead');
    expect(standard.fontPx).toBeLessThan(big.fontPx);
    expect(standard.fontPx).toBeGreaterThanOrEqual(22);
    await toggle.tap();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    expect((await look(page, '.lead')).fontPx).toBe(big.fontPx);
    expectCleanRun();
  });

  it('keeps text large and in high contrast from the first screen to the result', async () => {
    const { page } = await openLink();
    for (const sel of ['body', '.lead', '.who dd']) {
      const l = await look(page, sel);
      expect({ sel, ok: l.fontPx >= 22 && l.contrast >= 7 }).toEqual({ sel, ok: true });
    }
    for (const sel of ['#start', '#care']) expect((await look(page, sel)).contrast).toBeGreaterThanOrEqual(4.5);
    await page.getByRole('button', { name: '开始认证' }).tap();
    for (const sel of ['#pass', '#fail']) {
      const l = await look(page, sel);
      expect({ sel, height: l.height >= 56, contrast: l.contrast >= 4.5, font: l.fontPx >= 22 }).toEqual({ sel, height: true, contrast: true, font: true });
    }
    expect((await look(page, '.sim-box p')).contrast).toBeGreaterThanOrEqual(7);
    await page.getByRole('button', { name: '模拟通过' }).tap();
    await shown(page.locator('#passed'));
    for (const sel of ['#passed p', '#passed .back p']) {
      const l = await look(page, sel);
      expect({ sel, ok: l.fontPx >= 22 && l.contrast >= 7 }).toEqual({ sel, ok: true });
    }
    expect((await look(page, '#passed h2')).contrast).toBeGreaterThanOrEqual(4.5);
    expect((await look(page, '#passed .back')).bottom).toBeLessThanOrEqual(VIEWPORT.height);
  });

  it('offers a 回到微信 button inside WeChat that closes the page', async () => {
    const { page } = await openLink({ wechatBridge: true });
    await page.getByRole('button', { name: '开始认证' }).tap();
    await page.getByRole('button', { name: '模拟通过' }).tap();
    const back = page.locator('#passed').getByRole('button', { name: '回到微信' });
    await shown(back);
    await snap(page, 'passed-in-wechat');
    await back.tap();
    expect(await phone.bridgeCalls()).toEqual(['closeWindow']);
    expectCleanRun();
  });

  it('keeps the buttons when the network drops, and a second tap gets through', async () => {
    const { page, linkPath } = await openLink();
    let dropped = 0;
    await page.route(`**${linkPath}/complete`, async (route) => {
      if (dropped++ === 0) await route.abort('internetdisconnected');
      else await route.fallback();
    });
    await page.getByRole('button', { name: '开始认证' }).tap();
    await page.getByRole('button', { name: '模拟通过' }).tap();
    await eventually(async () => expect(await page.locator('#sending').innerText()).toContain('网络不好'));
    expect(await page.getByRole('button', { name: '模拟通过' }).isEnabled()).toBe(true);
    expect(app.t.notifier.sent).toHaveLength(0);

    await page.getByRole('button', { name: '模拟通过' }).tap();
    await shown(page.getByRole('heading', { name: '认证成功' }));
    expect(app.t.notifier.sent).toHaveLength(1);
    expect(phone.outside).toEqual([]);
    expect(phone.problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(p))).toEqual([]);
  });

  it('says kindly that the link can no longer be used when it expired while the page was open', async () => {
    const { page } = await openLink();
    await page.getByRole('button', { name: '开始认证' }).tap();
    app.t.clock.advance(16 * 60_000);
    await page.getByRole('button', { name: '模拟通过' }).tap();

    await shown(page.getByRole('heading', { name: '链接不能用了' }));
    const gonePage = await shown(page.locator('#gone'));
    expect(gonePage).toContain('这个链接已经过期了');
    expect(gonePage).not.toContain('已经用过');
    expect(gonePage).not.toContain('认证成功');
    expect(gonePage).toContain('发送“认证”');
    await snap(page, 'expired-while-open');
    expect(app.t.notifier.sent).toEqual([]);
    expect(await askAgainWithSameId(app.t)).not.toContain('本认证周期已认证');
    expect(phone.outside).toEqual([]);
    // The 410 of the refused callback is the only console line Chromium writes.
    expect(phone.problems.filter((p) => !/status of 410/.test(p))).toEqual([]);
  });
});
