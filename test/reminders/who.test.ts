import type { Follower } from '../helpers/app';
import { complete, lastLine, person, PROMPTS, toLink, type Person } from '../helpers/certify';
import type { FakeWechatApi } from '../helpers/fake-wechat';
import { chinaAt, countToday, reminderApp, sendToday, startWechat, templatesTo, type ReminderApp } from '../helpers/reminders';

/**
 * Who is reminded before the window ends, and who never is. The clock stands 7 days before the
 * window's end (2026-06-30), one of the days of REMINDER_DAYS_BEFORE_END.
 */

let fake: FakeWechatApi;
let app: ReminderApp;
beforeAll(async () => {
  fake = await startWechat();
});
afterAll(() => fake.close());
beforeEach(async () => {
  fake.reset();
  app = await reminderApp('memory', fake);
});
afterEach(() => app.close());

const says = async (f: Follower, ...texts: string[]) => {
  let reply = '';
  for (const t of texts) reply = await f.say(t);
  return reply;
};
/** As far as the name: 认证, the notice, a category, the ID number. */
const toName = (f: Follower, p: Person) => says(f, '认证', '1', '1', p.id);
const reminded = () => fake.templateMessages.map((m) => m.touser);

it('reminds a follower who chose a category and stopped at the ID step, naming nobody', async () => {
  const f = app.t.follower();
  expect(lastLine(await says(f, '认证', '1', '1'))).toBe(PROMPTS.id);
  await sendToday(app);
  expect(templatesTo(fake, f.openid).map((m) => m.data.thing1)).toEqual(['老人认证未完成']);
});

it('does not remind a follower who never reached the ID step', async () => {
  await says(app.t.follower(), '认证');
  await says(app.t.follower(), '认证', '1');
  expect(await countToday(app)).toEqual({ '2026:end-7': 0 });
  await sendToday(app);
  expect(reminded()).toEqual([]);
});

it('reminds a follower who got a link and never opened it, by the masked name', async () => {
  const f = app.t.follower();
  await toLink(f, person({ name: '王秀英' }));
  await sendToday(app);
  expect(templatesTo(fake, f.openid).map((m) => m.data)).toEqual([{ thing1: '王*英认证未完成', time2: '2026年6月30日', thing3: '进入公众号发送“认证”继续办理' }]);
});

it('does not remind a follower whose person was certified meanwhile from another phone', async () => {
  const p = person();
  const began = app.t.follower();
  await says(began, '认证', '1', '1', p.id, p.name);
  const other = await toLink(app.t.follower(), p);
  await complete(app.t, other.token);
  await sendToday(app);
  expect(reminded()).toEqual([]);
});

it('does not remind a follower whose face check failed and then passed on a second try', async () => {
  const f = app.t.follower();
  const p = person();
  await complete(app.t, (await toLink(f, p)).token, { result: 'fail' });
  await complete(app.t, (await toLink(f, p, '1', { acknowledged: true })).token);
  await sendToday(app);
  expect(reminded()).toEqual([]);
});

it('reminds a follower who, after one person passed, began another and stopped', async () => {
  const f = app.t.follower();
  const first = await toLink(f, person());
  await complete(app.t, first.token);
  expect(lastLine(await says(f, '1', '1'))).toBe(PROMPTS.id);
  await says(f, person().id);
  await sendToday(app);
  expect(templatesTo(fake, f.openid).map((m) => m.data.thing1)).toEqual(['老人认证未完成']);
});

it('names the first of several people begun and how many there are, in one message', async () => {
  const f = app.t.follower();
  await toLink(f, person({ name: '王秀英' }));
  await toLink(f, person({ name: '李建国' }), '1', { acknowledged: true });
  await sendToday(app);
  expect(templatesTo(fake, f.openid).map((m) => m.data.thing1)).toEqual(['王*英等2人认证未完成']);
});

it('does not remind a follower who only asked questions', async () => {
  const f = app.t.follower();
  await says(f, '每年要认证几次？', '在外地能认证吗', '你好');
  await sendToday(app);
  expect(reminded()).toEqual([]);
});

describe('退订 and 订阅提醒', () => {
  it.each(['退订', '取消提醒'])('%s is confirmed in one line, and no reminder follows', async (word) => {
    const f = app.t.follower();
    await toName(f, person());
    const reply = await f.say(word);
    expect(reply).toContain('以后不再给您发认证提醒；需要时回复“订阅提醒”重新开启。');
    await sendToday(app);
    expect(reminded()).toEqual([]);
  });

  it('退订 during the dialogue keeps what was entered and asks the step again', async () => {
    const f = app.t.follower();
    const p = person();
    await toName(f, p);
    const reply = await f.say('退订');
    expect(reply.split('\n')[0]).toBe('好的，以后不再给您发认证提醒；需要时回复“订阅提醒”重新开启。');
    expect(lastLine(reply)).toBe(PROMPTS.name);
    expect(lastLine(await f.say(p.name))).toBe(PROMPTS.phone);
  });

  it('订阅提醒 turns the reminders back on for the next reminder day', async () => {
    const f = app.t.follower();
    await toName(f, person());
    await f.say('退订');
    await sendToday(app);
    expect(reminded()).toEqual([]);
    const on = await f.say('订阅提醒');
    expect(on.split('\n')[0]).toBe('好的，认证提醒已开启；不需要时回复“退订”。');
    expect(lastLine(on)).toBe(PROMPTS.name);
    app.t.clock.ms = chinaAt('2026-06-27');
    await sendToday(app);
    expect(reminded()).toEqual([f.openid]);
  });

  it('outside the dialogue each is answered with its one line only', async () => {
    const f = app.t.follower();
    expect(await f.say('退订')).toBe('好的，以后不再给您发认证提醒；需要时回复“订阅提醒”重新开启。');
    expect(await f.say('订阅提醒')).toBe('好的，认证提醒已开启；不需要时回复“退订”。');
  });
});

describe('a follower who left the account', () => {
  it('is not reminded after the unsubscribe event, and nothing is kept to remind them with', async () => {
    const f = app.t.follower();
    await toLink(f, person());
    const entry = app.t.rt.layout.follower(f.openid).reminders(2026).key;
    expect(await app.store.get(entry)).not.toBeNull();
    await f.event('unsubscribe');
    expect(await app.store.get(entry)).toBeNull();
    await sendToday(app);
    expect(reminded()).toEqual([]);
  });

  it('is forgotten when WeChat answers 43004 to the reminder, and not tried on the next reminder day', async () => {
    const f = app.t.follower();
    const stays = app.t.follower();
    await toName(f, person());
    await toName(stays, person());
    fake.unfollow(f.openid);
    await sendToday(app);
    expect(reminded()).toEqual([stays.openid]);
    expect(fake.requestsTo('/cgi-bin/message/template/send').map((r) => (r.body as { touser: string }).touser).sort()).toEqual([f.openid, stays.openid].sort());
    expect(await app.store.get(app.t.rt.layout.follower(f.openid).reminders(2026).key)).toBeNull();

    app.t.clock.ms = chinaAt('2026-06-27');
    fake.reset();
    await sendToday(app);
    expect(reminded()).toEqual([stays.openid]);
  });
});

describe('once only', () => {
  it('sends each reminder once however often the job runs, and the next one on its own day', async () => {
    const f = app.t.follower();
    await toName(f, person());
    await sendToday(app);
    await sendToday(app);
    app.t.clock.advance(5 * 3600_000);
    await sendToday(app);
    expect(reminded()).toEqual([f.openid]);
    app.t.clock.ms = chinaAt('2026-06-27');
    expect(await countToday(app)).toEqual({ '2026:end-3': 1 });
    await sendToday(app);
    expect(reminded()).toEqual([f.openid, f.openid]);
  });

  it('sends nothing on a day that is not a reminder day, nor after the window', async () => {
    await toName(app.t.follower(), person());
    for (const date of ['2026-06-24', '2026-07-01']) {
      app.t.clock.ms = chinaAt(date);
      expect((await sendToday(app)).due).toEqual([]);
    }
    expect(reminded()).toEqual([]);
  });
});
