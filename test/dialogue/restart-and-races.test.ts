import { createRedisStore } from '../../src/store';
import { testApp, type TestApp } from '../helpers/app';
import { appOn, complete, dropRedisPrefix, linkIn, masked, onEachStore, person, toLink, type AppOnStore } from '../helpers/certify';
import { describeRedis, freshRedisStore, REDIS_URL } from '../helpers/redis';

/** State lives in the store: a restart loses nothing, and racing relatives yield one record. */

describeRedis('an app restarted mid-dialogue on a real Redis', () => {
  let prefix = '';
  let running: TestApp | null = null;
  afterEach(async () => {
    await stop();
    await dropRedisPrefix(prefix);
  });

  /** Stops the running instance: its connection is closed, nothing of it survives but the keys. */
  async function stop(): Promise<void> {
    await running?.close();
    running = null;
  }

  /** A new runtime with its own connection to the same keys, as after a deploy. */
  async function restart(): Promise<TestApp> {
    await stop();
    const store = createRedisStore({ url: REDIS_URL!, keyPrefix: prefix });
    await store.waitReady(5000);
    running = await testApp({ store });
    return running;
  }

  it('continues in the second instance where the first left off, and a third completes the link', async () => {
    const first = await freshRedisStore();
    prefix = first.prefix;
    const t1 = (running = await testApp({ store: first }));
    const p = person();
    const before = t1.follower();
    await before.say('认证');
    await before.say('1');
    await before.say('4');
    expect(await before.say(p.id)).toContain('请发送姓名');

    const t2 = await restart();
    const after = t2.follower(before.openid);
    expect(await after.say(p.name)).toContain('请发送手机号码');
    const confirmation = await after.say(p.phone);
    expect(confirmation).toContain('认证类别：工伤遗属认证');
    expect(confirmation).toContain(`身份证号：${masked.id(p.id)}`);
    expect(confirmation).toContain('姓名：乌***格');
    const { token } = linkIn(await after.say('1'));

    const t3 = await restart();
    expect((await complete(t3, token)).status).toBe(200);
    expect(t3.notifier.sent).toEqual([{ openid: before.openid, text: expect.stringContaining('认证成功') }]);
    // The follower, back in the conversation, is at the step after the link: 1 starts another person.
    expect(await t3.follower(before.openid).say('1')).toContain('请选择认证类别');
  });
});

onEachStore((adapter) => {
  let app: AppOnStore;
  beforeEach(async () => {
    app = await appOn(adapter);
  });
  afterEach(() => app.close());

  const records = async () => [...(await app.values()).keys()].filter((k) => k.startsWith('rec:'));

  it('keeps exactly one record when two relatives certify the same person and both pass at once', async () => {
    const { t } = app;
    const p = person();
    const [a, b] = [t.follower(), t.follower()];
    const [linkA, linkB] = [await toLink(a, p, '1'), await toLink(b, p, '3')];

    const results = await Promise.all([complete(t, linkA.token), complete(t, linkB.token)]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);

    expect(await records()).toHaveLength(1);
    const told = t.notifier.sent.map((m) => m.openid).sort();
    expect(told).toEqual([a.openid, b.openid].sort());
    for (const m of t.notifier.sent) expect(m.text).toContain('已于2026年4月15日完成');

    const third = t.follower();
    await third.say('认证');
    await third.say('1');
    await third.say('1');
    await third.say(p.id);
    expect(await third.say(p.name)).toContain(`身份证号 ${masked.id(p.id)} 本认证周期已认证（2026年4月15日）`);
  });

  it('keeps one record per person when different people are certified', async () => {
    const { t } = app;
    const [p, q] = [person(), person()];
    await complete(t, (await toLink(t.follower(), p)).token);
    await complete(t, (await toLink(t.follower(), q)).token);
    expect(await records()).toHaveLength(2);
  });

  it('lets only one of two simultaneous completions of the same link through', async () => {
    const { t } = app;
    const { token } = await toLink(t.follower(), person());
    const results = await Promise.all([complete(t, token, { result: 'pass' }), complete(t, token, { result: 'fail' })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 410]);
    expect(t.notifier.sent).toHaveLength(1);
  });
});
