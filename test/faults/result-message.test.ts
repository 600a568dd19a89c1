import { compose, type Runtime } from '../../src/compose';
import { startFakeWechatApi, type FakeWechatApi } from '../../src/dev/fake-wechat-api';
import { Clock, Follower } from '../helpers/app';
import { complete, person, toLink } from '../helpers/certify';
import { testConfig } from '../helpers/config';
import { describeWithRedisServer, RedisServer } from '../helpers/redis-server';
import { sleep } from './fixtures';

/**
 * The result message is never lost: a busy WeChat is tried again, across a restart of the app; a
 * follower whose window had closed hears the result at the start of the next reply.
 */

const SEND = '/cgi-bin/message/custom/send';
const until = async (what: string, ok: () => boolean, withinMs = 15_000) => {
  const deadline = Date.now() + withinMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${withinMs} ms`);
    await sleep(25);
  }
};

function appOn(server: RedisServer | null, wechat: FakeWechatApi, clock: Clock, env: Record<string, string> = {}): Promise<Runtime> {
  const config = testConfig({ ...(server ? { REDIS_URL: server.url } : {}), WECHAT_API_BASE: wechat.url, CERT_WINDOW_START: '2026-03-11', CERT_WINDOW_END: '2026-06-30', ...env }, new Date(clock.ms));
  return compose(config, { now: clock.now });
}

describeWithRedisServer('the result message', () => {
  let server: RedisServer;
  let wechat: FakeWechatApi;
  const running: Runtime[] = [];
  beforeAll(async () => {
    server = await RedisServer.launch();
    wechat = await startFakeWechatApi({});
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((rt) => rt.close()));
    wechat.reset();
  });
  afterAll(async () => {
    await wechat.close();
    await server.dispose();
  });

  it('refused by a busy WeChat (-1), reaches the follower once WeChat answers again, across a restart of the app', async () => {
    const clock = new Clock(Date.parse('2026-04-15T10:00:00+08:00'));
    const first = await appOn(server, wechat, clock, { OUTBOX_RETRY_FIRST_MS: '1500' });
    running.push(first);
    const f = new Follower(first, 'o_busy_then_back', clock);
    const { token } = await toLink(f, person());
    wechat.failNext(SEND, -1, 1, 'system error');
    expect((await complete({ rt: first } as never, token)).status).toBe(200);
    await until('the first try', () => wechat.requestsTo(SEND).length === 1);
    expect(wechat.customMessages).toEqual([]);

    // The app stops before its next try, and another starts: the job waits in Redis.
    await first.close();
    running.splice(0);
    const second = await appOn(server, wechat, clock, { OUTBOX_RETRY_FIRST_MS: '1500' });
    running.push(second);
    await until('the message delivered', () => wechat.customMessages.length === 1);
    await sleep(2000);
    expect(wechat.customMessages).toEqual([{ touser: 'o_busy_then_back', content: expect.stringMatching(/^认证成功！\n乌\*\*\*格（养老资格认证）已于2026年4月15日完成/) }]);
    expect(wechat.requestsTo(SEND)).toHaveLength(2);
  });

  it.each([
    ['on Redis (BullMQ)', true],
    ['without Redis (in-process)', false],
  ])('whose window had closed (45015) starts the follower\'s next reply, whatever they send, once — %s', async (_, onRedis) => {
    const clock = new Clock(Date.parse('2026-04-15T10:00:00+08:00'));
    // A short idle time stands for the days that pass: the follower's dialogue is gone when they write.
    const rt = await appOn(onRedis ? server : null, wechat, clock, { DIALOGUE_IDLE_MINUTES: '0.02' });
    running.push(rt);
    const f = new Follower(rt, `o_window_closed_${onRedis ? 'r' : 'm'}`, clock);
    const { token } = await toLink(f, person());
    wechat.failNext(SEND, 45015, 1, 'response out of time limit or subscription is canceled');
    expect((await complete({ rt } as never, token)).status).toBe(200);
    await until('the try', () => wechat.requestsTo(SEND).length === 1);

    // Later (the dialogue gone), the follower asks something else.
    await sleep(1500);
    const reply = await f.say('每年认证几次？');
    expect(reply).toMatch(/^认证成功！\n乌\*\*\*格（养老资格认证）已于2026年4月15日完成2026年度待遇资格认证/);
    expect(reply).toContain('问：');
    expect(await f.say('每年认证几次？')).toMatch(/^问：/);
    // Not tried again: WeChat said the window was closed.
    expect(wechat.requestsTo(SEND)).toHaveLength(1);
  });
});
