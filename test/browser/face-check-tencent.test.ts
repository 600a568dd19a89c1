import type { Browser, Page } from 'playwright-core';
import { faceIdEnv, startTestFaceId, type FakeFaceId } from '../helpers/fake-faceid';
import { PERSON, VIEWPORT, askAgainWithSameId, describeInChromium, issueLink, launchChromium, look, openPhone, serve, shown, snap, type Phone, type Served } from './helpers';

jest.setTimeout(90_000);

/**
 * The real provider's flow in Chromium at phone size, against the fake FaceID: from the menu to
 * our page, the tap, the provider's page, and back to our server, which asks the provider and
 * decides. A failure's tip and a fresh try, the day's cap and the offline ways, a pass for somebody
 * else, and a return that names another session.
 */
describeInChromium('a face check through Tencent’s FaceID flow, in Chromium', () => {
  let browser: Browser;
  let fake: FakeFaceId;
  let app: Served;
  let phone: Phone;

  beforeAll(async () => {
    browser = await launchChromium();
    fake = await startTestFaceId();
  });
  afterAll(async () => {
    await browser?.close();
    await fake?.close();
  });
  beforeEach(async () => {
    fake.reset();
    app = await serve({ env: faceIdEnv(fake) });
  });
  afterEach(async () => {
    await phone?.close();
    await app?.close();
  });

  /** The follower taps the menu, walks the dialogue, and opens the link on the phone. */
  async function openLink(): Promise<{ page: Page; linkPath: string; openid: string }> {
    const follower = app.t.follower();
    const linkPath = await issueLink(app.t, follower);
    phone = await openPhone(browser, app.origin, { allow: [fake.url] });
    await phone.page.goto(app.origin + linkPath);
    return { page: phone.page, linkPath, openid: follower.openid };
  }
  /** Taps our button and waits for the provider's page. */
  async function toProvider(page: Page, button: string) {
    await page.getByRole('button', { name: button }).tap();
    await page.waitForURL(`${fake.url}/h5/**`);
  }
  /** Taps a choice on the provider's page and waits to be back on ours. */
  async function finish(page: Page, choice: string | RegExp) {
    await page.getByRole('button', { name: choice, exact: typeof choice === 'string' }).tap();
    await page.waitForURL(`${app.origin}/face-check/*/return?BizToken=*`);
  }
  function expectCleanRun() {
    expect(phone.problems).toEqual([]);
    expect(phone.outside).toEqual([]);
  }

  it('goes from the menu to a passed check through the provider’s page', async () => {
    const { page, openid } = await openLink();
    const who = await shown(page.locator('.who'));
    expect(who).toContain(PERSON.maskedName);
    expect(await shown(page.locator('.prepare'))).toContain('摘下帽子、眼镜和口罩');
    const button = await look(page, '#start button');
    // The one button is on the first screen, under the preparation, without scrolling.
    expect(button.bottom).toBeLessThanOrEqual(VIEWPORT.height);
    expect(button.height).toBeGreaterThanOrEqual(60);
    expect(button.fontPx).toBeGreaterThanOrEqual(26);
    expect((await look(page, '.prepare li')).fontPx).toBeGreaterThanOrEqual(24);
    expect(fake.sessions).toHaveLength(0);
    await snap(page, 'tencent-start', true);
    for (const secret of [PERSON.name, PERSON.id, PERSON.phone]) expect(await page.content()).not.toContain(secret);

    const referers: string[] = [];
    page.on('request', (r) => void (r.url().startsWith(fake.url) && referers.push(r.headers()['referer'] ?? '')));
    await toProvider(page, '开始人脸识别');
    expect(fake.sessions).toHaveLength(1);
    // The provider never learns our link from a Referer.
    expect(referers.length).toBeGreaterThan(0);
    expect(referers.filter((r) => r.includes('/face-check/'))).toEqual([]);
    await snap(page, 'tencent-provider');
    await finish(page, '通过');
    expect(await shown(page.locator('h2:visible'))).toBe('认证成功');
    expect(await page.locator('.ok').innerText()).toContain(PERSON.maskedName);
    await snap(page, 'tencent-passed');
    expect(app.t.notifier.sent).toEqual([{ openid, text: expect.stringContaining('认证成功') }]);
    expect(await askAgainWithSameId(app.t)).toContain('本认证周期已认证');
    expectCleanRun();
  });

  it('after a failure shows one plain tip and tries again with a fresh session, which passes', async () => {
    const { page } = await openLink();
    await toProvider(page, '开始人脸识别');
    await finish(page, /光线太暗/);
    expect(await shown(page.locator('.tip'))).toContain('光线不好');
    expect(await shown(page.locator('.lead.retry'))).toContain('今天还可以再试 2 次');
    expect((await look(page, '.tip strong')).fontPx).toBeGreaterThanOrEqual(28);
    // After a try the button comes right after the tip, on the first screen.
    expect((await look(page, '#start button')).bottom).toBeLessThanOrEqual(VIEWPORT.height);
    await snap(page, 'tencent-failed-light', true);
    expect(app.t.notifier.sent).toEqual([]);

    await toProvider(page, '再试一次');
    expect(fake.sessions).toHaveLength(2);
    await finish(page, '通过');
    expect(await shown(page.locator('h2:visible'))).toBe('认证成功');
    expect(app.t.notifier.sent).toHaveLength(1);
    expectCleanRun();
  });

  it('stops after three failures in a day and shows the offline ways instead of another try', async () => {
    const { page } = await openLink();
    await toProvider(page, '开始人脸识别');
    await finish(page, /活体检测未通过/);
    await toProvider(page, '再试一次');
    await finish(page, /人脸不完整/);
    expect(await shown(page.locator('.tip'))).toContain('没有看到整张脸');
    await toProvider(page, '再试一次');
    await finish(page, /网络不稳定/);

    expect(await shown(page.locator('h2:visible'))).toBe('请换一种方式认证');
    const ways = await shown(page.locator('.ways'));
    for (const way of ['上门认证', '社区', '新城区社会保险事业服务中心']) expect(ways).toContain(way);
    expect(await page.locator('a[href="tel:0471-3670679"]').isVisible()).toBe(true);
    expect(await page.locator('#start button').isVisible()).toBe(false);
    await snap(page, 'tencent-offline', true);
    expect(app.t.notifier.sent).toEqual([expect.objectContaining({ text: expect.stringContaining('没有通过') })]);
    expectCleanRun();
  });

  it('does not count a pass for somebody else: the mismatch tip, and no try button that could not help', async () => {
    const { page } = await openLink();
    await toProvider(page, '开始人脸识别');
    await finish(page, '通过，但认出的是另一个人');
    expect(await shown(page.locator('.tip'))).toContain('姓名和身份证号对不上');
    expect(await page.locator('#start button').isVisible()).toBe(false);
    expect(await page.locator('.ways').isVisible()).toBe(true);
    await snap(page, 'tencent-mismatch', true);
    expect(app.t.notifier.sent).toEqual([]);
    expect(await askAgainWithSameId(app.t)).not.toContain('本认证周期已认证');
  });

  it('certifies nobody when the browser comes back unfinished or with another session’s BizToken', async () => {
    const { page, linkPath } = await openLink();
    await toProvider(page, '开始人脸识别');
    await page.getByRole('link', { name: '不做完，直接返回' }).tap();
    await page.waitForURL(`${app.origin}/face-check/*/return?BizToken=*`);
    expect(await shown(page.locator('h2:visible'))).toBe('人脸识别还没有做完');
    await snap(page, 'tencent-pending', true);

    fake.finish(fake.sessions[0]!.bizToken, 0);
    const forged = await page.goto(`${app.origin}${linkPath}/return?BizToken=6D6F3D1E-0000-0000-0000-000000000000`);
    expect(forged?.status()).toBe(400);
    expect(await shown(page.locator('h2:visible'))).toBe('人脸识别还没有做完');
    expect(app.t.notifier.sent).toEqual([]);
    expect(await page.locator('#start button').isVisible()).toBe(true);
  });
});
