import request from 'supertest';
import { z } from 'zod';
import { createLogger } from '../../src/log';
import { createRedisStore, type RedisStore } from '../../src/store';
import { testApp, type TestApp } from '../helpers/app';
import { person, toLink } from '../helpers/certify';
import { describeWithRedisServer, RedisServer } from '../helpers/redis-server';

/**
 * Redis down while someone opens a face-check link or presses 模拟通过: a kind page (or a JSON
 * answer the page understands) that says to wait, with the same security headers as every page
 * and a Retry-After; one warning line per hit, no stack; and once Redis is back the same link
 * works, because nothing was spent.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const OWN_ORIGIN = 'https://cert.example.test';
const logLine = z.record(z.string(), z.unknown());

describeWithRedisServer('the face-check page and callback while Redis is down', () => {
  let server: RedisServer;
  let store: RedisStore;
  let t: TestApp;
  let lines: Record<string, unknown>[];

  beforeAll(async () => {
    server = await RedisServer.launch({ appendfsync: 'always' });
  });
  afterAll(async () => {
    await server.dispose();
  });
  beforeEach(async () => {
    await server.start();
    lines = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(logLine.parse(JSON.parse(line))) });
    store = createRedisStore({ url: server.url, keyPrefix: `busy:${Date.now()}:` });
    await store.waitReady(5000);
    t = await testApp({ store, overrides: { logger } });
  });
  afterEach(async () => {
    await t.close();
  });

  const page = (token: string) => request(t.rt.app.callback()).get(`/face-check/${token}`);
  const complete = (token: string) =>
    request(t.rt.app.callback()).post(`/face-check/${token}/complete`).set('Content-Type', 'application/json').set('Origin', OWN_ORIGIN).send('{"result":"pass"}');
  /** Waits until the store answers again after a restart (ioredis reconnects on its own). */
  async function untilStoreAnswers() {
    for (let i = 0; i < 100; i++) {
      if (await store.ping().then(() => true, () => false)) return;
      await sleep(100);
    }
    throw new Error('the store did not answer within 10 s of the restart');
  }
  const warnings = () => lines.filter((l) => l.level === 'warn');

  it('shows a kind 503 page with the usual headers and Retry-After, and the link works once Redis is back', async () => {
    const f = t.follower();
    const { token } = await toLink(f, person());
    lines.length = 0;
    await server.stop();

    for (let hit = 1; hit <= 2; hit++) {
      const res = await page(token);
      expect(res.status).toBe(503);
      expect(res.type).toBe('text/html');
      expect(res.headers['retry-after']).toBe('30');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-security-policy']).toMatch(/^default-src 'none'; script-src 'nonce-[A-Za-z0-9+/=]+'/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.text).toContain('系统有点忙，请稍等');
      expect(res.text).toContain('这个链接过一会儿还能用');
      expect(res.text).toContain('data-kind="busy"');
      expect(res.text).toContain('0471-3670679');
      expect(res.text).not.toContain('internal error');
      expect(warnings()).toHaveLength(hit);
    }
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(JSON.stringify(lines)).not.toMatch(/stack|at .*\.ts:\d+/);
    expect(JSON.stringify(lines)).not.toContain(token);

    await server.start();
    await untilStoreAnswers();
    expect((await page(token)).status).toBe(200);
    expect((await complete(token)).status).toBe(200);
    expect(t.notifier.sent).toEqual([{ openid: f.openid, text: expect.stringContaining('认证成功') }]);
  });

  it('answers the callback 503 {ok:false, error:"busy"} with Retry-After, and the link is not spent', async () => {
    const f = t.follower();
    const { token } = await toLink(f, person());
    lines.length = 0;
    await server.stop();

    const res = await complete(token);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ ok: false, error: 'busy' });
    expect(res.headers['retry-after']).toBe('30');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({ reason: 'store_unavailable', route: 'POST /face-check/:token/complete' });
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(JSON.stringify(lines)).not.toMatch(/stack/);
    expect(JSON.stringify(lines)).not.toContain(token);
    expect(t.notifier.sent).toEqual([]);

    await server.start();
    await untilStoreAnswers();
    const again = await complete(token);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ok: true, result: 'pass' });
    expect(t.notifier.sent).toEqual([{ openid: f.openid, text: expect.stringContaining('认证成功') }]);
  });
});
