import type { Follower, TestApp } from '../helpers/app';
import { describeWithRedisServer, RedisServer } from '../helpers/redis-server';
import { appOn, idNumber, PROMPT, slowReads, stateOf } from './fixtures';

/**
 * One follower's messages reach two app instances at the same moment (a load balancer spreads
 * them). Each instance reads the state, computes, and writes back with compare-and-set; the loser
 * recomputes on the newer state. So every message is applied exactly once, in some order, to the
 * state the others left: no update is lost, no step skipped or taken twice. State reads are slowed
 * down so that the messages really overlap (both read before either writes) on every run.
 */
describeWithRedisServer('one follower’s messages racing on two instances', () => {
  let server: RedisServer;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    server = await RedisServer.launch();
    a = await appOn(server, { wrap: slowReads(30) });
    b = await appOn(server, { wrap: slowReads(30) });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await server.dispose();
  });

  /** The same follower as seen through each instance (same openid, own message counter). */
  const onBoth = (f: Follower): [Follower, Follower] => [f, b.follower(f.openid)];

  it('applies four identical answers sent at once exactly once each, in order', async () => {
    const followers = Array.from({ length: 20 }, () => a.follower());
    await Promise.all(followers.map((f) => f.say('认证')));

    const replies = await Promise.all(
      followers.map(async (f) => {
        const [viaA, viaB] = onBoth(f);
        return Promise.all([viaA.say('1'), viaB.say('1'), viaA.say('1'), viaB.say('1')]);
      }),
    );
    for (const [i, r] of replies.entries()) {
      // Taken serially: notice → category, category → ID, then twice "not an ID number".
      expect(r.filter((x) => x.includes(PROMPT.category))).toHaveLength(1);
      expect(r.filter((x) => x.startsWith(PROMPT.id))).toHaveLength(1);
      expect(r.filter((x) => x.startsWith(PROMPT.idLength))).toHaveLength(2);
      const state = await stateOf(a, server, followers[i]!.openid);
      expect(state?.dialogue).toEqual({ step: 'id', draft: { category: 0 } });
    }
  });

  it('loses neither of two different answers sent at once', async () => {
    const followers = Array.from({ length: 30 }, () => a.follower());
    const id = (i: number) => idNumber(100 + i);
    await Promise.all(followers.map(async (f, i) => {
      for (const text of ['认证', '1', '1', id(i)]) await f.say(text);
    }));

    const outcomes = await Promise.all(
      followers.map(async (f) => {
        const [viaA, viaB] = onBoth(f);
        const [toName, toPhone] = await Promise.all([viaA.say('王秀英'), viaB.say('13912342345')]);
        return { toName, toPhone, state: await stateOf(a, server, f.openid) };
      }),
    );
    for (const [i, { toName, toPhone, state }] of outcomes.entries()) {
      // Either order is right; each must look exactly as if the two had come one after the other.
      // Both end at the confirmation: a phone number that reaches the name step first is kept and
      // the name asked, as any item sent out of turn is.
      expect(state?.dialogue).toEqual({ step: 'confirm', draft: { category: 0, id: id(i), name: '王秀英', phone: '13912342345' } });
      if (toPhone.includes(PROMPT.confirm)) expect(toName).toContain(PROMPT.phone);
      else expect([toPhone, toName]).toEqual([expect.stringContaining(PROMPT.name), expect.stringContaining(PROMPT.confirm)]);
    }
  });
});
