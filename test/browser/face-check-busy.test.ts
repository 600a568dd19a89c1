import type { Browser, Response } from 'playwright-core';
import { createRedisStore, type RedisStore } from '../../src/store';
import { describeWithRedisServer, RedisServer } from '../helpers/redis-server';
import { describeInChromium, issueLink, launchChromium, openPhone, serve, shown, snap, type Phone, type Served } from './helpers';

jest.setTimeout(60_000);

/**
 * Redis goes away while a relative holds the phone: the page that opens says to wait and offers to
 * open the same link again (it still works), not the steps for a dead link; 模拟通过 pressed then
 * says the system is busy and keeps the buttons. Once Redis is back, both go through.
 */
describeWithRedisServer('the face-check page while Redis is down', () => {
  describeInChromium('in Chromium', () => {
    let browser: Browser;
    let server: RedisServer;
    let store: RedisStore;
    let app: Served;
    let phone: Phone;

    beforeAll(async () => {
      [browser, server] = await Promise.all([launchChromium(), RedisServer.launch({ appendfsync: 'always' })]);
    });
    afterAll(async () => {
      await browser?.close();
      await server?.dispose();
    });
    beforeEach(async () => {
      await server.start();
      store = createRedisStore({ url: server.url, keyPrefix: `busy:${Date.now()}:` });
      await store.waitReady(5000);
      app = await serve({ store });
      phone = await openPhone(browser, app.origin);
    });
    afterEach(async () => {
      await phone?.close();
      await app?.close();
    });

    async function redisBack() {
      await server.start();
      for (let i = 0; i < 100 && !(await store.ping().then(() => true, () => false)); i++) await new Promise((r) => setTimeout(r, 100));
    }
    /** Chromium logs a 5xx document as "Failed to load resource"; anything else is a problem. */
    const problems = () => phone.problems.filter((p) => !/Failed to load resource: the server responded with a status of 503/.test(p));

    it('opening the link shows the busy page, and 再打开一次 opens the face check once Redis is back', async () => {
      const linkPath = await issueLink(app.t, app.t.follower());
      await server.stop();
      const response = (await phone.page.goto(app.origin + linkPath)) as Response;

      expect(response.status()).toBe(503);
      expect(response.headers()['content-security-policy']).toContain("default-src 'none'");
      expect(await shown(phone.page.getByRole('heading', { level: 1 }))).toBe('系统有点忙，请稍等');
      const main = await shown(phone.page.locator('main'));
      expect(main).toContain('这个链接过一会儿还能用');
      expect(main).toContain('请等半分钟');
      expect(main).not.toContain('收到新的链接后');
      expect(await phone.page.getByRole('link', { name: /0471-3670679/ }).getAttribute('href')).toBe('tel:0471-3670679');
      await snap(phone.page, 'busy');

      await redisBack();
      await phone.page.getByRole('link', { name: '再打开一次' }).tap();
      expect(await shown(phone.page.getByRole('heading', { name: '请核对：给谁认证' }))).toBeTruthy();
      expect(problems()).toEqual([]);
      expect(phone.outside).toEqual([]);
    });

    it('模拟通过 while Redis is down says the system is busy and keeps the buttons; pressed again later it passes', async () => {
      const follower = app.t.follower();
      const linkPath = await issueLink(app.t, follower);
      await phone.page.goto(app.origin + linkPath);
      await phone.page.getByRole('button', { name: '开始认证' }).tap();
      await server.stop();

      await phone.page.getByRole('button', { name: '模拟通过' }).tap();
      expect(await shown(phone.page.locator('#sending.error'))).toContain('系统有点忙');
      expect(await phone.page.getByRole('button', { name: '模拟通过' }).isEnabled()).toBe(true);
      expect(app.t.notifier.sent).toEqual([]);

      await redisBack();
      await phone.page.getByRole('button', { name: '模拟通过' }).tap();
      expect(await shown(phone.page.getByRole('heading', { name: '认证成功' }))).toBe('认证成功');
      expect(app.t.notifier.sent).toEqual([{ openid: follower.openid, text: expect.stringContaining('认证成功') }]);
      expect(problems()).toEqual([]);
    });
  });
});
