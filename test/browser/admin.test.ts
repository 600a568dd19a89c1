import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { adminEnv, STAFF } from '../helpers/admin';
import { complete, person, toLink, type Person } from '../helpers/certify';
import { describeInChromium, launchChromium, serve, WATCH_CSP, type Served } from './helpers';

jest.setTimeout(90_000);

/**
 * The office's console in Chromium, at a desktop and a phone size: log in, the charts are drawn
 * (pixels on every canvas), the numbers are the dialogues', nothing loads from outside, no CSP
 * violation, and no one's personal data is anywhere in the page.
 */
const ARTIFACTS = path.join(__dirname, '..', '..', 'artifacts', 'admin');
const SIZES = [
  { name: 'desktop', viewport: { width: 1366, height: 900 }, isMobile: false },
  { name: 'phone', viewport: { width: 375, height: 740 }, isMobile: true },
] as const;
const CANVASES = ['chart-days', 'chart-funnel', 'chart-category', 'chart-failures', 'chart-questions'];

interface Desk {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly outside: string[];
  readonly problems: string[];
}

async function openDesk(browser: Browser, origin: string, size: (typeof SIZES)[number]): Promise<Desk> {
  const context = await browser.newContext({
    viewport: size.viewport, isMobile: size.isMobile, hasTouch: size.isMobile, deviceScaleFactor: size.isMobile ? 2 : 1,
    locale: 'zh-CN', timezoneId: 'Asia/Shanghai', serviceWorkers: 'block',
  });
  const outside: string[] = [];
  const problems: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) await route.continue();
    else {
      outside.push(url);
      await route.abort('blockedbyclient');
    }
  });
  await context.addInitScript({ content: WATCH_CSP });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content[- ]Security[- ]Policy|CSP/i.test(m.text())) problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { context, page, outside, problems };
}

/** How many pixels of each chart's canvas are painted (a blank canvas has none). */
const paintedPixels = (page: Page) =>
  page.evaluate((ids) => ids.map((id) => {
    const c = document.getElementById(id) as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
    return n;
  }), CANVASES);

describeInChromium('the office’s console in Chromium', () => {
  let browser: Browser;
  let app: Served;
  let people: Person[];
  const openids: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    app = await serve({ env: await adminEnv() });
    const { t } = app;
    people = [person(), person(), person(), person()];
    const a = t.follower();
    const b = t.follower();
    const c = t.follower();
    openids.push(a.openid, b.openid, c.openid);
    await complete(t, (await toLink(a, people[0]!)).token);
    await complete(t, (await toLink(a, people[1]!, '2', { acknowledged: true })).token);
    await complete(t, (await toLink(b, people[2]!)).token, { result: 'fail' });
    for (const text of ['认证', '1', '3']) await c.say(text);
    const d = t.follower();
    openids.push(d.openid);
    await d.say('每年认证几次');
    await d.say('今天晚上吃什么好呢');
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await app?.close();
    await browser?.close();
  });

  it.each(SIZES)('logs in and draws every chart at $name size, with the dialogues’ numbers and no one’s data', async (size) => {
    const desk = await openDesk(browser, app.origin, size);
    const { page } = desk;
    try {
      const login = await page.goto(`${app.origin}/admin`);
      expect(login?.status()).toBe(200);
      expect(await page.locator('[data-total]').count()).toBe(0);
      await page.fill('#username', STAFF.name);
      await page.fill('#password', STAFF.password);
      await page.click('button[type=submit]');
      await page.waitForSelector('body[data-charts="drawn"]', { timeout: 20_000 });

      const totals = Object.fromEntries(
        await page.locator('[data-total]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-total'), e.textContent])),
      );
      expect(totals).toMatchObject({ started: '4', linkIssued: '3', passed: '2', failed: '1', notFinished: '1' });
      const painted = await paintedPixels(page);
      painted.forEach((n, i) => expect({ chart: CANVASES[i], painted: n > 500 }).toEqual({ chart: CANVASES[i], painted: true }));
      expect(await page.locator('#chart-problem').isHidden()).toBe(true);

      // On a phone the page itself never scrolls sideways; wide tables scroll inside their own box.
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
      expect(scrollWidth).toBeLessThanOrEqual(innerWidth);

      await page.screenshot({ path: path.join(ARTIFACTS, `${size.name}.png`), fullPage: true });
      await page.screenshot({ path: path.join(ARTIFACTS, `${size.name}-top.png`) });
      const panels = page.locator('section.panel');
      for (let i = 0; i < (await panels.count()); i++) await panels.nth(i).screenshot({ path: path.join(ARTIFACTS, `${size.name}-panel-${i + 1}.png`) });

      const html = await page.content();
      for (const p of people) for (const secret of [p.id, p.id.slice(0, 17), p.name, p.phone]) expect(html).not.toContain(secret);
      for (const openid of openids) expect(html).not.toContain(openid);
      expect(desk.outside).toEqual([]);
      expect(desk.problems).toEqual([]);

      await page.click('text=退出登录');
      await page.waitForSelector('#username');
      const after = await page.evaluate(() => fetch('/admin/api/summary').then((r) => r.status));
      expect(after).toBe(401);
    } finally {
      await desk.context.close();
    }
  });
});
