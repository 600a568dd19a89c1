import { Queue, Worker, type Job } from 'bullmq';
import { z } from 'zod';
import type { RedisConfig } from '../config';
import { json, sealed } from '../store/codec';
import { connectRedis } from '../store/redis';
import type { Sealer } from '../store/sealed';
import { tryDeliver, type DeliverDeps } from './deliver';
import type { Outbox, OutboxMessage, OutboxPace, OutboxSettings } from './types';

/**
 * The outbox on the project's Redis, through BullMQ: a job survives restarts, is retried with
 * exponential backoff, and is worked by one worker at a time across instances (BullMQ's job locks;
 * a worker that dies mid-job has its job taken over after the lock's time, so delivery is at least
 * once: a crash in the instant between WeChat's answer and the job's completion can repeat one
 * message). BullMQ rather than hand-rolled Redis Streams: it runs on one server, Sentinel and
 * Cluster alike when given clients of the project's settings, and Cluster only asks that the queue's
 * keys share a hash tag, which the prefix gives them.
 */

const QUEUE = 'cs';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DAY_MS = 24 * 3600_000;

/** The job as kept in Redis: the openid and the values sealed (they name a follower and a masked person). */
const jobSchema = z.union([
  z.object({
    kind: z.literal('template'), openid: z.string(), id: z.string(),
    message: z.object({ templateId: z.string(), url: z.string().optional(), data: z.record(z.string(), z.string()), clientMsgId: z.string().optional() }),
  }),
  z.object({ openid: z.string(), key: z.string(), vars: z.record(z.string(), z.string()).optional(), also: z.array(z.string()).optional(), id: z.string() }),
]);
type JobData = { s: string };

export interface BullOutboxDeps extends DeliverDeps {
  readonly redis: RedisConfig;
  readonly sealer: Sealer;
  /** false: only enqueue (a command-line tool); the servers' workers deliver. Default true. */
  readonly work?: boolean;
}

/** BullMQ's prefix for the project's key prefix; under Cluster one hash tag keeps a queue's keys in one slot. */
export const outboxPrefix = (redis: RedisConfig) => (redis.clusterNodes?.length ? `{${redis.keyPrefix}outbox}` : `${redis.keyPrefix}outbox`);

/**
 * With a pace (the reminders' queue), one job runs at a time across every instance (BullMQ's global
 * concurrency) and BullMQ's rate limiter, global to the queue, keeps sends under `perSecond`.
 */
export function createBullOutbox(deps: BullOutboxDeps, settings: OutboxSettings, pace?: OutboxPace): Outbox {
  const name = pace?.name ?? QUEUE;
  const codec = sealed(json(jobSchema), deps.sealer);
  // Unlike the store's fail-fast client, these wait: a job may wait for Redis, a follower never does.
  // BullMQ's blocking reads need no per-command timeout and no retry limit.
  const options = { maxRetriesPerRequest: null, enableOfflineQueue: true, connectTimeout: 5000 } as const;
  const prefix = outboxPrefix(deps.redis);
  const queueConnection = connectRedis(deps.redis, { ...options, enableOfflineQueue: false, maxRetriesPerRequest: 2 });
  const queue = new Queue<JobData>(name, {
    connection: queueConnection,
    prefix,
    defaultJobOptions: {
      attempts: settings.attempts,
      backoff: { type: 'exponential', delay: settings.firstRetryMs },
      // A finished job is kept a day, so that an enqueue repeated meanwhile (same id) is a no-op.
      removeOnComplete: { age: DAY_MS / 1000 },
      removeOnFail: { age: 7 * DAY_MS / 1000 },
    },
  });
  const onError = (err: Error) => deps.logger.warn({ err: { message: err.message } }, 'outbox: redis connection error');
  queue.on('error', onError);
  if (pace) void queue.setGlobalConcurrency(1).catch((err: Error) => onError(err));

  let worker: Worker<JobData> | undefined;
  const workerConnection = deps.work === false ? undefined : connectRedis(deps.redis, options);
  if (workerConnection) {
    worker = new Worker<JobData>(name, (job) => work(job), {
      connection: workerConnection, prefix, concurrency: 1, ...(pace ? { limiter: { max: pace.perSecond, duration: 1000 } } : {}),
    });
    worker.on('error', onError);
    worker.on('failed', (job, err) => {
      if (job && job.attemptsMade < settings.attempts) deps.logger.info({ attempt: job.attemptsMade, err: { message: err.message } }, 'outbox: will try again');
    });
  }

  async function work(job: Job<JobData>): Promise<string> {
    const m = codec.decode(job.data.s);
    // Not ours (another ID_HASH_SECRET) or not this shape: nothing can ever deliver it.
    if (m === null) {
      deps.logger.error('outbox: a job that does not open with this ID_HASH_SECRET was dropped');
      return 'dropped';
    }
    const lastTry = job.attemptsMade + 1 >= settings.attempts;
    const result = await tryDeliver(deps, m as OutboxMessage, lastTry);
    // Throwing is how BullMQ is asked for another try after its backoff.
    if (result === 'retry') throw new Error('WeChat busy or unreachable');
    return result;
  }

  return {
    async enqueue(m) {
      const job = m.kind === 'template' ? { ...m, message: { ...m.message, data: { ...m.message.data } } } : { ...m, vars: m.vars ? { ...m.vars } : undefined, also: m.also ? [...m.also] : undefined };
      await queue.add('send', { s: codec.encode(job) }, { jobId: m.id.replace(/:/g, '-') });
    },
    async drain(withinMs) {
      const deadline = Date.now() + withinMs;
      for (;;) {
        const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
        const left = Object.values(counts).reduce((a, b) => a + b, 0);
        if (left === 0 || Date.now() >= deadline) return left;
        await sleep(100);
      }
    },
    async close() {
      // With Redis unreachable BullMQ's close waits for a connection that may never come: a
      // shutdown must not hang on it (a job not finished is taken up again by another worker).
      if (!(await settleWithin(Promise.all([worker?.close(), queue.close()]), CLOSE_WAIT_MS))) {
        await Promise.all([worker?.disconnect(), queue.disconnect()]).catch(() => undefined);
      }
      // BullMQ leaves clients it was given open: they are ours to close.
      workerConnection?.disconnect();
      queueConnection.disconnect();
    },
  };
}

const CLOSE_WAIT_MS = 2000;
/** Whether `p` settled within `ms`. */
export async function settleWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([p.then(() => true, () => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
  clearTimeout(timer);
  return settled;
}
