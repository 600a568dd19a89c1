import type { MessageKey, Vars } from '../content';
import type { TemplateMessageBody } from '../notify';

/**
 * A customer-service message waiting to reach a follower, as plain data: which template, with which
 * values (masked ones only: the job is kept in Redis until it is delivered), and an id that makes a
 * second enqueue of the same message a no-op.
 */
export interface TextOutboxMessage {
  readonly kind?: 'text';
  readonly openid: string;
  readonly key: MessageKey;
  readonly vars?: Vars;
  /** Further lines of the same paragraph, rendered with the same values (the pass's reminder promise). */
  readonly also?: readonly MessageKey[];
  /** Unique per message (e.g. `result:<link hash>`): the same id is queued and delivered once. */
  readonly id: string;
}

/**
 * A template message (a reminder), its fields already filled from templates/reminders.yaml (masked
 * values only). WeChat not taking it is not kept for the next reply: a reminder is worth nothing late.
 */
export interface TemplateOutboxMessage {
  readonly kind: 'template';
  readonly openid: string;
  readonly message: TemplateMessageBody;
  readonly id: string;
}

export type OutboxMessage = TextOutboxMessage | TemplateOutboxMessage;

/**
 * The durable way to tell a follower something outside a passive reply. `enqueue` resolves once the
 * message is kept (in Redis with BullMQ, in memory without Redis); delivery happens afterwards, with
 * retries while WeChat is busy. A message WeChat will not take now (window closed, unfollowed, or
 * retries used up) is kept as a notice that starts the follower's next reply.
 */
export interface Outbox {
  enqueue(message: OutboxMessage): Promise<void>;
  /**
   * Resolves once no message is waiting or being tried (or when `withinMs` has passed), with how
   * many still are: for a command that sends and then exits.
   */
  drain(withinMs: number): Promise<number>;
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

/**
 * A queue that sends one message at a time across all instances, at most `perSecond` (the
 * reminders' template messages); without it messages go out as fast as WeChat takes them.
 */
export interface OutboxPace {
  /** The queue's name under the project's prefix (`cs` is the customer-service one). */
  readonly name: string;
  readonly perSecond: number;
}

/** What one try came to: delivered, kept for the next reply, worth another try, or given up (a reminder). */
export type TryResult = 'sent' | 'kept' | 'retry' | 'dropped';
