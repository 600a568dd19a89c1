import request from 'supertest';
import { compose } from '../../src/compose';
import { Clock, Follower, RecordingNotifier, type TestApp } from '../helpers/app';
import { testConfig } from '../helpers/config';
import { describeWithRedisServer, RedisServer } from '../helpers/redis-server';
import { appOn, PROMPT, untilReady } from './fixtures';

/**
 * Redis goes away (killed: connections refused; frozen: connections open, nothing answers).
 * Every push is still answered with the kind 系统繁忙 text, long before WeChat's 5 s, /readyz
 * turns red, and once Redis is back the same process works again, without a restart, and the
 * followers' progress from before is intact. The time bound is a correctness bound (WeChat gives
 * up at 5 s and shows an error), not a benchmark.
 */
const WECHAT_DEADLINE_MS = 5000;
const FAST_MS = 2500;

describeWithRedisServer('when Redis is unreachable', () => {
  let server: RedisServer;
  let t: TestApp;

  beforeAll(async () => {
    server = await RedisServer.launch();
  });
  afterAll(async () => {
    await server.dispose();
  });
  beforeEach(async () => {
    await server.start();
    t = await appOn(server);
  });
  afterEach(async () => {
    server.resume();
    await t.close();
  });

  /** Each follower sends one message at once; every reply and how long it took. */
  const burst = (followers: Follower[], text: string) =>
    Promise.all(
      followers.map(async (f) => {
        const started = Date.now();
        const reply = await f.say(text);
        return { reply, ms: Date.now() - started };
      }),
    );

  async function inDialogue(n: number): Promise<Follower[]> {
    const followers = Array.from({ length: n }, () => t.follower());
    for (const f of followers) {
      await f.say('认证');
      expect(await f.say('1')).toContain(PROMPT.category);
    }
    return followers;
  }

  it('answers 系统繁忙 fast while Redis is down, fails /readyz, and works again when Redis is back', async () => {
    const followers = await inDialogue(4);
    await server.stop('SIGKILL');

    for (let round = 0; round < 3; round++) {
      for (const { reply, ms } of await burst(followers, '1')) {
        expect(reply).toContain(PROMPT.busy);
        expect(ms).toBeLessThan(FAST_MS);
      }
    }
    expect((await request(t.rt.app.callback()).get('/readyz')).status).toBe(503);

    await server.start();
    await untilReady(t);
    // No push while Redis was down moved anyone: "1" now chooses the category, once.
    for (const { reply } of await burst(followers, '1')) expect(reply).toContain(PROMPT.id);
  });

  it('answers 系统繁忙 within WeChat’s deadline when Redis hangs, and recovers when it answers again', async () => {
    const followers = await inDialogue(3);
    server.pause();

    for (const { reply, ms } of await burst(followers, '1')) {
      expect(reply).toContain(PROMPT.busy);
      expect(ms).toBeLessThan(WECHAT_DEADLINE_MS - 1000);
    }
    expect((await request(t.rt.app.callback()).get('/readyz')).status).toBe(503);

    server.resume();
    await untilReady(t);
    const fresh = t.follower();
    expect(await fresh.say('认证')).toContain(PROMPT.notice);
  });

  it('starts while Redis is down, answers 系统繁忙, and serves once Redis comes up', async () => {
    await t.close();
    await server.stop('SIGKILL');
    // As main.ts does: the store comes from REDIS_URL, and start-up waits for it a bounded time only.
    const clock = new Clock(Date.now());
    const config = testConfig({ REDIS_URL: server.url, CERT_WINDOW_START: '2026-03-11', CERT_WINDOW_END: '2026-06-30' }, new Date(clock.ms));
    const notifier = new RecordingNotifier();
    const started = Date.now();
    const rt = await compose(config, { notifier, now: clock.now });
    expect(Date.now() - started).toBeLessThan(WECHAT_DEADLINE_MS);
    t = { rt, store: rt.store, notifier, clock, follower: (id = `opn_boot_${Date.now()}`) => new Follower(rt, id, clock), close: () => rt.close() };

    const f = t.follower();
    const before = Date.now();
    expect(await f.say('认证')).toContain(PROMPT.busy);
    expect(Date.now() - before).toBeLessThan(FAST_MS);
    expect((await request(rt.app.callback()).get('/readyz')).status).toBe(503);

    await server.start();
    await untilReady(t);
    expect(await f.say('认证')).toContain(PROMPT.notice);
  });
});
