import request from 'supertest';
import type { TestApp } from '../helpers/app';
import { openTestReply, signedText, type PushMode } from '../helpers/push';
import { describeWithRedisServer, RedisServer } from '../helpers/redis-server';
import { appOn, idNumber, KEY_PREFIX, PROMPT, scanKeys, slowReads, stateOf } from './fixtures';

/**
 * WeChat delivers every push up to three times when it does not see an answer in time. In a storm
 * every push of every follower comes three times, to either of two instances: all three at once,
 * one and then two at once, or one after another. Each push must be handled once (the dialogue
 * moves one step; one face-check link per person) and all three deliveries get the same reply.
 */
type Pattern = 'all at once' | 'one, then two at once' | 'one after another';
const PATTERNS: readonly Pattern[] = ['all at once', 'one, then two at once', 'one after another'];

describeWithRedisServer('a retry storm', () => {
  let server: RedisServer;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    server = await RedisServer.launch();
    // Slow state reads make deliveries "at once" overlap for real.
    a = await appOn(server, { wrap: slowReads(20) });
    b = await appOn(server, { wrap: slowReads(20) });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await server.dispose();
  });

  const deliver = async (t: TestApp, push: { query: Record<string, string>; body: string }) => {
    const res = await request(t.rt.app.callback()).post('/wechat').query(push.query).type('text/xml').send(push.body);
    expect(res.status).toBe(200);
    return (await openTestReply(res.text)).Content ?? '';
  };

  async function thrice(pattern: Pattern, push: { query: Record<string, string>; body: string }): Promise<string[]> {
    switch (pattern) {
      case 'all at once':
        return Promise.all([deliver(a, push), deliver(b, push), deliver(a, push)]);
      case 'one, then two at once': {
        const first = await deliver(a, push);
        return [first, ...(await Promise.all([deliver(b, push), deliver(a, push)]))];
      }
      case 'one after another':
        return [await deliver(a, push), await deliver(b, push), await deliver(a, push)];
    }
  }

  it('handles each push once and gives all three deliveries the same reply', async () => {
    const followers = 24;
    const walk = (i: number): [string, string][] => [
      ['认证', PROMPT.notice],
      ['1', PROMPT.category],
      ['1', PROMPT.id],
      [idNumber(500 + i), PROMPT.name],
      ['王秀英', PROMPT.phone],
      ['13912342345', PROMPT.confirm],
      ['1', PROMPT.link],
    ];
    await Promise.all(
      Array.from({ length: followers }, async (_, i) => {
        const openid = `opn_storm_${process.pid}_${i}`;
        // A third of the followers come through safe mode: replies are encrypted, compared opened.
        const mode: PushMode = i % 3 === 0 ? 'safe' : 'plain';
        for (const [step, [text, expected]] of walk(i).entries()) {
          const now = Math.floor(Date.now() / 1000);
          const push = signedText(openid, text, { mode, msgId: `${now}${i}${step}`, createTime: now, timestampSeconds: now });
          const replies = await thrice(PATTERNS[(i + step) % PATTERNS.length]!, push);
          expect(new Set(replies).size).toBe(1);
          // Handled twice, "1" would have moved the dialogue two steps and the reply would name the later one.
          expect(replies[0]).toContain(expected);
        }
        expect((await stateOf(a, server, openid))?.dialogue?.step).toBe('linked');
      }),
    );
    // One link per follower: the face-check effect ran once per push, not once per delivery.
    // Links live under their follower's hash tag (store/layout.ts): f:{tag}:fc:<hash of the token>.
    expect(await scanKeys(server, `${KEY_PREFIX}f:*:fc:*`)).toHaveLength(followers);
  }, 30_000);
});
