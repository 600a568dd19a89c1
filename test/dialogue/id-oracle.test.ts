import { createMemoryStore, type Store } from '../../src/store';
import { Clock, testApp, type TestApp } from '../helpers/app';
import { complete, keyRecordingStore, linkIn, person, toConfirm, toLink } from '../helpers/certify';

/**
 * The once-per-cycle mark is no oracle of who is a certified pensioner: nobody learns it from an ID
 * number alone, and no phone can try ID numbers in bulk.
 */
let t: TestApp;
afterEach(async () => t?.close());

describe('looking people up', () => {
  it('stops a phone after ID_LOOKUPS_PER_DAY people in a day, kindly, and lets it go on the next day', async () => {
    t = await testApp({ env: { ID_LOOKUPS_PER_DAY: '3' } });
    const f = t.follower();
    await f.say('认证');
    await f.say('1');
    await f.say('1');
    for (let i = 0; i < 3; i++) {
      expect(await f.say(person().id)).toContain('请发送姓名');
      await f.say('返回');
    }
    const refused = await f.say(person().id);
    expect(refused).toContain('一天最多为 3 位老人');
    expect(refused).toContain('0471-3670679');
    t.clock.advance(24 * 3600_000);
    await f.say('认证');
    await f.say('1');
    await f.say('1');
    expect(await f.say(person().id)).toContain('请发送姓名');
  });

  it('answers 50 ID numbers typed by a stranger without telling which of them are certified', async () => {
    t = await testApp({ env: { ID_LOOKUPS_PER_DAY: '1000' } });
    const certified = person();
    await complete(t, (await toLink(t.follower(), certified)).token);
    const stranger = t.follower();
    await stranger.say('认证');
    await stranger.say('1');
    await stranger.say('1');
    const replies: string[] = [];
    for (let i = 0; i < 50; i++) {
      replies.push(await stranger.say(i === 25 ? certified.id : person().id));
      await stranger.say('返回');
    }
    expect(new Set(replies).size).toBe(1);
    expect(replies[25]).not.toContain('已认证');
  });
});

describe('a lost race', () => {
  it('leaves exactly one live link when the save had to be retried', async () => {
    const clock = new Clock();
    const inner = keyRecordingStore(createMemoryStore({ now: clock.now }));
    let raced = false;
    // As if a second message of the same follower saved its state between our read and our save.
    const store: Store = {
      ...inner,
      async compareAndSet(key, expected, next, also) {
        if (!raced && expected !== null && also?.some((w) => w.key.includes(':fc:'))) {
          raced = true;
          const raw = await inner.get(key);
          await inner.set(key, t.rt.layout.codecs.state.encode(t.rt.layout.codecs.state.decode(raw!)!), 60_000);
        }
        return inner.compareAndSet(key, expected, next, also);
      },
    };
    t = await testApp({ store, clock });
    const f = t.follower();
    await toConfirm(f, person());
    const { token } = linkIn(await f.say('1'));
    expect(raced).toBe(true);
    const tag = t.rt.layout.tagOf(f.openid);
    const links = [...(await inner.values()).keys()].filter((k) => k.startsWith(`f:{${tag}}:fc:`));
    expect(links).toHaveLength(1);
    expect((await complete(t, token)).status).toBe(200);
  });
});
