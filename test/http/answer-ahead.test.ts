import path from 'node:path';
import { faqPort } from '../../src/compose';
import type { FaqPort } from '../../src/dialogue/types';
import { loadKnowledgeBase } from '../../src/faq';
import { handle, type HandleDeps } from '../../src/handle';
import { TEMPLATES_DIR } from '../../src/paths';
import { createMemoryStore, type Store } from '../../src/store';
import { Clock, testApp, type TestApp } from '../helpers/app';
import { person } from '../helpers/certify';
import { signedText } from '../helpers/push';

/**
 * A question from a follower who keeps nothing here is answered in one round trip: the answer is
 * worked out before the claim and written as the claim itself (handle.ts `answerAhead`). Whenever
 * the follower does keep something — a dialogue, a timed-out one, a message kept for them — the
 * answer must be the one the dialogue gives, not the one worked out from the text alone.
 */
function counting(inner: Store): Store & { calls: string[] } {
  const calls: string[] = [];
  const wrapped = Object.fromEntries(
    Object.entries(inner).map(([name, f]) => [name, (...args: unknown[]) => (calls.push(name), (f as (...a: unknown[]) => unknown)(...args))]),
  ) as unknown as Store;
  return Object.assign(wrapped, { calls });
}

const QUESTION = '每年要认证几次？';

describe('a question from a follower who keeps nothing', () => {
  let t: TestApp;
  let store: Store & { calls: string[] };
  beforeEach(async () => {
    const clock = new Clock();
    store = counting(createMemoryStore({ now: clock.now }));
    t = await testApp({ store, clock });
  });
  afterEach(() => t.close());

  it('is answered in one round trip, and its retry gets the same answer in one more', async () => {
    const f = t.follower();
    const push = signedText(f.openid, QUESTION, { msgId: '880001', createTime: Math.floor(t.clock.ms / 1000), timestampSeconds: Math.floor(t.clock.ms / 1000) });
    store.calls.length = 0;
    const first = await f.read(push);
    expect(first).toContain('问：');
    expect(store.calls).toEqual(['claimAndRead']);
    const again = await f.read(push);
    expect(again).toBe(first);
    expect(store.calls).toEqual(['claimAndRead', 'claimAndRead']);
    // Nothing is kept for a follower who only asked.
    const keys: string[] = [];
    for await (const batch of t.store.scan('*')) keys.push(...batch.map(([k]) => k).filter((k) => !k.includes(':d:') && !k.startsWith('stats:')));
    expect(keys).toEqual([]);
  });

  it('is answered by the dialogue when one is open: the answer, then the step asked again', async () => {
    const alone = await t.follower().say(QUESTION);
    const f = t.follower();
    await f.tap('CERT_START');
    expect(await f.say('1')).toContain('请选择认证类别');
    const inDialogue = await f.say(QUESTION);
    expect(inDialogue).not.toBe(alone);
    expect(inDialogue).toContain(alone.split('\n')[0]!);
    expect(inDialogue).toContain('请选择认证类别');
  });

  it('tells a follower whose dialogue timed out why it ended, before the answer', async () => {
    const f = t.follower();
    await f.tap('CERT_START');
    await f.say('1');
    t.clock.advance(t.rt.config.cert.dialogueIdleMs + 60_000);
    const reply = await f.say(QUESTION);
    expect(reply).toContain('问：');
    expect(reply.indexOf('已经自动结束')).toBeGreaterThanOrEqual(0);
    expect(reply.indexOf('已经自动结束')).toBeLessThan(reply.indexOf('问：'));
  });

  it('starts with a message kept for the follower, and uses it up', async () => {
    const f = t.follower();
    const slot = t.rt.layout.follower(f.openid).notice;
    await t.store.set(slot.key, slot.codec.encode(['【认证结果】王*英 已通过认证。']), slot.ttlMs);
    const reply = await f.say(QUESTION);
    expect(reply.startsWith('【认证结果】王*英 已通过认证。')).toBe(true);
    expect(reply).toContain('问：');
    expect(await t.store.get(slot.key)).toBeNull();
    expect(await f.say(QUESTION)).not.toContain('【认证结果】');
  });
});

describe('the items of a person, typed in a dialogue', () => {
  it('never reach the FAQ matcher (whose readings are kept) on their way to the answer worked out ahead', async () => {
    const t = await testApp();
    try {
      const real = faqPort(loadKnowledgeBase(path.join(TEMPLATES_DIR, 'faq'), t.rt.content.vars, 'during'), t.rt.content.commands);
      const asked: string[] = [];
      const faq: FaqPort = { ...real, match: (text) => (asked.push(text), real.match(text)) };
      const { rt } = t;
      const deps: HandleDeps = { config: rt.config, store: rt.store, layout: rt.layout, content: rt.content, faq, logger: rt.logger, metrics: rt.metrics, stats: rt.stats, now: t.clock.now };
      const p = person();
      let seq = 0;
      const say = async (content: string) => {
        const reply = await handle({ toUserName: 'gh_test', fromUserName: 'opn_items', createTime: Math.floor(t.clock.ms / 1000), msgType: 'text', msgId: String(++seq), content }, deps);
        return reply.kind === 'text' ? reply.content : '';
      };
      for (const line of ['认证', '1', '1', p.id, p.name]) await say(line);
      expect(await say(p.phone)).toContain('请核对信息');
      expect(asked.filter((text) => text.includes(p.phone) || text.includes(p.id.slice(6, 14)))).toEqual([]);
      // The spy does see what is asked: a question in the dialogue reaches the matcher.
      await say(QUESTION);
      expect(asked).toContain(QUESTION);
    } finally {
      await t.close();
    }
  });
});
