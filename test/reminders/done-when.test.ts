import { remindersCommand } from '../../scripts/reminders';
import type { Follower } from '../helpers/app';
import { clearDataIn, complete, person, PROMPTS, lastLine, toLink } from '../helpers/certify';
import type { FakeWechatApi } from '../helpers/fake-wechat';
import { describeRedis } from '../helpers/redis';
import { countToday, reminderApp, sendToday, startWechat, TEMPLATE_ID, templatesTo, type ReminderAdapter, type ReminderApp } from '../helpers/reminders';

/**
 * The "done when": the window ends in 7 days and REMINDER_DAYS_BEFORE_END has 7. Of five
 * followers — one stopped at the name step, one passed, one only asked a question, one stopped and
 * sent 退订, one failed the face check once — exactly the first and the last are reminded, once.
 */

let fake: FakeWechatApi;
let app: ReminderApp | undefined;
beforeAll(async () => {
  fake = await startWechat();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const people = { atName: person(), passed: person(), optedOut: person(), failed: person() };

/** The five followers of the issue, each as far as they went. */
async function fiveFollowers(a: ReminderApp): Promise<Record<'atName' | 'passed' | 'asked' | 'optedOut' | 'failed', Follower>> {
  const { t } = a;
  const f = { atName: t.follower(), passed: t.follower(), asked: t.follower(), optedOut: t.follower(), failed: t.follower() };
  let reply = '';
  for (const text of ['认证', '1', '1', people.atName.id]) reply = await f.atName.say(text);
  expect(lastLine(reply)).toBe(PROMPTS.name);

  const passed = await toLink(f.passed, people.passed);
  expect((await complete(t, passed.token)).status).toBe(200);

  expect(await f.asked.say('每年要认证几次？')).toContain('每年');

  for (const text of ['认证', '1', '1', people.optedOut.id, people.optedOut.name]) reply = await f.optedOut.say(text);
  expect(lastLine(reply)).toBe(PROMPTS.phone);
  expect(await f.optedOut.say('退订')).toContain('以后不再给您发认证提醒');

  const failed = await toLink(f.failed, people.failed);
  expect((await complete(t, failed.token, { result: 'fail' })).status).toBe(200);
  return f;
}

function expectTheTwo(f: Record<string, Follower>) {
  expect(fake.templateMessages.map((m) => m.touser).sort()).toEqual([f.atName!.openid, f.failed!.openid].sort());
  // The name was never typed at the name step: the reminder names nobody.
  expect(templatesTo(fake, f.atName!.openid)[0]).toMatchObject({ templateId: TEMPLATE_ID, data: { thing1: '老人认证未完成', time2: '2026年6月30日' } });
  expect(templatesTo(fake, f.failed!.openid)[0]).toMatchObject({ templateId: TEMPLATE_ID, data: { thing1: '乌***格认证未完成', time2: '2026年6月30日' } });
  for (const p of Object.values(people)) expect(clearDataIn(JSON.stringify(fake.templateMessages), p)).toEqual([]);
}

describe.each<ReminderAdapter>(['memory'])('the daily job, on the %s store', (adapter) => {
  it('counts 2 in the dry run, sends exactly two template messages, and none on a second run', async () => {
    app = await reminderApp(adapter, fake);
    const f = await fiveFollowers(app);
    expect(await countToday(app)).toEqual({ '2026:end-7': 2 });
    expect(fake.templateMessages).toEqual([]);

    expect((await sendToday(app)).due.map((d) => d.followers)).toEqual([2]);
    expectTheTwo(f);
    expect((await sendToday(app)).due.map((d) => d.followers)).toEqual([0]);
    expect(fake.templateMessages).toHaveLength(2);
  });
});

describeRedis('npm run reminders, on a real Redis the servers share', () => {
  const run = async (flag: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await remindersCommand([flag], app!.env(), { out: (l) => out.push(l), err: (l) => err.push(l) }, { now: app!.t.clock.now });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('--dry-run says 2 and sends nothing; --send sends exactly the two; a second --send sends none', async () => {
    app = await reminderApp('redis', fake);
    const f = await fiveFollowers(app);

    const dry = await run('--dry-run');
    expect(dry).toMatchObject({ code: 0, err: '' });
    expect(dry.out).toContain('before the window ends, 7 days left [2026:end-7]: 2 followers would be reminded');
    expect(dry.out).toContain('nothing was sent');
    expect(fake.requestsTo('/cgi-bin/message/template/send')).toEqual([]);

    const sent = await run('--send');
    expect(sent).toMatchObject({ code: 0, err: '' });
    expect(sent.out).toContain('[2026:end-7]: 2 followers queued');
    expect(sent.out).toContain('the reminders\' outbox has tried every message');
    expectTheTwo(f);

    const again = await run('--send');
    expect(again.code).toBe(0);
    expect(again.out).toContain('[2026:end-7]: 0 followers queued');
    expect(fake.templateMessages).toHaveLength(2);
    expect((await run('--dry-run')).out).toContain('0 followers would be reminded');
  });
});
