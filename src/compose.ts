import path from 'node:path';
import type Koa from 'koa';
import { todayAt, type Phase } from './calendar';
import { assertServerConfig, type Config } from './config';
import { checkTopics, loadContent, type Content } from './content';
import type { FaqMatch, FaqPort } from './dialogue/types';
import { assertNever } from './never';
import { classify, formatAnswer, formatTwo, listTopics, loadKnowledgeBase, type KnowledgeBase, type Words } from './faq';
import type { FaceCheckProvider } from './face-check/provider';
import { createTencentFaceCheck } from './face-check/tencent';
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
import { createStats, type Stats } from './stats';
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
  readonly stats: Stats;
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
  /** Instead of the provider the settings name (FACE_CHECK_PROVIDER). */
  readonly faceCheckProvider?: FaceCheckProvider | null;
}

/**
 * The knowledge base of the cycle and phase in force: its answers carry the window's dates and say
 * what matters today (not yet / now, before the end / still possible, paid back), so a new year or
 * a new phase gets a freshly rendered one (built a few times a year).
 */
function faqOfCycle(dir: string, content: Content, moment: () => { cycle: number; phase: Phase }): FaqPort {
  let cached: { key: string; port: FaqPort } | undefined;
  const current = (): FaqPort => {
    const { cycle, phase } = moment();
    const key = `${cycle}:${phase}`;
    if (cached?.key !== key) cached = { key, port: faqPort(loadKnowledgeBase(dir, content.vars, phase), content.commands) };
    return cached.port;
  };
  current();
  return { match: (text) => current().match(text), answer: (id, also) => current().answer(id, also), topics: () => current().topics() };
}

/** The knowledge base as the dialogue uses it: what a text is (`classify`), answers formatted (问：… 答：…). */
export function faqPort(kb: KnowledgeBase, words: Words): FaqPort {
  const byId = new Map(kb.entries.map((e) => [e.id, e]));
  const topics = listTopics(kb);
  // Followers ask the same few questions in the same words: a reading is kept per text (for this
  // cycle and phase, as the port is), bounded, so the hot path skips the matcher for them.
  const seen = new Map<string, FaqMatch>();
  const classified = (text: string): FaqMatch => {
    const c = classify(kb, words, text);
    switch (c.kind) {
      case 'answer': {
        const [a, b] = c.entries;
        return b ? { kind: 'answer', id: a.id, also: b.id } : { kind: 'answer', id: a.id };
      }
      case 'suggest':
        return { kind: 'suggest', options: c.entries.map(({ id, question }) => ({ id, question })) };
      case 'command':
      case 'vague':
      case 'pleasantry':
      case 'none':
        return c;
      default:
        return assertNever(c);
    }
  };
  return {
    match(text) {
      let m = seen.get(text);
      if (m === undefined) {
        m = classified(text);
        // Only readings that found something are kept: a name or a phone typed as an answer finds
        // nothing, and a long number (an ID, a phone) is never kept either.
        if (m.kind !== 'none' && !LONG_NUMBER.test(text)) {
          if (seen.size >= MATCH_CACHE_SIZE) seen.delete(seen.keys().next().value!);
          seen.set(text, m);
        }
      }
      return m;
    },
    answer: (id, also) => {
      const e = byId.get(id);
      if (!e) return null;
      const f = also === undefined ? undefined : byId.get(also);
      return f ? formatTwo(e, f) : formatAnswer(e);
    },
    topics: () => topics,
  };
}
const MATCH_CACHE_SIZE = 5000;
const LONG_NUMBER = /[0-9０-９]{6}/;

/** The composition root, without listening: config → store → content → API client → app. */
export async function compose(config: Config, o: Overrides = {}): Promise<Runtime> {
  assertServerConfig(config);
  const logger = o.logger ?? createLogger(config.logLevel);
  const now = o.now ?? Date.now;
  const templatesDir = o.templatesDir ?? TEMPLATES_DIR;
  if (config.defaultsUsed.length) logger.warn({ settings: config.defaultsUsed }, 'development defaults in use: fine on a laptop, never for a real account');
  if (config.env === 'production' && config.faceCheckProvider === 'stub') {
    logger.warn('FACE_CHECK_PROVIDER=stub: face checks are SIMULATED and anyone holding a link can pass it; set FACE_CHECK_PROVIDER=tencent before real certifications');
  }
  const windowNow = () => todayAt(config.cert, now()).cert;
  const content = loadContent(templatesDir, windowNow);
  const reminderTemplates = loadReminderTemplates(templatesDir, content, Math.max(...config.reminders.daysBeforeEnd));
  const faq = faqOfCycle(path.join(templatesDir, 'faq'), content, () => {
    const today = todayAt(config.cert, now());
    return { cycle: today.cert.cycle, phase: today.phase };
  });
  const unlisted = checkTopics(content.topicGroups, faq.topics().map((t) => t.id));
  if (unlisted.length) logger.warn({ entries: unlisted }, 'FAQ entries in no group of templates/topics.yaml: they are answered when asked, but not listed under 常见问题');
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
  const stats = createStats({ store, layout: storeLayout, cert: config.cert, categories: content.categories.map((c) => c.name), logger, now });
  const faceCheckProvider = o.faceCheckProvider !== undefined ? o.faceCheckProvider : config.faceId ? createTencentFaceCheck(config.faceId) : null;
  if (config.faceId) logger.info({ provider: 'tencent', endpoint: new URL(config.faceId.endpoint).host }, 'face checks by Tencent Cloud 人脸核身');
  const crypto = config.wechat.aesKeys.length ? new WechatCrypto(config.wechat.appId, config.wechat.aesKeys) : null;
  let shuttingDown = false;

  const app = createApp({
    config, store, layout: storeLayout, content, logger, metrics, now, crypto, outbox, recordsKey,
    faq, stats,
    faceCheckProvider,
    pagesDir: path.join(templatesDir, 'face-check'),
    adminDir: path.join(templatesDir, 'admin'),
    shuttingDown: () => shuttingDown,
  });
  return {
    app, config, store, logger, metrics, content, layout: storeLayout, outbox, reminderOutbox, reminders, stats,
    beginShutdown() {
      shuttingDown = true;
    },
    async close() {
      shuttingDown = true;
      await stats.close();
      await reminders.close().catch((err: Error) => logger.warn({ err: { message: err.message } }, 'reminders did not close cleanly'));
      for (const box of [outbox, reminderOutbox]) await box.close().catch((err: Error) => logger.warn({ err: { message: err.message } }, 'outbox did not close cleanly'));
      await store.close();
    },
  };
}
