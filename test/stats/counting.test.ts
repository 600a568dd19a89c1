import { createMemoryStore } from '../../src/store';
import { Clock, testApp, type TestApp } from '../helpers/app';
import { appOn, complete, onEachStore, openPage, person, toConfirm, toLink, type AppOnStore } from '../helpers/certify';

/**
 * The office's counters, driven through the webhook as followers use it: counts land in today's
 * hash in the store, once per delivery, and counting never changes an answer.
 */
const TODAY = '2026-04-15';

/** What the store holds for a day, once this instance's tally is written. */
async function countsOn(t: TestApp, date = TODAY): Promise<Record<string, number>> {
  await t.rt.stats.flush();
  const hash = await t.store.readHash(t.rt.layout.stats(2026, date).key);
  return Object.fromEntries(Object.entries(hash).map(([k, v]) => [k, Number(v)]));
}

/** Counts written after the answer (a page opening waits on one more round trip): polled, bounded. */
async function countsWhen(t: TestApp, ready: (c: Record<string, number>) => boolean): Promise<Record<string, number>> {
  for (let i = 0; ; i++) {
    const c = await countsOn(t);
    if (ready(c) || i >= 100) return c;
    await new Promise((r) => setTimeout(r, 20));
  }
}

onEachStore((adapter) => {
  let app: AppOnStore;
  afterEach(() => app.close());

  it('counts two passes, one fail and one person stopping at the ID step, step by step and by category', async () => {
    app = await appOn(adapter);
    const { t } = app;
    const a = t.follower();
    const first = await toLink(a, person());
    expect((await complete(t, first.token)).status).toBe(200);
    // The same phone certifies a second person: no notice again, but a new beginning.
    const second = await toLink(a, person(), '2', { acknowledged: true });
    expect((await openPage(t, second.token)).status).toBe(200);
    expect((await openPage(t, second.token)).status).toBe(200);
    expect((await complete(t, second.token)).status).toBe(200);

    const b = t.follower();
    const third = await toLink(b, person());
    expect((await complete(t, third.token, { result: 'fail' })).status).toBe(200);

    const c = t.follower();
    await c.tap('CERT_START');
    await c.say('1');
    expect(await c.say('1')).toContain('请发送身份证号码');

    const counts = await countsWhen(t, (n) => n.linkOpened === 1);
    expect(counts).toMatchObject({
      began: 4, 'step:notice': 3, 'step:category': 4, 'step:id': 4, 'step:name': 3, 'step:phone': 3, 'step:confirm': 3,
      linkIssued: 3, linkOpened: 1, passed: 2, failed: 1, 'fail:stubFail': 1,
      'cat:0:step:id': 3, 'cat:1:step:id': 1, 'cat:0:linkIssued': 2, 'cat:1:linkIssued': 1, 'cat:1:linkOpened': 1,
      'cat:0:passed': 1, 'cat:1:passed': 1, 'cat:0:failed': 1,
    });
    expect(counts['alreadyCertified']).toBeUndefined();
  });

  it('counts a person found already certified on the phone that certified them', async () => {
    app = await appOn(adapter);
    const { t } = app;
    const f = t.follower();
    const p = person();
    const { token } = await toLink(f, p);
    await complete(t, token);
    await f.say('认证');
    await f.say('1');
    expect(await f.say(p.id)).toContain('本认证周期已认证');
    expect(await countsOn(t)).toMatchObject({ began: 2, 'step:id': 2, alreadyCertified: 1, 'cat:0:alreadyCertified': 1, passed: 1 });
  });

  it('counts the confirmation once when one item is changed there', async () => {
    app = await appOn(adapter);
    const { t } = app;
    const f = t.follower();
    const p = person();
    expect((await toConfirm(f, p)).pop()).toContain('请核对信息');
    expect(await f.say('名字不对')).toContain('请输入老人的姓名');
    expect(await f.say(p.name)).toContain('请核对信息');
    expect(await f.say('手机号错了')).toContain('请输入手机号码');
    expect(await f.say(p.phone)).toContain('请核对信息');
    expect(await countsOn(t)).toMatchObject({ 'step:name': 1, 'step:phone': 1, 'step:confirm': 1, 'cat:0:step:confirm': 1 });
  });

  it('counts questions answered and not answered, by entry and never by their text', async () => {
    app = await appOn(adapter);
    const { t } = app;
    const f = t.follower();
    expect(await f.say('每年认证几次')).toContain('答：');
    expect(await f.say('今天晚上吃什么好呢')).toContain('这个问题我还回答不了');
    const counts = await countsOn(t);
    expect(counts).toMatchObject({ 'faq:answered': 1, 'faq:unanswered': 1, 'faq:entry:how-often': 1 });
    expect(Object.keys(counts).join(' ')).not.toMatch(/认证几次|吃什么/);
  });

  it('counts a delivery once, however often WeChat retries it', async () => {
    app = await appOn(adapter);
    const { t } = app;
    const f = t.follower();
    const first = await f.say('认证', { msgId: '9001' });
    expect(await f.say('认证', { msgId: '9001' })).toBe(first);
    expect(await countsOn(t)).toEqual({ began: 1, 'step:notice': 1 });
  });
});

describe('when the store refuses the counts', () => {
  it('answers the follower exactly as before, and writes the counts once the store takes them again', async () => {
    const clock = new Clock();
    const memory = createMemoryStore({ now: clock.now });
    let down = true;
    const store = { ...memory, incrementFields: (...a: Parameters<typeof memory.incrementFields>) => (down ? Promise.reject(new Error('counter store down')) : memory.incrementFields(...a)) };
    const t = await testApp({ store, clock });
    const f = t.follower();
    expect(await f.tap('CERT_START')).toContain('【办理须知】');
    await t.rt.stats.flush();
    expect(await f.say('1')).toContain('请选择认证类别');
    expect(await f.say('1')).toContain('请发送身份证号码');
    await t.rt.stats.flush();
    expect(await memory.readHash(t.rt.layout.stats(2026, TODAY).key)).toEqual({});
    down = false;
    expect(await countsOn(t)).toEqual({ began: 1, 'step:notice': 1, 'step:category': 1, 'step:id': 1, 'cat:0:step:id': 1 });
    await t.close();
  });

  it('writes what is left when the service stops', async () => {
    const clock = new Clock();
    const store = createMemoryStore({ now: clock.now });
    const t = await testApp({ store, clock });
    await t.follower().say('认证');
    await t.close();
    expect(await store.readHash(t.rt.layout.stats(2026, TODAY).key)).toEqual({ began: '1', 'step:notice': '1' });
  });
});

describe('counting by China day', () => {
  it('puts a push just after midnight in China into the new day', async () => {
    const clock = new Clock(Date.parse('2026-04-15T23:59:30+08:00'));
    const t = await testApp({ clock });
    await t.follower().say('认证');
    clock.advance(60_000);
    await t.follower().say('认证');
    expect(await countsOn(t, '2026-04-15')).toMatchObject({ began: 1 });
    expect(await countsOn(t, '2026-04-16')).toMatchObject({ began: 1 });
    await t.close();
  });
});
