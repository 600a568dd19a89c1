import type { Browser, Page, Response } from 'playwright-core';
import { describeInChromium, issueLink, launchChromium, look, openPhone, serve, shown, snap, VIEWPORT, type Phone, type Served } from './helpers';

jest.setTimeout(60_000);

describeInChromium('the face-check pages for links that cannot be used, in Chromium', () => {
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
    phone = await openPhone(browser, app.origin);
  });
  afterEach(async () => {
    await phone?.close();
    await app?.close();
  });

  /** What every kind page must do: say what happened, what to do next, whom to call; strictly, locally. */
  async function expectKindPage(page: Page, response: Response, status: number, title: string) {
    expect(response.status()).toBe(status);
    const csp = response.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await shown(page.getByRole('heading', { level: 1 }))).toBe(title);
    const main = await shown(page.locator('main'));
    expect(main).toContain('发送“认证”');
    expect(main).toContain('回到微信');
    expect(main).not.toContain('{{');
    expect(await page.getByRole('link', { name: /0471-3670679/ }).getAttribute('href')).toBe('tel:0471-3670679');
    expect(await page.getByRole('link', { name: /0471-3670075/ }).getAttribute('href')).toBe('tel:0471-3670075');

    const heading = await look(page, 'h1');
    expect(heading.bottom).toBeLessThanOrEqual(VIEWPORT.height);
    const body = await look(page, '.message');
    expect(body.fontPx).toBeGreaterThanOrEqual(22);
    expect(body.contrast).toBeGreaterThanOrEqual(7);
    expect((await look(page, '.todo')).bottom).toBeLessThanOrEqual(VIEWPORT.height);
    expect((await look(page, 'a[href^="tel:"]')).height).toBeGreaterThanOrEqual(56);

    // A 4xx document makes Chromium log "Failed to load resource"; anything else is a problem.
    expect(phone.problems.filter((p) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(p))).toEqual([]);
    expect(phone.outside).toEqual([]);
  }

  it('an expired link gets the kind expired page with a 410', async () => {
    const linkPath = await issueLink(app.t, app.t.follower());
    app.t.clock.advance(16 * 60_000);
    const response = (await phone.page.goto(app.origin + linkPath)) as Response;

    await expectKindPage(phone.page, response, 410, '这个认证链接已经过期了');
    expect(await shown(phone.page.locator('.message'))).toContain('重新办理一次就好');
    await snap(phone.page, 'expired', true);
    expect(app.t.notifier.sent).toEqual([]);
  });

  it('a used link gets the kind used page with a 410, pointing to the result message', async () => {
    const linkPath = await issueLink(app.t, app.t.follower());
    await phone.page.goto(app.origin + linkPath);
    await phone.page.getByRole('button', { name: '开始认证' }).tap();
    await phone.page.getByRole('button', { name: '模拟通过' }).tap();
    await shown(phone.page.getByRole('heading', { name: '认证成功' }));

    const response = (await phone.page.reload()) as Response;
    await expectKindPage(phone.page, response, 410, '这个认证链接已经用过了');
    expect(await shown(phone.page.locator('.message'))).toContain('微信里会收到结果消息');
    await snap(phone.page, 'used');
  });

  it('an unknown link gets the kind not-found page with a 404', async () => {
    const response = (await phone.page.goto(`${app.origin}/face-check/${'A'.repeat(32)}`)) as Response;
    await expectKindPage(phone.page, response, 404, '找不到这个认证链接');
    await snap(phone.page, 'unknown');
  });

  it('a mangled link (cut short when copied) gets the same not-found page', async () => {
    const linkPath = await issueLink(app.t, app.t.follower());
    const response = (await phone.page.goto(app.origin + linkPath.slice(0, -5))) as Response;
    await expectKindPage(phone.page, response, 404, '找不到这个认证链接');
  });
});
