import { createRedisStore } from '../../src/store';
import { adminEnv, Desk } from '../helpers/admin';
import { Clock, testApp } from '../helpers/app';
import { appOn, complete, onEachStore, person, toLink, type AppOnStore } from '../helpers/certify';
import { describeRedis, freshRedisStore, REDIS_URL } from '../helpers/redis';
import type { TestApp } from '../helpers/app';

/** The console's numbers after known dialogues: /admin/api/summary and the page's tables agree with what happened. */

/** Two passes, one fail and one person stopping at the ID step (the "done when"), plus two questions. */
async function knownDay(t: TestApp) {
  const a = t.follower();
  const first = await toLink(a, person());
  await complete(t, first.token);
  const second = await toLink(a, person(), '2', { acknowledged: true });
  await complete(t, second.token);
  const b = t.follower();
  const third = await toLink(b, person());
  await complete(t, third.token, { result: 'fail' });
  const c = t.follower();
  await c.tap('CERT_START');
  await c.say('1');
  await c.say('1');
  const d = t.follower();
  await d.say('每年认证几次');
  await d.say('今天晚上吃什么好呢');
}

onEachStore((adapter) => {
  let app: AppOnStore;
  afterEach(() => app.close());

  it('says passed 2, failed 1, began 4 and links 3 after two passes, one fail and one stop at the ID step', async () => {
    app = await appOn(adapter, { env: await adminEnv() });
    const { t } = app;
    await knownDay(t);
    const desk = new Desk(t);
    await desk.login();
    const res = await desk.summary();
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const s = res.body;
    expect(s.cycle).toBe(2026);
    expect(s.totals).toEqual({ started: 4, linkIssued: 3, linkOpened: 0, passed: 2, failed: 1, alreadyCertified: 0, notFinished: 1 });
    expect(s.window).toEqual({ start: '2026-03-11', end: '2026-06-30', phase: 'during', daysLeft: 77, daysToStart: 0 });
    expect(s.countingSince).toBe('2026-04-15');

    const stage = (key: string) => s.funnel.find((f: { stage: string }) => f.stage === key);
    expect(stage('step:id')).toMatchObject({ count: 4, stoppedHere: 1, percentOfStarted: 100, label: '填写身份证号' });
    expect(stage('step:name')).toMatchObject({ count: 3, stoppedHere: 0 });
    expect(stage('linkIssued')).toMatchObject({ count: 3, stoppedHere: 3 });
    expect(stage('passed')).toMatchObject({ count: 2, stoppedHere: null });
    expect(s.funnel.map((f: { stage: string }) => f.stage)).not.toContain('providerStarted');

    expect(s.byCategory[0]).toMatchObject({ label: '养老资格认证', reachedId: 3, linkIssued: 2, passed: 1, failed: 1 });
    expect(s.byCategory[1]).toMatchObject({ label: '工伤资格认证', reachedId: 1, linkIssued: 1, passed: 1, failed: 0 });
    expect(s.byCategory).toHaveLength(5);
    expect(s.failures).toEqual([{ reason: 'stubFail', label: '模拟未通过（模拟页面）', count: 1 }]);
    expect(s.questions).toEqual({ answered: 1, suggested: 0, unanswered: 1, entries: [{ id: 'how-often', question: expect.stringContaining('认证'), count: 1 }] });

    expect(s.byDay).toHaveLength(112);
    expect(s.byDay[0]).toEqual({ date: '2026-03-11', future: false, started: 0, linkIssued: 0, passed: 0, failed: 0 });
    expect(s.byDay.find((d: { date: string }) => d.date === '2026-04-15')).toEqual({ date: '2026-04-15', future: false, started: 4, linkIssued: 3, passed: 2, failed: 1 });
    expect(s.byDay.find((d: { date: string }) => d.date === '2026-04-16').future).toBe(true);
  });

  it('shows the same numbers on the page, in plain tables', async () => {
    app = await appOn(adapter, { env: await adminEnv() });
    const { t } = app;
    await knownDay(t);
    const desk = new Desk(t);
    await desk.login();
    const page = (await desk.agent.get('/admin')).text;
    const total = (k: string) => new RegExp(`data-total="${k}">(\\d+)<`).exec(page)?.[1];
    expect([total('started'), total('linkIssued'), total('passed'), total('failed'), total('notFinished')]).toEqual(['4', '3', '2', '1', '1']);
    expect(page).toContain('集中认证进行中：到2026年6月30日结束，还剩 77 天（含今天）。');
    expect(page).toContain('计数从2026年4月15日开始');
    expect(page).toMatch(/<tr><td>4月15日<\/td><td class="num">4<\/td><td class="num">3<\/td><td class="num">2<\/td><td class="num">1<\/td><\/tr>/);
    expect(page).toMatch(/<tr><td>填写身份证号<\/td><td class="num">4<\/td><td class="num">100%<\/td><td class="num">1<\/td><\/tr>/);
    expect(page).toMatch(/<tr><td>模拟未通过（模拟页面）<\/td><td class="num">1<\/td><\/tr>/);
  });

  it('adds up days: a pass the next day lands on that day and in the totals', async () => {
    const clock = new Clock();
    app = await appOn(adapter, { clock, env: await adminEnv() });
    const { t } = app;
    await complete(t, (await toLink(t.follower(), person())).token);
    clock.advance(24 * 3600_000);
    await complete(t, (await toLink(t.follower(), person())).token);
    const desk = new Desk(t);
    await desk.login();
    const s = (await desk.summary()).body;
    expect(s.totals).toMatchObject({ started: 2, passed: 2 });
    expect(s.window.daysLeft).toBe(76);
    const passedOn = (date: string) => s.byDay.find((d: { date: string }) => d.date === date).passed;
    expect([passedOn('2026-04-15'), passedOn('2026-04-16')]).toEqual([1, 1]);
  });
});

it('says how many days are left before the window and none after it', async () => {
  const before = await testApp({ clock: new Clock(Date.parse('2026-03-01T09:00:00+08:00')), env: await adminEnv() });
  const desk = new Desk(before);
  await desk.login();
  expect((await desk.summary()).body.window).toMatchObject({ phase: 'before', daysToStart: 10, daysLeft: 122 });
  expect((await desk.agent.get('/admin')).text).toContain('集中认证还没开始：2026年3月11日开始，还有 10 天。');
  await before.close();

  const after = await testApp({ clock: new Clock(Date.parse('2026-07-02T09:00:00+08:00')), env: await adminEnv() });
  const late = new Desk(after);
  await late.login();
  const s = (await late.summary()).body;
  expect(s.window).toMatchObject({ phase: 'after', daysLeft: 0 });
  expect(s.byDay[s.byDay.length - 1].date).toBe('2026-07-02');
  await after.close();
});

describeRedis('two instances on one Redis', () => {
  it('count into the same numbers, and a login on one is known to the other', async () => {
    const first = await freshRedisStore();
    const second = createRedisStore({ url: REDIS_URL!, keyPrefix: first.prefix });
    const env = await adminEnv();
    const a = await testApp({ store: first, env });
    const b = await testApp({ store: second, env });
    await complete(a, (await toLink(a.follower(), person())).token);
    await complete(b, (await toLink(b.follower(), person())).token);
    // Each instance writes its tally within a second; the console writes its own before it reads.
    await a.rt.stats.flush();
    const desk = new Desk(a);
    await desk.login();
    const cookie = (await desk.agent.jar.getCookie('pcw_admin', { domain: '127.0.0.1', path: '/', secure: false, script: false }))?.toValueString();
    const fromB = await new Desk(b).agent.get('/admin/api/summary').set('Cookie', cookie ?? '');
    expect(fromB.status).toBe(200);
    expect(fromB.body.totals).toMatchObject({ started: 2, linkIssued: 2, passed: 2 });
    await a.close();
    await b.close();
  });
});
