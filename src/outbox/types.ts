import type { MessageKey, Vars } from '../content';

/**
 * A customer-service message waiting to reach a follower, as plain data: which template, with which
 * values (masked ones only: the job is kept in Redis until it is delivered), and an id that makes a
 * second enqueue of the same message a no-op.
 */
export interface OutboxMessage {
  readonly openid: string;
  readonly key: MessageKey;
  readonly vars?: Vars;
  /** Unique per message (e.g. `result:<link hash>`): the same id is queued and delivered once. */
  readonly id: string;
}

/**
 * The durable way to tell a follower something outside a passive reply. `enqueue` resolves once the
 * message is kept (in Redis with BullMQ, in memory without Redis); delivery happens afterwards, with
 * retries while WeChat is busy. A message WeChat will not take now (window closed, unfollowed, or
 * retries used up) is kept as a notice that starts the follower's next reply.
 */
export interface Outbox {
  enqueue(message: OutboxMessage): Promise<void>;
  /** Stops delivering (jobs in Redis stay for the next instance) and releases connections. */
  close(): Promise<void>;
}

/** How long a message is tried before it is kept for the next reply instead. */
export interface OutboxSettings {
  /** Tries in all, the first included. */
  readonly attempts: number;
  /** Wait before the second try; each later wait doubles. */
  readonly firstRetryMs: number;
}

/** What one try came to: delivered, kept for the next reply, or worth another try. */
export type TryResult = 'sent' | 'kept' | 'retry';
