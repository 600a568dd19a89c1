import type { RunReport } from '../../src/reminders';
import { createMemoryStore, createRedisStore, type Store } from '../../src/store';
import { Clock, testApp, type TestApp } from './app';
import { dropRedisPrefix } from './certify';
import { TEST_ENV } from './config';
import { startFakeWechatApi, type FakeWechatApi, type TemplateMessage } from './fake-wechat';
import { freshRedisStore, REDIS_URL } from './redis';

/**
 * Fixtures for the reminders: an app whose WeChat is the fake WeChat API (so reminders and result
 * messages reach it as they would reach WeChat), a settable clock, and the run as the daily job
 * does it. The window ends on 2026-06-30; REMINDER_DAYS_BEFORE_END has 7 in it.
 */

export const TEMPLATE_ID = 'TPL_reminders_test_0001';
export const TEMPLATE_PATH = '/cgi-bin/message/template/send';

/** China time on a day of 2026, at 09:00 unless told. */
export const chinaAt = (date: string, time = '09:00') => Date.parse(`${date}T${time}:00+08:00`);

/** The window and the reminder settings of these tests (strings, as in the environment). */
export const REMINDER_ENV: Readonly<Record<string, string>> = {
  CERT_WINDOW_START: '2026-03-11',
  CERT_WINDOW_END: '2026-06-30',
  REMINDER_DAYS_BEFORE_END: '30,10,7,3',
  REMINDER_TEMPLATE_ID: TEMPLATE_ID,
};

export interface ReminderApp {
  readonly t: TestApp;
  readonly store: Store;
  /** Set when on a real Redis: the key prefix, for a command that opens its own connection. */
  readonly prefix?: string;
  /** Environment for `npm run reminders` against the same store and fake WeChat. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

export type ReminderAdapter = 'memory' | 'redis';

/**
 * An app with the reminders on, talking to `fake`. On 'redis' the app's Redis settings point at the
 * shared test server under a fresh prefix, so its outboxes are BullMQ queues as in production.
 * `prefix`: join another instance's store (two instances on one Redis).
 */
export async function reminderApp(
  adapter: ReminderAdapter,
  fake: FakeWechatApi,
  opts: { clock?: Clock; env?: Record<string, string>; prefix?: string } = {},
): Promise<ReminderApp> {
  const clock = opts.clock ?? new Clock(chinaAt('2026-06-23'));
  const base = { ...REMINDER_ENV, WECHAT_API_BASE: fake.url, ...opts.env };
  if (adapter === 'memory') {
    const store = createMemoryStore({ now: clock.now });
    const t = await testApp({ clock, store, env: base, overrides: { notifier: undefined, schedule: false } });
    return { t, store, env: () => ({ ...TEST_ENV, ...base }), close: () => t.close() };
  }
  const store = opts.prefix ? Object.assign(createRedisStore({ url: REDIS_URL!, keyPrefix: opts.prefix }), { prefix: opts.prefix }) : await freshRedisStore();
  await store.waitReady(5000);
  const { prefix } = store;
  const env = { ...base, REDIS_URL: REDIS_URL!, REDIS_KEY_PREFIX: prefix };
  const t = await testApp({ clock, store, env, overrides: { notifier: undefined, schedule: false } });
  return {
    t,
    store,
    prefix,
    env: () => ({ ...TEST_ENV, ...env }),
    async close() {
      await t.close();
      if (!opts.prefix) await dropRedisPrefix(prefix);
    },
  };
}

/** Today's reminders as the daily job sends them, then waits until the outbox has tried them all. */
export async function sendToday(app: ReminderApp): Promise<RunReport> {
  const report = await app.t.rt.reminders.run('send');
  expect(await app.t.rt.reminderOutbox.drain(15_000)).toBe(0);
  return report;
}

/** How many followers each reminder due today would reach (the dry run). */
export async function countToday(app: ReminderApp): Promise<Record<string, number>> {
  const report = await app.t.rt.reminders.run('dry');
  return Object.fromEntries(report.due.map((d) => [d.due.id, d.followers]));
}

/** The fake WeChat API, as WeChat would answer the account (no credential checks). */
export const startWechat = () => startFakeWechatApi();

/** Template messages to one follower. */
export const templatesTo = (fake: FakeWechatApi, openid: string): TemplateMessage[] => fake.templateMessages.filter((m) => m.touser === openid);
