import type { Content } from '../content';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { Notifier } from '../notify';
import type { Store } from '../store';
import type { Layout } from '../store/layout';
import type { OutboxMessage, TemplateOutboxMessage, TryResult } from './types';

export interface DeliverDeps {
  readonly store: Store;
  readonly layout: Layout;
  readonly content: Content;
  readonly notifier: Notifier;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  /** WeChat said the follower left (43004): what else must forget them (the reminders). */
  readonly onNotFollower?: (openid: string) => Promise<void>;
}

/**
 * Values today's templates use that messages queued by an earlier version do not carry: such a
 * message is still delivered (a result is never lost to a template change), the value masked.
 */
const QUEUED_BEFORE = { idTail: '****' } as const;

/** At most this many notices wait for one follower; older ones give way (a follower certifying many people). */
const MAX_NOTICES = 10;

/**
 * One try to deliver a message, shared by both outboxes. The text is rendered now, from the
 * templates in force. `lastTry`: when WeChat is still busy, keep the message for the next reply
 * rather than ask for another try.
 */
export async function tryDeliver(deps: DeliverDeps, m: OutboxMessage, lastTry: boolean): Promise<TryResult> {
  if (m.kind === 'template') return tryTemplate(deps, m, lastTry);
  const vars = { ...QUEUED_BEFORE, ...m.vars };
  const text = [m.key, ...(m.also ?? [])].map((key) => deps.content.text(key, vars)).join('\n');
  const outcome = await deps.notifier.sendText(m.openid, text).catch(() => 'retry' as const);
  deps.metrics?.notifications.inc({ outcome });
  switch (outcome) {
    case 'sent':
      return 'sent';
    case 'retry':
      if (!lastTry) return 'retry';
      await keepNotice(deps, m.openid, text);
      return 'kept';
    case 'not_follower':
      await keepNotice(deps, m.openid, text);
      await deps.onNotFollower?.(m.openid);
      return 'kept';
    case 'window_closed':
    case 'failed':
      await keepNotice(deps, m.openid, text);
      return 'kept';
    default: {
      const never: never = outcome;
      throw new Error(`unhandled outcome ${String(never)}`);
    }
  }
}

/** A template message: tried while WeChat is busy, else given up; a follower who left is forgotten. */
async function tryTemplate(deps: DeliverDeps, m: TemplateOutboxMessage, lastTry: boolean): Promise<TryResult> {
  const outcome = await deps.notifier.sendTemplate(m.openid, m.message).catch(() => 'retry' as const);
  deps.metrics?.templates.inc({ outcome });
  switch (outcome) {
    case 'sent':
      return 'sent';
    case 'retry':
      return lastTry ? 'dropped' : 'retry';
    case 'not_follower':
      await deps.onNotFollower?.(m.openid);
      return 'dropped';
    case 'window_closed':
    case 'failed':
      return 'dropped';
    default: {
      const never: never = outcome;
      throw new Error(`unhandled outcome ${String(never)}`);
    }
  }
}

/**
 * Keeps a text for the follower's next reply (see handle.ts), next to any kept before. A
 * compare-and-set loop, because the follower's own message may consume the notices meanwhile.
 */
export async function keepNotice(deps: Pick<DeliverDeps, 'store' | 'layout' | 'logger'>, openid: string, text: string): Promise<void> {
  const slot = deps.layout.follower(openid).notice;
  for (let race = 0; race < 8; race++) {
    const raw = await deps.store.get(slot.key);
    const earlier = raw === null ? [] : (slot.codec.decode(raw) ?? []);
    if (earlier.includes(text)) return;
    const next = [...earlier, text].slice(-MAX_NOTICES);
    if (await deps.store.compareAndSet(slot.key, raw, { value: slot.codec.encode(next), ttlMs: slot.ttlMs })) {
      deps.logger.info({ notices: next.length }, 'customer-service message kept for the follower\'s next reply');
      return;
    }
  }
  throw new Error('notices of a follower kept changing while keeping one');
}
