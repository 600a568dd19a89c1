import { tryDeliver, type DeliverDeps } from './deliver';
import type { Outbox, OutboxMessage, OutboxPace, OutboxSettings } from './types';

/**
 * The outbox without Redis (`npm start` on a laptop, most tests): the same tries and waits as the
 * BullMQ outbox, by timers in this process. Like the memory store it keeps nothing across a restart.
 * The first try starts at once, so a quick WeChat has the message before `enqueue` resolves. With
 * a pace, tries run one after another, spaced to stay under `perSecond`.
 */
export function createMemoryOutbox(deps: DeliverDeps, settings: OutboxSettings, pace?: OutboxPace): Outbox {
  const timers = new Set<NodeJS.Timeout>();
  const seen = new Set<string>();
  let closed = false;
  /** Messages enqueued and not yet sent, kept or given up (what `drain` waits for). */
  let pending = 0;
  let idle: (() => void)[] = [];
  // One try at a time when paced: each waits for the one before and the gap after it.
  let turn: Promise<unknown> = Promise.resolve();
  const gapMs = pace ? Math.ceil(1000 / pace.perSecond) : 0;

  const settle = () => {
    pending -= 1;
    if (pending === 0) for (const f of idle.splice(0)) f();
  };
  const later = (ms: number, f: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      f();
    }, ms);
    timers.add(timer);
  };

  const attempt = (m: OutboxMessage, n: number): void => {
    if (closed) return settle();
    const once = () =>
      tryDeliver(deps, m, n >= settings.attempts).then(
        (result) => {
          if (result !== 'retry' || closed) return settle();
          later(settings.firstRetryMs * 2 ** (n - 1), () => attempt(m, n + 1));
        },
        (err: Error) => {
          deps.logger.error({ err: { message: err.message } }, 'outbox: a message could not be kept');
          settle();
        },
      );
    if (!pace) {
      void once();
      return;
    }
    turn = turn.then(once).then(() => new Promise<void>((resolve) => (closed ? resolve() : later(gapMs, resolve))));
  };

  return {
    async enqueue(m) {
      if (closed || seen.has(m.id)) return;
      seen.add(m.id);
      // Bounded: ids are only for telling a repeat from a new message shortly after.
      if (seen.size > 10_000) seen.delete(seen.values().next().value!);
      pending += 1;
      attempt(m, 1);
    },
    drain(withinMs) {
      if (pending === 0) return Promise.resolve(0);
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          resolve(pending);
        };
        const timer = setTimeout(() => {
          idle = idle.filter((f) => f !== done);
          resolve(pending);
        }, withinMs);
        idle.push(done);
      });
    },
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const f of idle.splice(0)) f();
    },
  };
}
