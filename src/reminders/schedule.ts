import { Queue, Worker } from 'bullmq';
import type { RedisConfig } from '../config';
import type { Logger } from '../log';
import { outboxPrefix } from '../outbox';
import { connectRedis } from '../store/redis';
import { nextRunAt } from './due';
import { settleWithin } from '../outbox/bullmq';

/**
 * The daily job: at REMINDER_HOUR China time, today's reminders are sent. On Redis a BullMQ job
 * scheduler makes one job a day for all instances together (upserting it from every instance is
 * harmless) and the queue runs one job at a time across them; a day whose hour passed while every
 * instance was down runs when the first comes back, since the job waits in Redis. Without Redis, a
 * timer in this process.
 */
export interface DailyJob {
  close(): Promise<void>;
}

export interface DailyJobDeps {
  readonly redis: RedisConfig | null;
  readonly hour: number;
  /** false (no REMINDER_TEMPLATE_ID): no job, and a scheduler left from an earlier start is removed. */
  readonly enabled: boolean;
  readonly run: () => Promise<unknown>;
  readonly logger: Logger;
  readonly now: () => number;
}

const QUEUE = 'reminders';
const SCHEDULER = 'daily';
/** The timer's longest wait (setTimeout's limit is about 24.8 days; a day is all it needs). */
const MAX_WAIT_MS = 2 ** 31 - 1;

export function scheduleDaily(deps: DailyJobDeps): DailyJob {
  return deps.redis ? onRedis(deps, deps.redis) : inProcess(deps);
}

function inProcess(deps: DailyJobDeps): DailyJob {
  let timer: NodeJS.Timeout | undefined;
  let closed = !deps.enabled;
  const arm = () => {
    if (closed) return;
    const wait = Math.min(MAX_WAIT_MS, Math.max(0, nextRunAt(deps.now(), deps.hour) - deps.now()));
    timer = setTimeout(() => {
      void deps
        .run()
        .catch((err: Error) => deps.logger.error({ err: { message: err.message } }, 'reminders: the daily run failed'))
        .finally(arm);
    }, wait);
    timer.unref();
  };
  arm();
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
    },
  };
}

function onRedis(deps: DailyJobDeps, redis: RedisConfig): DailyJob {
  const prefix = outboxPrefix(redis);
  const options = { maxRetriesPerRequest: null, enableOfflineQueue: true, connectTimeout: 5000 } as const;
  const queueConnection = connectRedis(redis, { ...options, enableOfflineQueue: false, maxRetriesPerRequest: 2 });
  const queue = new Queue(QUEUE, { connection: queueConnection, prefix });
  const onError = (err: Error) => deps.logger.warn({ err: { message: err.message } }, 'reminders: redis connection error');
  queue.on('error', onError);
  const ready = deps.enabled
    ? Promise.all([
        queue.setGlobalConcurrency(1),
        queue.upsertJobScheduler(SCHEDULER, { pattern: `0 ${deps.hour} * * *`, tz: 'Asia/Shanghai' }, {
          name: 'run',
          opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: 30, removeOnFail: 30 },
        }),
      ])
    : queue.removeJobScheduler(SCHEDULER);
  void ready.catch(onError);

  let worker: Worker | undefined;
  let workerConnection: ReturnType<typeof connectRedis> | undefined;
  if (deps.enabled) {
    workerConnection = connectRedis(redis, options);
    worker = new Worker(QUEUE, async () => void (await deps.run()), { connection: workerConnection, prefix, concurrency: 1 });
    worker.on('error', onError);
    worker.on('failed', (_job, err) => deps.logger.error({ err: { message: err.message } }, 'reminders: the daily run failed'));
  }
  return {
    async close() {
      // Bounded, as the outbox's: with Redis unreachable BullMQ's close would wait for ever.
      const closing = ready.catch(() => undefined).then(() => Promise.all([worker?.close(), queue.close()]));
      if (!(await settleWithin(closing, 2000))) await Promise.all([worker?.disconnect(), queue.disconnect()]).catch(() => undefined);
      workerConnection?.disconnect();
      queueConnection.disconnect();
    },
  };
}
