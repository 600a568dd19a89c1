import { Clock, type Follower } from '../helpers/app';
import { complete, lastLine, person, PROMPTS, toLink, type Person } from '../helpers/certify';
import type { FakeWechatApi } from '../helpers/fake-wechat';
import { chinaAt, countToday, reminderApp, sendToday, startWechat, templatesTo, type ReminderApp } from '../helpers/reminders';

/**
 * When the next window opens, followers who certified someone in the previous cycle are reminded,
 * for that person. The window follows the clock (no CERT_WINDOW_*): 03-11 to 06-30 of each year,
 * so a pass in 2025 is reminded on 2026-03-11.
 */

let fake: FakeWechatApi;
let app: ReminderApp;
beforeAll(async () => {
  fake = await startWechat();
});
afterAll(() => fake.close());
beforeEach(async () => {
  fake.reset();
  app = await reminderApp('memory', fake, { clock: new Clock(chinaAt('2025-05-06')), env: { CERT_WINDOW_START: '', CERT_WINDOW_END: '' } });
});
afterEach(() => app.close());

const NEXT_START = chinaAt('2026-03-11', '08:00');

/** A pass, and its result message delivered. */
async function pass(f: Follower, p: Person) {
  expect((await complete(app.t, (await toLink(f, p)).token)).status).toBe(200);
  expect(await app.t.rt.outbox.drain(5000)).toBe(0);
}

async function certifiedIn2025(p: Person) {
  const f = app.t.follower();
  await pass(f, p);
  return f;
}

it('tells the follower at the pass that the account will remind them next year, and how to say no', async () => {
  await certifiedIn2025(person());
  expect(fake.customMessages).toHaveLength(1);
  expect(fake.customMessages[0]!.content).toContain('认证成功！');
  expect(lastLine(fake.customMessages[0]!.content)).toBe('明年认证开始时，我们会发消息提醒您；不需要提醒请回复“退订”。');
});

it('promises nothing at the pass to a follower who sent 退订', async () => {
  const f = app.t.follower();
  await f.say('退订');
  await pass(f, person());
  expect(fake.customMessages).toHaveLength(1);
  expect(fake.customMessages[0]!.content).toContain('认证成功！');
  expect(fake.customMessages[0]!.content).not.toContain('提醒');
});

it('reminds last cycle\'s certifier on the first day, for that person, and keeps nothing after', async () => {
  const f = await certifiedIn2025(person({ name: '王秀英' }));
  app.t.clock.ms = NEXT_START;
  expect(await countToday(app)).toEqual({ '2026:start': 1 });
  await sendToday(app);
  expect(templatesTo(fake, f.openid).map((m) => m.data)).toEqual([{ thing1: '王*英2026年度认证', time2: '2026年6月30日', thing3: '认证已开始，发送“认证”即可办理' }]);
  expect(await app.store.get(app.t.rt.layout.follower(f.openid).reminders(2025).key)).toBeNull();
  await sendToday(app);
  expect(fake.templateMessages).toHaveLength(1);
});

it('does not remind for a person already certified this cycle, by anyone', async () => {
  const p = person();
  const last = await certifiedIn2025(p);
  app.t.clock.ms = NEXT_START;
  await pass(app.t.follower(), p);
  await sendToday(app);
  expect(templatesTo(fake, last.openid)).toEqual([]);
  expect(fake.templateMessages).toEqual([]);
});

it('does not remind a follower who sent 退订 after the pass', async () => {
  const f = await certifiedIn2025(person());
  await f.say('退订');
  app.t.clock.ms = NEXT_START;
  expect(await countToday(app)).toEqual({ '2026:start': 0 });
  await sendToday(app);
  expect(fake.templateMessages).toEqual([]);
});

it('does not remind on the first day one who only began last cycle: what they began ended with it', async () => {
  const f = app.t.follower();
  await f.say('认证');
  await f.say('1');
  expect(lastLine(await f.say('1'))).toBe(PROMPTS.id);
  app.t.clock.ms = NEXT_START;
  await sendToday(app);
  expect(fake.templateMessages).toEqual([]);
});

it('sends one reminder a day: a follower due for both on the first day gets one', async () => {
  await app.close();
  // 111 days before 06-30 is 03-11: the first day is also a day before the end.
  app = await reminderApp('memory', fake, { clock: new Clock(chinaAt('2025-05-06')), env: { CERT_WINDOW_START: '', CERT_WINDOW_END: '', REMINDER_DAYS_BEFORE_END: '111,7' } });
  const f = await certifiedIn2025(person());
  app.t.clock.ms = NEXT_START;
  // Back on the first day, they begin for someone else and stop at the ID step.
  await f.say('认证');
  await f.say('1');
  expect(await countToday(app)).toEqual({ '2026:start': 1, '2026:end-111': 0 });
  await sendToday(app);
  expect(templatesTo(fake, f.openid)).toHaveLength(1);
});
