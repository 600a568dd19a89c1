import { tryDeliver, type DeliverDeps } from './deliver';
import type { Outbox, OutboxMessage, OutboxSettings } from './types';

/**
 * The outbox without Redis (`npm start` on a laptop, most tests): the same tries and waits as the
 * BullMQ outbox, by timers in this process. Like the memory store it keeps nothing across a restart.
 * The first try starts at once, so a quick WeChat has the message before `enqueue` resolves.
 */
export function createMemoryOutbox(deps: DeliverDeps, settings: OutboxSettings): Outbox {
  const timers = new Set<NodeJS.Timeout>();
  const seen = new Set<string>();
  let closed = false;

  const attempt = (m: OutboxMessage, n: number): void => {
    if (closed) return;
    void tryDeliver(deps, m, n >= settings.attempts).then(
      (result) => {
        if (result !== 'retry' || closed) return;
        const timer = setTimeout(() => {
          timers.delete(timer);
          attempt(m, n + 1);
        }, settings.firstRetryMs * 2 ** (n - 1));
        timers.add(timer);
      },
      (err: Error) => deps.logger.error({ err: { message: err.message } }, 'outbox: a message could not be kept'),
    );
  };

  return {
    async enqueue(m) {
      if (closed || seen.has(m.id)) return;
      seen.add(m.id);
      // Bounded: ids are only for telling a repeat from a new message shortly after.
      if (seen.size > 10_000) seen.delete(seen.values().next().value!);
      attempt(m, 1);
    },
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
