import { parseArgs } from 'node:util';
import { cycleAt } from '../src/calendar';
import { ConfigError, loadConfig, type Config } from '../src/config';
import { loadContent, TemplateError, type Content } from '../src/content';
import { createLogger } from '../src/log';
import { createMetrics } from '../src/metrics';
import type { Outbox } from '../src/outbox';
import { TEMPLATES_DIR } from '../src/paths';
import { createReminderOutbox, loadReminderTemplates, onNotFollower, runReminders, type RunDeps, type RunReport } from '../src/reminders';
import { createMemoryStore, createRedisStore, StoreUnavailableError, type Store } from '../src/store';
import { layout } from '../src/store/layout';
import { createCustomerServiceNotifier, createWechatApiClient } from '../src/wechat-api';

/**
 * `npm run reminders -- --dry-run`: how many followers each reminder due today would reach, per
 * kind; nothing is sent or claimed. `npm run reminders -- --send`: sends today's reminders now, as
 * the servers' daily job does (a follower already reminded, by either, is not reminded again), and
 * waits for the reminders' outbox to deliver them. Both exit 0 when nothing is due.
 */
import type { Io } from './menu-push';

export type { Io };

export interface ReminderCommandOptions {
  readonly now?: () => number;
  readonly templatesDir?: string;
  /** How long `--send` waits for the outbox before leaving the rest to the servers (default 120 s). */
  readonly drainMs?: number;
}

const USAGE = 'usage: reminders --dry-run | --send';

export async function remindersCommand(argv: readonly string[], env: NodeJS.ProcessEnv, io: Io, opts: ReminderCommandOptions = {}): Promise<number> {
  let flags;
  try {
    flags = parseArgs({ args: [...argv], options: { 'dry-run': { type: 'boolean' }, send: { type: 'boolean' } }, strict: true }).values;
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!!flags['dry-run'] === !!flags.send) {
    io.err(`say which: --dry-run counts, --send sends\n${USAGE}`);
    return 2;
  }
  const now = opts.now ?? Date.now;
  let config: Config;
  let deps: Omit<RunDeps, 'outbox' | 'content'> & { readonly content: Content };
  let store: Store | undefined;
  try {
    config = loadConfig(env, new Date(now()));
    const content = loadContent(opts.templatesDir ?? TEMPLATES_DIR, () => cycleAt(config.cert, now()));
    const templates = loadReminderTemplates(opts.templatesDir ?? TEMPLATES_DIR, content, Math.max(...config.reminders.daysBeforeEnd));
    // Log lines go to stderr, so that what is printed on stdout is only the report.
    const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, { write: (line: string) => void io.err(line.trimEnd()) });
    if (config.redis) {
      const redis = createRedisStore(config.redis, logger);
      store = redis;
      await redis.waitReady(5000);
    } else {
      io.err('REDIS_URL is not set: this command has an empty store of its own and finds nobody to remind (the servers\' embedded stores are theirs)');
      store = createMemoryStore();
    }
    deps = { store, layout: layout(config), config, content, templates, logger, metrics: createMetrics(), now };
  } catch (err) {
    await store?.close();
    if (!(err instanceof ConfigError || err instanceof TemplateError || err instanceof StoreUnavailableError)) throw err;
    io.err(err.message);
    return 1;
  }
  try {
    return flags.send ? await send(deps, config, io, opts.drainMs ?? 120_000) : print(await runReminders({ ...deps, outbox: DRY }, 'dry'), config, io, 'dry');
  } finally {
    await store.close();
  }
}

/** A dry run queues nothing; this outbox says so if it ever were asked to. */
const DRY: Outbox = {
  enqueue: () => Promise.reject(new Error('a dry run sends nothing')),
  drain: async () => 0,
  close: async () => undefined,
};

async function send(deps: Omit<RunDeps, 'outbox' | 'content'> & { readonly content: Content }, config: Config, io: Io, drainMs: number): Promise<number> {
  if (config.reminders.templateId === null) {
    const counted = await runReminders({ ...deps, outbox: DRY }, 'dry');
    print(counted, config, io, 'dry');
    if (counted.due.every((d) => d.followers === 0)) return 0;
    io.err('REMINDER_TEMPLATE_ID is not set: nothing was sent. Set it to the template the office picked in the WeChat console.');
    return 1;
  }
  const api = createWechatApiClient({ settings: config.wechat, store: deps.store, logger: deps.logger, now: deps.now });
  const notifier = createCustomerServiceNotifier(api, deps.logger);
  const outbox = createReminderOutbox({ ...deps, notifier, onNotFollower: onNotFollower({ ...deps, cert: config.cert }) }, config);
  try {
    const report = await runReminders({ ...deps, outbox }, 'send');
    print(report, config, io, 'send');
    const queued = report.due.reduce((n, d) => n + d.followers, 0);
    if (queued === 0) return 0;
    const left = await outbox.drain(drainMs);
    io.out(left === 0 ? 'the reminders\' outbox has tried every message' : `${left} messages still wait in the reminders' outbox; the servers send them`);
    // A running server's worker may have sent some: these are only the ones sent from here.
    const outcomes = Object.fromEntries((await deps.metrics!.templates.get()).values.map((v) => [String(v.labels.outcome), v.value]));
    const tried = Object.values(outcomes).reduce((a, b) => a + b, 0);
    if (tried > 0) io.out(`sent from this command: ${outcomes.sent ?? 0}; refused by WeChat: ${tried - (outcomes.sent ?? 0)}`);
    return 0;
  } finally {
    await outbox.close();
  }
}

const KIND: Record<string, string> = { beforeEnd: 'before the window ends', nextWindow: 'the window opens' };

function print(report: RunReport, config: Config, io: Io, mode: 'dry' | 'send'): number {
  const c = cycleAt(config.cert, Date.parse(`${report.date}T12:00:00+08:00`));
  if (report.due.length === 0) {
    io.out(`no reminder is due on ${report.date} (window ${c.windowStart} – ${c.windowEnd}; REMINDER_DAYS_BEFORE_END=${config.reminders.daysBeforeEnd.join(',')})`);
    return 0;
  }
  io.out(`reminders due on ${report.date} (China time), window ${c.windowStart} – ${c.windowEnd}:`);
  for (const { due, followers } of report.due) {
    const when = due.kind === 'beforeEnd' ? `${KIND[due.kind]}, ${due.daysLeft} days left` : `${KIND[due.kind]} (followers who certified someone in ${due.entriesOf})`;
    io.out(`  ${when} [${due.id}]: ${followers} follower${followers === 1 ? '' : 's'}${mode === 'dry' ? ' would be reminded' : ' queued'}`);
  }
  if (mode === 'dry') io.out('dry run: nothing was sent');
  return 0;
}

if (require.main === module) {
  remindersCommand(process.argv.slice(2), process.env, { out: (l) => console.log(l), err: (l) => console.error(l) }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
