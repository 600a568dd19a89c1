import { randomUUID } from 'node:crypto';
import { loadContent } from '../../src/content';
import { createLogger } from '../../src/log';
import type { Notifier, NotifyOutcome, TemplateMessageBody } from '../../src/notify';
import { createBullOutbox, createMemoryOutbox, type DeliverDeps, type Outbox, type OutboxPace, type TemplateOutboxMessage } from '../../src/outbox';
import { TEMPLATES_DIR } from '../../src/paths';
import { createMemoryStore, createRedisStore, type Store } from '../../src/store';
import { layout } from '../../src/store/layout';
import { dropRedisPrefix } from '../helpers/certify';
import { testConfig } from '../helpers/config';
import { describeRedis, REDIS_URL } from '../helpers/redis';

/**
 * Template messages (the reminders) through the outbox: delivered once, tried again while WeChat
 * is busy, given up otherwise (never kept for the next reply), a follower who left (43004)
 * handed to whoever must forget them, and, in a paced queue, one at a time across instances.
 */
class TemplateWechat implements Notifier {
  readonly delivered: { openid: string; message: TemplateMessageBody }[] = [];
  tries = 0;
  private inFlight = 0;
  maxInFlight = 0;
  constructor(private readonly script: NotifyOutcome[] = [], private readonly delayMs = 0) {}
  async sendText(): Promise<NotifyOutcome> {
    throw new Error('no customer-service message expected');
  }
  async sendTemplate(openid: string, message: TemplateMessageBody): Promise<NotifyOutcome> {
    this.tries += 1;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((r) => setTimeout(r, this.delayMs));
    this.inFlight -= 1;
    const outcome = this.script.shift() ?? 'sent';
    if (outcome === 'sent') this.delivered.push({ openid, message });
    return outcome;
  }
}

const config = testConfig();
const storeLayout = layout(config);
const content = loadContent(TEMPLATES_DIR, config.cert);
const logger = createLogger('silent');
const settings = { attempts: 3, firstRetryMs: 30 };
const pace: OutboxPace = { name: 'tpl', perSecond: 200 };
const reminder = (openid: string): TemplateOutboxMessage => ({
  kind: 'template', openid, id: `rm:2026:end-7:${randomUUID()}`, message: { templateId: 'TPL_x_0001', data: { thing1: '乌***格认证未完成', time2: '2026年6月30日' } },
});

type Make = (deps: DeliverDeps) => Outbox;

function contract(name: string, makeStore: () => Promise<Store>, make: Make, opts: { oneProcess?: boolean; cleanup?: () => Promise<void> } = {}) {
  describe(name, () => {
    let store: Store;
    const boxes: Outbox[] = [];
    const left: string[] = [];
    const deps = (notifier: Notifier): DeliverDeps => ({ store, layout: storeLayout, content, notifier, logger, onNotFollower: async (openid) => void left.push(openid) });
    const open = (notifier: Notifier) => {
      const box = make(deps(notifier));
      boxes.push(box);
      return box;
    };
    beforeEach(async () => {
      store = await makeStore();
      left.length = 0;
    });
    afterEach(async () => {
      for (const b of boxes.splice(0)) await b.close();
      await store.close();
      await opts.cleanup?.();
    });

    it('delivers a template message once, fields as given, and drains to nothing left', async () => {
      const wechat = new TemplateWechat();
      const box = open(wechat);
      const m = reminder('o_tpl_once');
      await box.enqueue(m);
      await box.enqueue(m);
      expect(await box.drain(10_000)).toBe(0);
      expect(wechat.delivered).toEqual([{ openid: 'o_tpl_once', message: m.message }]);
    });

    it('tries again while WeChat is busy, then gives up without keeping a notice for the next reply', async () => {
      const wechat = new TemplateWechat(['retry', 'retry', 'retry', 'retry']);
      const box = open(wechat);
      await box.enqueue(reminder('o_tpl_busy'));
      expect(await box.drain(10_000)).toBe(0);
      expect(wechat.tries).toBe(settings.attempts);
      expect(await store.get(storeLayout.follower('o_tpl_busy').notice.key)).toBeNull();
    });

    it('hands a follower who left (43004) to onNotFollower and does not try again', async () => {
      const wechat = new TemplateWechat(['not_follower']);
      const box = open(wechat);
      await box.enqueue(reminder('o_tpl_left'));
      expect(await box.drain(10_000)).toBe(0);
      expect(left).toEqual(['o_tpl_left']);
      expect(wechat.tries).toBe(1);
    });

    it('sends one message at a time, even from two instances of the paced queue', async () => {
      const wechat = new TemplateWechat([], 15);
      const a = open(wechat);
      const b = opts.oneProcess ? a : open(wechat);
      await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).enqueue(reminder(`o_tpl_${i}`))));
      expect(await a.drain(20_000)).toBe(0);
      expect(await b.drain(20_000)).toBe(0);
      expect(wechat.delivered).toHaveLength(12);
      expect(wechat.maxInFlight).toBe(1);
    });
  });
}

// In one process there is one outbox: its "second instance" is itself (the Redis case has two).
contract('the in-process paced outbox', async () => createMemoryStore(), (deps) => createMemoryOutbox(deps, settings, pace), { oneProcess: true });

describeRedis('the BullMQ paced outbox on a real redis-server', () => {
  const prefix = `test:${randomUUID().slice(0, 8)}:`;
  const redis = { url: REDIS_URL!, keyPrefix: prefix };
  contract(
    'with the project\'s Redis settings',
    async () => {
      const s = createRedisStore(redis);
      await s.waitReady(5000);
      return s;
    },
    (deps) => createBullOutbox({ ...deps, redis, sealer: storeLayout.outboxSealer }, settings, pace),
    { cleanup: () => dropRedisPrefix(prefix) },
  );
});
