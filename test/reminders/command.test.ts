import { remindersCommand } from '../../scripts/reminders';
import { person } from '../helpers/certify';
import { TEST_ENV } from '../helpers/config';
import type { FakeWechatApi } from '../helpers/fake-wechat';
import { describeRedis } from '../helpers/redis';
import { chinaAt, REMINDER_ENV, reminderApp, startWechat, TEMPLATE_PATH, type ReminderApp } from '../helpers/reminders';

/** `npm run reminders`: its flags, its exit codes, and what it prints when there is nothing to do. */
let fake: FakeWechatApi;
beforeAll(async () => {
  fake = await startWechat();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

async function run(argv: string[], env: Record<string, string>, at = chinaAt('2026-06-23')) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await remindersCommand(argv, env, { out: (l) => out.push(l), err: (l) => err.push(l) }, { now: () => at });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
const env = (over: Record<string, string> = {}) => ({ ...TEST_ENV, ...REMINDER_ENV, WECHAT_API_BASE: fake.url, ...over });

it.each([[[]], [['--dry-run', '--send']], [['--dryrun']], [['--send', 'now']]])('refuses %j with its usage, exit 2', async (argv) => {
  const r = await run(argv, env());
  expect(r.code).toBe(2);
  expect(r.err).toContain('usage: reminders --dry-run | --send');
  expect(fake.requests).toEqual([]);
});

it.each(['--dry-run', '--send'])('%s exits 0 and says so when no reminder is due today', async (flag) => {
  const r = await run([flag], env(), chinaAt('2026-06-24'));
  expect(r.code).toBe(0);
  expect(r.out).toBe('no reminder is due on 2026-06-24 (window 2026-03-11 – 2026-06-30; REMINDER_DAYS_BEFORE_END=30,10,7,3)');
  expect(fake.requests).toEqual([]);
});

it('prints each reminder due today, per kind, and that a dry run sent nothing', async () => {
  const r = await run(['--dry-run'], env({ REMINDER_DAYS_BEFORE_END: '111' }), chinaAt('2026-03-11'));
  expect(r.code).toBe(0);
  expect(r.out.split('\n')).toEqual([
    'reminders due on 2026-03-11 (China time), window 2026-03-11 – 2026-06-30:',
    '  the window opens (followers who certified someone in 2025) [2026:start]: 0 followers would be reminded',
    '  before the window ends, 111 days left [2026:end-111]: 0 followers would be reminded',
    'dry run: nothing was sent',
  ]);
  // Without REDIS_URL the command has an empty store of its own: said, not hidden.
  expect(r.err).toContain('REDIS_URL is not set');
});

it('names a bad setting and exits 1', async () => {
  const r = await run(['--dry-run'], env({ REMINDER_HOUR: '25' }));
  expect(r.code).toBe(1);
  expect(r.err).toContain('REMINDER_HOUR');
});

describeRedis('without REMINDER_TEMPLATE_ID', () => {
  let app: ReminderApp;
  afterEach(() => app.close());

  it('--send exits 1 naming it when someone is due, and sends nothing', async () => {
    app = await reminderApp('redis', fake, { env: { REMINDER_TEMPLATE_ID: '' } });
    for (const text of ['认证', '1', '1', person().id]) await app.t.follower('o_due').say(text);
    const r = await run(['--send'], app.env());
    expect(r.code).toBe(1);
    expect(r.out).toContain('1 follower would be reminded');
    expect(r.err).toContain('REMINDER_TEMPLATE_ID is not set: nothing was sent');
    expect(fake.requestsTo(TEMPLATE_PATH)).toEqual([]);
  });

  it('--send exits 0 when nobody is due', async () => {
    app = await reminderApp('redis', fake, { env: { REMINDER_TEMPLATE_ID: '' } });
    expect((await run(['--send'], app.env())).code).toBe(0);
  });
});
