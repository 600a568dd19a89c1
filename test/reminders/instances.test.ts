import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { createRedisStore } from '../../src/store';
import { nextRunAt } from '../../src/reminders';
import { Clock, testApp, type TestApp } from '../helpers/app';
import { dropRedisPrefix, person } from '../helpers/certify';
import type { FakeWechatApi } from '../helpers/fake-wechat';
import { describeRedis, REDIS_URL } from '../helpers/redis';
import { chinaAt, REMINDER_ENV, reminderApp, startWechat, TEMPLATE_PATH, type ReminderApp } from '../helpers/reminders';

/**
 * Two instances of the service on one real redis-server, as behind a load balancer: each reminder
 * reaches each follower once, one template message at a time, and the daily job is one job for all.
 */
describeRedis('two instances on one Redis', () => {
  let fake: FakeWechatApi;
  let a: ReminderApp;
  let b: ReminderApp;
  beforeAll(async () => {
    fake = await startWechat();
  });
  afterAll(() => fake.close());
  beforeEach(async () => {
    fake.reset();
    a = await reminderApp('redis', fake);
    b = await reminderApp('redis', fake, { prefix: a.prefix!, clock: a.t.clock });
  });
  afterEach(async () => {
    await b.close();
    await a.close();
  });

  it('send each follower\'s reminder once when both run the job at the same moment, one message at a time', async () => {
    const followers = Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).t.follower());
    for (const f of followers) for (const text of ['认证', '1', '1', person().id]) await f.say(text);
    expect((await a.t.rt.reminders.run('dry')).due[0]!.followers).toBe(6);
    expect((await b.t.rt.reminders.run('dry')).due[0]!.followers).toBe(6);

    // A slow WeChat, so that two senders would overlap if there were two.
    fake.setDelay(25);
    const [ra, rb] = await Promise.all([a.t.rt.reminders.run('send'), b.t.rt.reminders.run('send')]);
    expect(ra.due[0]!.followers + rb.due[0]!.followers).toBe(6);
    expect(await a.t.rt.reminderOutbox.drain(20_000)).toBe(0);
    expect(fake.templateMessages.map((m) => m.touser).sort()).toEqual(followers.map((f) => f.openid).sort());
    expect(fake.maxInFlight(TEMPLATE_PATH)).toBe(1);

    await Promise.all([a.t.rt.reminders.run('send'), b.t.rt.reminders.run('send')]);
    expect(await b.t.rt.reminderOutbox.drain(20_000)).toBe(0);
    expect(fake.requestsTo(TEMPLATE_PATH)).toHaveLength(6);
  });
});

describeRedis('the daily job', () => {
  let fake: FakeWechatApi;
  const apps: TestApp[] = [];
  let prefix: string;
  beforeAll(async () => {
    fake = await startWechat();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    prefix = `test:${randomUUID().slice(0, 8)}:`;
  });
  afterEach(async () => {
    for (const t of apps.splice(0)) await t.close();
    await dropRedisPrefix(prefix);
  });

  /** A server as main.ts starts it: its daily job on. */
  async function server(env: Record<string, string> = {}): Promise<TestApp> {
    const store = createRedisStore({ url: REDIS_URL!, keyPrefix: prefix });
    await store.waitReady(5000);
    const t = await testApp({
      clock: new Clock(chinaAt('2026-06-23')),
      env: { ...REMINDER_ENV, WECHAT_API_BASE: fake.url, REDIS_URL: REDIS_URL!, REDIS_KEY_PREFIX: prefix, ...env },
      store,
      overrides: { notifier: undefined },
    });
    apps.push(t);
    return t;
  }
  /** The daily job's queue, as an operator would look at it. */
  async function withQueue(f: (q: Queue) => Promise<void>): Promise<void> {
    const connection = new Redis(REDIS_URL!, { maxRetriesPerRequest: null });
    const q = new Queue('reminders', { connection, prefix: `${prefix}outbox` });
    try {
      await f(q);
    } finally {
      await q.close();
      connection.disconnect();
    }
  }
  const until = async (what: string, ok: () => Promise<boolean> | boolean) => {
    for (const deadline = Date.now() + 10_000; !(await ok()); await new Promise((r) => setTimeout(r, 50))) {
      if (Date.now() > deadline) throw new Error(`still not ${what}`);
    }
  };

  it('is one job a day at REMINDER_HOUR China time, however many instances start', async () => {
    await server({ REMINDER_HOUR: '10' });
    await server({ REMINDER_HOUR: '10' });
    await withQueue(async (q) => {
      await until('scheduled', async () => (await q.getJobSchedulersCount()) === 1);
      const [s] = await q.getJobSchedulers();
      expect(s).toMatchObject({ key: 'daily', pattern: '0 10 * * *', tz: 'Asia/Shanghai' });
      expect(s!.next).toBe(nextRunAt(Date.now(), 10));
      expect(await q.getDelayedCount()).toBe(1);
    });
  });

  it('runs the same reminders as the command when its job comes due', async () => {
    const t = await server();
    const f = t.follower();
    for (const text of ['认证', '1', '1']) await f.say(text);
    await withQueue(async (q) => {
      await until('scheduled', async () => (await q.getJobSchedulersCount()) === 1);
      // What the scheduler does at 10:00: a job in the queue, which one instance's worker runs.
      await q.add('run', {});
      await until('sent', () => fake.templateMessages.length === 1);
      expect(fake.templateMessages[0]!.touser).toBe(f.openid);
    });
  });

  it('is removed when an instance starts without REMINDER_TEMPLATE_ID', async () => {
    await server();
    await withQueue(async (q) => {
      await until('scheduled', async () => (await q.getJobSchedulersCount()) === 1);
      await server({ REMINDER_TEMPLATE_ID: '' });
      await until('removed', async () => (await q.getJobSchedulersCount()) === 0);
    });
  });
});
