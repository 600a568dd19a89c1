import type { Follower } from '../helpers/app';
import { appOn, complete, idNumber, lastLine, linkIn, masked, onEachStore, person, PROMPTS, type AppOnStore } from '../helpers/certify';

/**
 * The certification as the people of issue 14 use it, through the webhook on both stores: a
 * village helper pasting one line per person, a daughter certifying both parents, a 78-year-old
 * speaking with full-width digits, a man whose face check failed twice.
 */

/** Sends each text and counts the messages up to and including the one answered with a link. */
async function messagesToLink(f: Follower, texts: readonly string[]) {
  let sent = 0;
  for (const t of texts) {
    sent += 1;
    const reply = await f.say(t);
    if (/\/face-check\//.test(reply)) return { sent, ...linkIn(reply), reply };
  }
  throw new Error(`no link after ${texts.join(' / ')}`);
}

onEachStore((adapter) => {
  let app: AppOnStore;
  beforeEach(async () => {
    app = await appOn(adapter);
  });
  afterEach(() => app.close());

  it('certifies a person from a pasted line in at most three messages, two with the category in it', async () => {
    const { t } = app;
    const f = t.follower();
    await f.say('认证');
    await f.say('1');
    const first = person();
    // The first person of a helper who has just read the notice: the line, the category, yes.
    expect((await messagesToLink(f, [`${first.name} ${first.id} ${first.phone}`, '1', '1'])).sent).toBe(3);
    const second = person({ name: '张桂兰' });
    expect((await messagesToLink(f, [`${second.name}，${second.id}，${second.phone}`, '1', '1'])).sent).toBe(3);
    const third = person({ name: '李秀英' });
    const done = await messagesToLink(f, [`养老 ${third.name} ${third.id} ${third.phone}`, '1']);
    expect(done.sent).toBe(2);
    expect((await complete(t, done.token)).status).toBe(200);
    expect(t.notifier.sent[0]!.text).toContain(`李*英（身份证尾号${third.id.slice(-4)}，养老资格认证）`);
  });

  it('certifies a first-timer from a line pasted before anything else, with the category in it, in three messages', async () => {
    const f = app.t.follower();
    const p = person({ name: '张桂兰' });
    const done = await messagesToLink(f, [`张桂兰，养老，${p.id}，${p.phone}`, '我知道了', '好的']);
    expect(done.sent).toBe(3);
    expect(done.reply).toContain(`张*兰（身份证尾号${p.id.slice(-4)}）`);
  });

  it('lets a village helper certify five people in a row, and tell the two 张*兰 apart in the results', async () => {
    const { t } = app;
    const f = t.follower();
    const people = [person({ name: '张桂兰' }), person({ name: '王建国' }), person({ name: '张秀兰' }), person({ name: '刘秀英' }), person({ name: '赵文' })];
    let messages = 2;
    await f.say('认证');
    await f.say('1');
    const tokens: string[] = [];
    for (const p of people) {
      const got = await messagesToLink(f, [`${p.name} ${p.id} ${p.phone}`, '养老', '好']);
      messages += got.sent;
      tokens.push(got.token);
    }
    expect(messages).toBe(2 + 5 * 3);
    for (const token of tokens) expect((await complete(t, token)).status).toBe(200);
    const results = t.notifier.sent.map((m) => m.text);
    expect(results[0]).toContain(`张*兰（身份证尾号${people[0]!.id.slice(-4)}`);
    expect(results[2]).toContain(`张*兰（身份证尾号${people[2]!.id.slice(-4)}`);
    expect(results[0]).not.toEqual(results[2]);
  });

  it('lets a daughter certify her mother and then her father, fixing a wrong name on the way', async () => {
    const { t } = app;
    const f = t.follower();
    const mother = person({ name: '刘秀英' });
    const father = person({ name: '王建国' });
    for (const s of ['我要认证', '嗯', '养老', `身份证号码是${mother.id}`, '她叫刘秀芳。', mother.phone]) await f.say(s);
    expect(await f.say('名字不对')).toContain(PROMPTS.name);
    const fixed = await f.say('刘秀英');
    expect(fixed).toContain('姓名：刘*英');
    expect(fixed).toContain(`身份证号：${masked.id(mother.id)}`);
    expect(linkIn(await f.say('可以')).token).toBeTruthy();
    expect(lastLine(await f.say('1'))).toBe(PROMPTS.category);
    const dad = await messagesToLink(f, ['退休', `我爸叫王建国，${father.id}，手机号${father.phone}`, 'OK']);
    expect(dad.reply).toContain('王*国（身份证尾号');
  });

  it('understands a 78-year-old speaking, with the commas speech recognition adds and full-width digits', async () => {
    const { t } = app;
    const f = t.follower();
    const id = idNumber('19480315', '021');
    const spoken = (digits: string) => [...digits].map((d) => '零幺二三四五六七八九'[Number(d)] ?? d).join('');
    await f.voice('我要认证。');
    await f.voice('我知道了。');
    expect(await f.voice('我是退休工人。')).toContain(PROMPTS.id);
    expect(await f.voice(`${spoken(id.slice(0, 6))}，${spoken(id.slice(6, 14))}，${spoken(id.slice(14))}。`)).toContain(PROMPTS.name);
    expect(await f.voice('我叫王建国。')).toContain(PROMPTS.phone);
    const confirmation = await f.say('１３８４７１１００００');
    expect(confirmation).toContain('姓名：王*国');
    expect(confirmation).toContain('手机号：138****0000');
    expect(await f.voice('好的。')).toContain('/face-check/');
  });

  it('gives a man whose face check failed twice a new link each time with one message', async () => {
    const { t } = app;
    const f = t.follower();
    const p = person({ name: '赵德明' });
    await f.say('认证');
    await f.say('1');
    const first = await messagesToLink(f, [`${p.name} ${p.id} ${p.phone}`, '1', '1']);
    await complete(t, first.token, { result: 'fail' });
    expect(await f.say('怎么又没通过')).toContain('光线亮');
    const second = await messagesToLink(f, ['1']);
    await complete(t, second.token, { result: 'fail' });
    const third = await messagesToLink(f, ['再试一次']);
    expect(new Set([first.token, second.token, third.token]).size).toBe(3);
    expect((await complete(t, third.token, { result: 'pass' })).status).toBe(200);
    expect(t.notifier.sent.map((m) => m.text)).toEqual([expect.stringContaining('没有通过'), expect.stringContaining('没有通过'), expect.stringContaining('认证成功')]);
  });
});
