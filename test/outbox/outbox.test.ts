import { randomUUID } from 'node:crypto';
import { loadContent } from '../../src/content';
import { createLogger } from '../../src/log';
import type { Notifier, NotifyOutcome, TemplateMessageBody } from '../../src/notify';
import { createBullOutbox, createMemoryOutbox, type Outbox } from '../../src/outbox';
import { createMemoryStore, createRedisStore, type Store } from '../../src/store';
import { layout } from '../../src/store/layout';
import { TEMPLATES_DIR } from '../../src/paths';
import { testConfig } from '../helpers/config';
import { dropRedisPrefix, redisValues } from '../helpers/certify';
import { describeRedis, REDIS_URL } from '../helpers/redis';

/** A WeChat that answers each customer-service message with the next outcome of a script (then 'sent'). */
class ScriptedNotifier implements Notifier {
  readonly tries: string[] = [];
  readonly delivered: { openid: string; text: string }[] = [];
  constructor(private readonly script: NotifyOutcome[] = []) {}
  async sendText(openid: string, text: string): Promise<NotifyOutcome> {
    this.tries.push(text);
    const outcome = this.script.shift() ?? 'sent';
    if (outcome === 'sent') this.delivered.push({ openid, text });
    return outcome;
  }
  async sendTemplate(openid: string, message: TemplateMessageBody): Promise<NotifyOutcome> {
    return this.sendText(openid, JSON.stringify(message.data));
  }
}

const until = async (what: string, ok: () => boolean | Promise<boolean>, withinMs = 10_000) => {
  const deadline = Date.now() + withinMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`still not ${what} after ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const config = testConfig();
const storeLayout = layout(config);
const content = loadContent(TEMPLATES_DIR, config.cert);
const logger = createLogger('silent');
const settings = { attempts: 3, firstRetryMs: 30 };
const message = (openid: string) => ({ openid, key: 'resultPass' as const, vars: { maskedName: '乌***格', idTail: '002X', category: '养老资格认证', date: '2026年4月15日' }, id: `result:${randomUUID()}` });
const notices = async (store: Store, openid: string) => {
  const slot = storeLayout.follower(openid).notice;
  const raw = await store.get(slot.key);
  return raw === null ? [] : slot.codec.decode(raw);
};

type Make = (store: Store, notifier: Notifier) => Outbox;

function outboxContract(name: string, makeStore: () => Promise<Store>, make: Make, cleanup: () => Promise<void> = async () => undefined) {
  describe(name, () => {
    let store: Store;
    let outbox: Outbox | undefined;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await outbox?.close();
      await store.close();
      await cleanup();
    });

    it('delivers a message once, rendered from its template', async () => {
      const wechat = new ScriptedNotifier();
      outbox = make(store, wechat);
      const m = message('o_once');
      await outbox.enqueue(m);
      await outbox.enqueue(m);
      await until('delivered', () => wechat.delivered.length === 1);
      await outbox.close();
      expect(wechat.delivered).toEqual([{ openid: 'o_once', text: expect.stringContaining('乌***格（身份证尾号002X，养老资格认证）已于2026年4月15日完成') }]);
      expect(await notices(store, 'o_once')).toEqual([]);
    });

    it('delivers a result queued before results named the ID\'s last four, with the tail masked', async () => {
      const wechat = new ScriptedNotifier();
      outbox = make(store, wechat);
      const { idTail: _, ...older } = message('o_older').vars;
      await outbox.enqueue({ ...message('o_older'), vars: older });
      await until('delivered', () => wechat.delivered.length === 1);
      expect(wechat.delivered[0]!.text).toContain('乌***格（身份证尾号****，养老资格认证）已于2026年4月15日完成');
    });

    it('tries again while WeChat is busy, and the follower gets one message when it answers', async () => {
      const wechat = new ScriptedNotifier(['retry', 'retry']);
      outbox = make(store, wechat);
      await outbox.enqueue(message('o_busy'));
      await until('delivered', () => wechat.delivered.length === 1);
      expect(wechat.tries).toHaveLength(3);
      expect(await notices(store, 'o_busy')).toEqual([]);
    });

    it.each(['window_closed', 'not_follower', 'failed'] as const)('does not try again after %s: the result is kept for the next reply', async (outcome) => {
      const wechat = new ScriptedNotifier([outcome]);
      outbox = make(store, wechat);
      await outbox.enqueue(message('o_closed'));
      await until('kept', async () => (await notices(store, 'o_closed'))?.length === 1);
      expect(await notices(store, 'o_closed')).toEqual([expect.stringContaining('认证成功')]);
      await new Promise((r) => setTimeout(r, 200));
      expect(wechat.tries).toHaveLength(1);
    });

    it('keeps the result for the next reply once its tries are used up', async () => {
      const wechat = new ScriptedNotifier(['retry', 'retry', 'retry', 'retry']);
      outbox = make(store, wechat);
      await outbox.enqueue(message('o_gone'));
      await until('kept', async () => (await notices(store, 'o_gone'))?.length === 1);
      expect(wechat.tries).toHaveLength(settings.attempts);
      expect(wechat.delivered).toEqual([]);
    });
  });
}

outboxContract('the in-process outbox', async () => createMemoryStore(), (store, notifier) => createMemoryOutbox({ store, layout: storeLayout, content, notifier, logger }, settings));

describeRedis('the BullMQ outbox on a real redis-server', () => {
  const prefix = `test:${randomUUID().slice(0, 8)}:`;
  const redis = { url: REDIS_URL!, keyPrefix: prefix };
  outboxContract(
    'with the project\'s Redis settings',
    async () => {
      const s = createRedisStore(redis);
      await s.waitReady(5000);
      return s;
    },
    (store, notifier) => createBullOutbox({ store, layout: storeLayout, content, notifier, logger, redis, sealer: storeLayout.outboxSealer }, settings),
    () => dropRedisPrefix(prefix),
  );

  it('keeps its jobs under the project\'s key prefix, sealed', async () => {
    const store = createRedisStore(redis);
    const notifier = new ScriptedNotifier(['retry']);
    const outbox = createBullOutbox({ store, layout: storeLayout, content, notifier, logger, redis, sealer: storeLayout.outboxSealer }, { attempts: 3, firstRetryMs: 60_000 });
    await outbox.enqueue(message('o_sealed_openid'));
    await until('tried', () => notifier.tries.length === 1);
    const values = await redisValues(prefix);
    expect([...values.keys()].some((k) => k.startsWith('outbox:cs:'))).toBe(true);
    expect(JSON.stringify([...values])).not.toContain('o_sealed_openid');
    expect(JSON.stringify([...values])).not.toContain('乌***格');
    await outbox.close();
    await store.close();
    await dropRedisPrefix(prefix);
  });
});

