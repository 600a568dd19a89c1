import { createMemoryStore } from '../../src/store';
import { Clock, testApp, type TestApp } from '../helpers/app';
import { complete, lastLine, linkIn, masked, person, toConfirm, toLink } from '../helpers/certify';

/** When certification is possible, once per person and cycle, and several people from one phone. */

const CATEGORY_QUESTION = '领养老金的退休人员请选 1。请回复数字 1 到 5。';
const at = (iso: string) => new Clock(Date.parse(iso));

let t: TestApp;
afterEach(() => t.close());

describe('the certification window', () => {
  it.each([
    ['the menu button', (f: ReturnType<TestApp['follower']>) => f.tap('CERT_START')],
    ['认证', (f: ReturnType<TestApp['follower']>) => f.say('认证')],
  ])('says 未到认证周期 with the start date before the window opens (%s), and keeps no dialogue', async (_, start) => {
    t = await testApp({ env: { CERT_WINDOW_START: '2026-05-01', CERT_WINDOW_END: '2026-06-30' } });
    const f = t.follower();
    const reply = await start(f);
    expect(reply).toContain('未到认证周期');
    expect(reply).toContain('2026年5月1日至6月30日');
    expect(reply).not.toContain('办理须知');
    expect(lastLine(reply)).toContain('发送“认证”');

    const saved = await t.store.get(t.rt.layout.follower(f.openid).state.key);
    expect(saved === null ? '' : t.rt.layout.unseal(saved)).not.toContain('dialogue');
    expect(await t.store.get(t.rt.layout.follower(f.openid).open.key)).toBeNull();
    expect(await f.say('1')).not.toContain(CATEGORY_QUESTION);
  });

  it('goes by the date in China: not yet at 23:30 the evening before, open just after midnight', async () => {
    const env = { CERT_WINDOW_START: '2026-04-15', CERT_WINDOW_END: '2026-06-30' };
    t = await testApp({ env, clock: at('2026-04-14T23:30:00+08:00') });
    expect(await t.follower().say('认证')).toContain('未到认证周期');
    await t.close();
    t = await testApp({ env, clock: at('2026-04-15T00:10:00+08:00') });
    expect(await t.follower().say('认证')).toContain('【办理须知】');
  });

  it('certifies normally inside the window, without a note about suspension', async () => {
    t = await testApp({ env: { CERT_WINDOW_START: '2026-03-11', CERT_WINDOW_END: '2026-04-15' } });
    const f = t.follower();
    const first = await f.say('认证');
    expect(first).not.toContain('暂停发放');
    expect(first).not.toContain('未到认证周期');
    const { token } = await toLink(f, person(), '1', { started: true });
    expect((await complete(t, token)).status).toBe(200);
  });

  it('still certifies after the window, saying payment stops from the next month and is paid back once done', async () => {
    t = await testApp({ env: { CERT_WINDOW_START: '2026-03-11', CERT_WINDOW_END: '2026-04-10' } });
    const f = t.follower();
    const first = await f.say('认证');
    expect(first).toContain('集中认证已于2026年4月10日结束');
    expect(first).toContain('从2026年5月起暂停发放待遇');
    expect(first).toContain('补发');
    expect(lastLine(first)).toContain('回复 1');

    const { token } = await toLink(f, person(), '1', { started: true });
    expect((await complete(t, token)).status).toBe(200);
    expect(t.notifier.sent[0]!.text).toContain('认证成功');
  });
});

describe('once per cycle', () => {
  beforeEach(async () => {
    t = await testApp();
  });

  it('tells a second attempt for the same person 本认证周期已认证 with the date, right after the ID number', async () => {
    const f = t.follower();
    const p = person();
    await complete(t, (await toLink(f, p)).token);
    t.clock.advance(3 * 24 * 3600_000);

    // Three days later the conversation has long timed out: the notice comes first again.
    expect(await f.say('认证')).toContain('【办理须知】');
    await f.say('1');
    await f.say('2');
    const reply = await f.say(p.id);
    expect(reply).toContain(`身份证号 ${masked.id(p.id)} 本认证周期已认证（2026年4月15日）`);
    expect(reply).not.toContain('请发送姓名');
    expect(lastLine(reply)).toContain('回复 1');
  });

  it('tells another follower the same once they give the name the person was certified under', async () => {
    const p = person();
    await complete(t, (await toLink(t.follower(), p)).token);
    const other = t.follower();
    await other.say('认证');
    await other.say('1');
    await other.say('1');
    expect(await other.say(p.id)).toContain('请发送姓名');
    expect(await other.say(p.name)).toContain('本认证周期已认证（2026年4月15日）');
  });

  it('tells a stranger who has only the ID number nothing about the person', async () => {
    const p = person();
    await complete(t, (await toLink(t.follower(), p)).token);
    const stranger = t.follower();
    await toConfirm(stranger, { ...p, name: '张三丰' });
    const reply = await stranger.say('1');
    expect(reply).not.toContain('已认证');
    expect(reply).toMatch(/\/face-check\//);
  });

  it('stops a confirmation when someone else certified the person in the meantime', async () => {
    const p = person();
    const late = t.follower();
    await toConfirm(late, p);
    await complete(t, (await toLink(t.follower(), p)).token);
    const reply = await late.say('1');
    expect(reply).toContain('本认证周期已认证（2026年4月15日）');
    expect(reply).not.toContain('/face-check/');
  });

  it('asks again in the next cycle', async () => {
    const clock = new Clock();
    const store = createMemoryStore({ now: clock.now });
    await t.close();
    t = await testApp({ store, clock });
    const p = person();
    await complete(t, (await toLink(t.follower(), p)).token);
    clock.advance(365 * 24 * 3600_000);
    await t.close();
    t = await testApp({ store, clock, env: { CERT_WINDOW_START: '2027-03-11', CERT_WINDOW_END: '2027-06-30' } });
    const { replies } = await toLink(t.follower(), p);
    expect(replies[3]).toContain('请发送姓名');
    expect(replies.join('\n')).not.toContain('已认证');
  });
});

describe('several people from one phone', () => {
  beforeEach(async () => {
    t = await testApp();
  });

  it.each(['1', '下一位'])('starts the next person at the category on %s after a link, without the notice again', async (word) => {
    const f = t.follower();
    const a = person({ name: '王秀英' });
    const b = person({ name: '乌云其其格' });
    const first = await toLink(f, a);

    const next = await f.say(word);
    expect(lastLine(next)).toBe(CATEGORY_QUESTION);
    expect(next).not.toContain('办理须知');

    await f.say('3');
    await f.say(b.id);
    await f.say(b.name);
    const confirmation = await f.say(b.phone);
    expect(confirmation).toContain('认证类别：养老遗属认证');
    expect(confirmation).toContain(masked.id(b.id));
    expect(confirmation).toContain('乌***格');
    const second = linkIn(await f.say('1'));
    expect(second.token).not.toBe(first.token);

    await complete(t, first.token);
    await complete(t, second.token);
    expect(t.notifier.sent.map((m) => m.text)).toEqual([expect.stringContaining('王*英'), expect.stringContaining('乌***格')]);
  });

  it('starts the next person on 1 after being told a person is already certified', async () => {
    const f = t.follower();
    const p = person();
    await complete(t, (await toLink(f, p)).token);
    await f.say('1');
    await f.say('1');
    expect(await f.say(p.id)).toContain('本认证周期已认证');
    expect(lastLine(await f.say('1'))).toBe(CATEGORY_QUESTION);
  });
});

describe('a window that follows the clock (no CERT_WINDOW_* set)', () => {
  it('moves to the new year by itself: last year\'s certification does not count, and the dates say the new year', async () => {
    const clock = new Clock(Date.parse('2026-05-10T10:00:00+08:00'));
    const store = createMemoryStore({ now: clock.now });
    const t = await testApp({ clock, store, env: { CERT_WINDOW_START: '', CERT_WINDOW_END: '' } });
    const p = person();
    const { token } = await toLink(t.follower(), p);
    expect((await complete(t, token)).status).toBe(200);

    clock.ms = Date.parse('2027-03-20T10:00:00+08:00'); // the same process, a year later
    const f = t.follower();
    expect(await f.say('认证')).toContain('2027年3月11日至6月30日');
    for (const text of ['1', '1']) await f.say(text);
    expect(lastLine(await f.say(p.id))).toBe('请发送姓名。');
    expect(await f.say('集中认证时间是什么时候')).toContain('2027');
    await t.close();
  });
});
