import request from 'supertest';
import { createMemoryStore, type Store } from '../../src/store';
import { Clock, testApp, type TestApp } from '../helpers/app';
import { openReply, signedEvent, signedText, TEST_TOKEN } from '../helpers/push';
import { describeRedis, freshRedisStore } from '../helpers/redis';

const contentOf = async (res: request.Response) => (await openReply(res.text, { token: TEST_TOKEN, crypto: null })).Content ?? '';
const send = (app: TestApp, push: { query: Record<string, string>; body: string }) =>
  request(app.rt.app.callback()).post('/wechat').query(push.query).type('text/xml').send(push.body);

/** WeChat delivers a push up to three times; each must be handled once and answered alike. */
function retrySuite(name: string, makeStore: () => Promise<Store>) {
  describe(name, () => {
    let a: TestApp;
    let b: TestApp;
    beforeEach(async () => {
      const store = await makeStore();
      const clock = new Clock(Date.now());
      a = await testApp({ store, clock });
      b = await testApp({ store, clock });
    });
    afterEach(async () => {
      await a.close();
    });

    const ts = () => Math.floor(a.clock.ms / 1000);

    it('answers a retried message with the first reply and moves the dialogue only once', async () => {
      const f = a.follower();
      await f.tap('CERT_START');
      const push = signedText(f.openid, '1', { msgId: '900001', createTime: ts(), timestampSeconds: ts() });
      const first = await contentOf(await send(a, push));
      const again = await contentOf(await send(a, push));
      expect(first).toContain('认证类别');
      expect(again).toBe(first);
      // Had the retry been handled, "1" would have chosen a category and the next prompt would ask for the ID.
      expect(await f.say('1')).toContain('身份证号码');
    });

    it('tells apart two messages without a MsgId sent in the same second, and still answers a retry alike', async () => {
      const f = a.follower();
      const when = { createTime: ts(), timestampSeconds: ts() };
      const question = signedText(f.openid, '每年认证几次', when);
      const start = signedText(f.openid, '认证', when);
      const answer = await contentOf(await send(a, question));
      const started = await contentOf(await send(b, start));
      expect(answer).toContain('一次');
      expect(started).toContain('办理须知');
      expect(await contentOf(await send(b, question))).toBe(answer);
    });

    it('keeps a message without a MsgId under a keyed hash, never under its text', async () => {
      const f = a.follower();
      const id = '150102194501010020';
      await contentOf(await send(a, signedText(f.openid, `身份证${id}`, { createTime: ts(), timestampSeconds: ts() })));
      await contentOf(await send(a, signedText(f.openid, '每年认证几次', { msgId: '7345001', createTime: ts(), timestampSeconds: ts() })));
      const keys: string[] = [];
      for await (const batch of a.rt.store.scan('*')) keys.push(...batch.map(([k]) => k));
      const deliveries = keys.filter((k) => k.includes(':d:'));
      expect(deliveries).toHaveLength(2);
      expect(keys.join(' ')).not.toContain(id.slice(6, 14));
      // WeChat's own id (digits and the type) names its key as it is: no HMAC on the hot path.
      expect(deliveries.filter((k) => k.endsWith(`:d:m:7345001:${ts()}:text`))).toHaveLength(1);
    });

    it('handles three deliveries arriving at once at two instances exactly once', async () => {
      const f = a.follower();
      await f.tap('CERT_START');
      const push = signedText(f.openid, '1', { msgId: '900002', createTime: ts(), timestampSeconds: ts() });
      const replies = await Promise.all([send(a, push), send(b, push), send(a, push)].map(async (r) => contentOf(await r)));
      expect(new Set(replies).size).toBe(1);
      expect(replies[0]).toContain('认证类别');
      expect(await f.say('1')).toContain('身份证号码');
    });

    it('tells events apart by time, event and key, and deduplicates their retries', async () => {
      const f = a.follower();
      const tap = signedEvent(f.openid, 'CLICK', 'CERT_START', { createTime: ts(), timestampSeconds: ts() });
      const [r1, r2] = await Promise.all([send(a, tap), send(b, tap)]);
      expect(await contentOf(r1)).toContain('办理须知');
      expect(await contentOf(r2)).toBe(await contentOf(r1));
      const phones = signedEvent(f.openid, 'CLICK', 'HELP_PHONES', { createTime: ts(), timestampSeconds: ts() });
      expect(await contentOf(await send(a, phones))).toContain('0471');
    });

    it('loses no step when one follower sends two messages at once to two instances', async () => {
      const f = a.follower();
      await f.tap('CERT_START');
      await f.say('1');
      // Two different messages racing: each must be applied to the state the other left.
      const m1 = signedText(f.openid, '1', { msgId: '900010', createTime: ts(), timestampSeconds: ts() });
      const m2 = signedText(f.openid, '1', { msgId: '900011', createTime: ts(), timestampSeconds: ts() });
      const replies = await Promise.all([contentOf(await send(a, m1)), contentOf(await send(b, m2))]);
      // One chose the category, the other was then read as an (invalid) ID number: never both as a category.
      expect(replies.filter((r) => r.startsWith('请输入要认证的老人的身份证号码'))).toHaveLength(1);
      expect(replies.filter((r) => r.startsWith('身份证号码应该是18位'))).toHaveLength(1);
    });
  });
}

retrySuite('on the memory store', async () => createMemoryStore());
describeRedis('on a real redis-server', () => retrySuite('on the Redis store', freshRedisStore));

describe('a delivery whose first handling never finished', () => {
  it('gets 系统繁忙 on its retry instead of silence', async () => {
    const t = await testApp({ clock: new Clock(Date.now()) });
    const ts = Math.floor(t.clock.ms / 1000);
    const push = signedText('opn_stuck', '认证', { msgId: '777', createTime: ts, timestampSeconds: ts });
    // As if another instance claimed it and died before answering.
    const key = t.rt.layout.follower('opn_stuck').delivery(`m:777:${ts}:text`);
    await t.store.set(key, t.rt.layout.codecs.reply.encode({ kind: 'pending' }), 15_000);
    expect(await contentOf(await send(t, push))).toContain('系统繁忙');
    await t.close();
  });
});
