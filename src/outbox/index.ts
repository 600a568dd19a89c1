import type { RedisConfig } from '../config';
import { createBullOutbox } from './bullmq';
import type { DeliverDeps } from './deliver';
import { createMemoryOutbox } from './memory';
import type { Outbox, OutboxPace, OutboxSettings } from './types';

/**
 * Customer-service messages that are never lost: queued durably, retried while WeChat is busy, and
 * kept for the follower's next reply when WeChat will not take them. One interface, two homes:
 * BullMQ on the project's Redis, or timers in this process when there is no Redis.
 */
export type { Outbox, OutboxMessage, OutboxPace, OutboxSettings, TemplateOutboxMessage, TextOutboxMessage, TryResult } from './types';
export { keepNotice, tryDeliver, type DeliverDeps } from './deliver';
export { createMemoryOutbox } from './memory';
export { createBullOutbox, outboxPrefix } from './bullmq';

/**
 * The outbox for these settings: on Redis when the service has one. `work: false` only enqueues.
 * `pace` makes it a queue of its own that sends one at a time across instances (the reminders').
 */
export function createOutbox(deps: DeliverDeps, opts: { redis: RedisConfig | null; settings: OutboxSettings; work?: boolean; pace?: OutboxPace }): Outbox {
  if (!opts.redis) return createMemoryOutbox(deps, opts.settings, opts.pace);
  return createBullOutbox({ ...deps, redis: opts.redis, sealer: deps.layout.outboxSealer, ...(opts.work === false ? { work: false } : {}) }, opts.settings, opts.pace);
}
