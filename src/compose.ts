import path from 'node:path';
import type Koa from 'koa';
import { cycleAt } from './calendar';
import { assertServerConfig, type Config } from './config';
import { loadContent, type Content } from './content';
import type { FaqPort } from './dialogue/types';
import { formatAnswer, listTopics, loadKnowledgeBase, match, type KnowledgeBase } from './faq';
import { createApp } from './http/app';
import { createLogger, type Logger } from './log';
import { createMetrics, type Metrics } from './metrics';
import type { Notifier } from './notify';
import { createOutbox, type Outbox } from './outbox';
import { recordsPublicKey } from './records/dev-key';
import { createReminderOutbox, createReminders, loadReminderTemplates, onNotFollower, type Reminders } from './reminders';
import { TEMPLATES_DIR } from './paths';
import { createMemoryStore, createRedisStore, type Store } from './store';
import { layout, type Layout } from './store/layout';
import { createCustomerServiceNotifier, createWechatApiClient } from './wechat-api';
import { WechatCrypto } from './wechat';

export interface Runtime {
  readonly app: Koa;
  readonly config: Config;
  readonly store: Store;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly content: Content;
  readonly layout: Layout;
  readonly outbox: Outbox;
  /** The reminders' own outbox (template messages, one at a time across instances). */
  readonly reminderOutbox: Outbox;
  readonly reminders: Reminders;
  /** Turns /readyz red (draining) before the server stops accepting. */
  beginShutdown(): void;
  close(): Promise<void>;
}

export interface Overrides {
  readonly store?: Store;
  readonly logger?: Logger;
  readonly notifier?: Notifier;
  readonly outbox?: Outbox;
  readonly reminderOutbox?: Outbox;
  /** false: no daily reminder job in this runtime (tests that run the reminders themselves). */
  readonly schedule?: boolean;
  readonly now?: () => number;
  readonly templatesDir?: string;
  readonly defaultMetrics?: boolean;
}

/**
 * The knowledge base of the cycle in force: its answers carry the window's dates, so a new year
 * gets a freshly rendered one (built once per year).
 */
function faqOfCycle(dir: string, content: Content, cycle: () => number): FaqPort {
  let cached: { cycle: number; port: FaqPort } | undefined;
  const current = (): FaqPort => {
    const c = cycle();
    if (cached?.cycle !== c) cached = { cycle: c, port: faqPort(loadKnowledgeBase(dir, content.vars)) };
    return cached.port;
  };
  current();
  return { match: (text) => current().match(text), answer: (id) => current().answer(id), topics: () => current().topics() };
}

/** The knowledge base as the dialogue uses it: answers come out formatted (问：… 答：…). */
export function faqPort(kb: KnowledgeBase): FaqPort {
  const byId = new Map(kb.entries.map((e) => [e.id, e]));
  const topics = listTopics(kb);
  return {
    match(text) {
      const m = match(kb, text);
      if (m.kind === 'answer') return { kind: 'answer', id: m.entry.id, text: formatAnswer(m.entry) };
      if (m.kind === 'suggest') return { kind: 'suggest', options: m.entries.map(({ id, question }) => ({ id, question })) };
      return m;
    },
    answer: (id) => {
      const e = byId.get(id);
      return e ? formatAnswer(e) : null;
    },
    topics: () => topics,
  };
}

/** The composition root, without listening: config → store → content → API client → app. */
export async function compose(config: Config, o: Overrides = {}): Promise<Runtime> {
  assertServerConfig(config);
  const logger = o.logger ?? createLogger(config.logLevel);
  const now = o.now ?? Date.now;
  const templatesDir = o.templatesDir ?? TEMPLATES_DIR;
  if (config.defaultsUsed.length) logger.warn({ settings: config.defaultsUsed }, 'development defaults in use: fine on a laptop, never for a real account');
  if (config.env === 'production' && config.faceCheckProvider === 'stub') {
    logger.warn('FACE_CHECK_PROVIDER=stub: face checks are SIMULATED and anyone holding a link can pass it; replace it with a real provider before real certifications');
  }
  const windowNow = () => cycleAt(config.cert, now());
  const content = loadContent(templatesDir, windowNow);
  const reminderTemplates = loadReminderTemplates(templatesDir, content, Math.max(...config.reminders.daysBeforeEnd));
  const faq = faqOfCycle(path.join(templatesDir, 'faq'), content, () => windowNow().cycle);
  let store = o.store;
  if (!store) {
    if (config.redis) {
      const redis = createRedisStore(config.redis, logger);
      await redis.waitReady(3000).catch((err: Error) => logger.error({ err: err.message }, 'redis is not reachable yet; pushes get 系统繁忙 until it is'));
      store = redis;
    } else {
      logger.warn('REDIS_URL is not set: using the embedded in-memory store. State is lost on restart and not shared between instances.');
      store = createMemoryStore();
    }
  }
  const metrics = createMetrics({ defaults: o.defaultMetrics ?? false });
  const api = createWechatApiClient({ settings: config.wechat, store, logger, now });
  const notifier = o.notifier ?? createCustomerServiceNotifier(api, logger);
  const storeLayout = layout(config);
  const recordsKey = recordsPublicKey(config, logger);
  // WeChat's 43004 to any message means the follower left: the reminders forget them.
  const deliverDeps = { store, layout: storeLayout, content, notifier, logger, metrics, onNotFollower: onNotFollower({ store, layout: storeLayout, cert: config.cert, now }) };
  const outbox = o.outbox ?? createOutbox(deliverDeps, { redis: config.redis, settings: config.outbox });
  const reminderOutbox = o.reminderOutbox ?? createReminderOutbox(deliverDeps, config);
  const reminders = createReminders(
    { store, layout: storeLayout, config, content, templates: reminderTemplates, outbox: reminderOutbox, logger, metrics, now },
    { schedule: o.schedule ?? true },
  );
  const crypto = config.wechat.aesKeys.length ? new WechatCrypto(config.wechat.appId, config.wechat.aesKeys) : null;
  let shuttingDown = false;

  const app = createApp({
    config, store, layout: storeLayout, content, logger, metrics, now, crypto, outbox, recordsKey,
    faq,
    pagesDir: path.join(templatesDir, 'face-check'),
    shuttingDown: () => shuttingDown,
  });
  return {
    app, config, store, logger, metrics, content, layout: storeLayout, outbox, reminderOutbox, reminders,
    beginShutdown() {
      shuttingDown = true;
    },
    async close() {
      shuttingDown = true;
      await reminders.close().catch((err: Error) => logger.warn({ err: { message: err.message } }, 'reminders did not close cleanly'));
      for (const box of [outbox, reminderOutbox]) await box.close().catch((err: Error) => logger.warn({ err: { message: err.message } }, 'outbox did not close cleanly'));
      await store.close();
    },
  };
}
