import { todayAt, type CertSettings } from '../calendar';
import { assertNever } from '../dialogue/types';
import type { Logger } from '../log';
import type { Store } from '../store';
import { tagOfToken, type Layout } from '../store/layout';
import { bump, isEmpty, type CategoryRef, type FailReason, type Fields } from './fields';

export { countsOf } from './derive';
export { COUNTED_STEPS, FAIL_REASONS, type CountedStep, type FailReason, type Field, type Fields } from './fields';
export { readCycle, summarize, type Summary, type SummaryLabels } from './summary';

/**
 * The office's counters: numbers per China day and cycle, shared by every instance through the
 * store. Counting never delays or fails an answer: `add` only adds to this instance's tally, which
 * is written to the store within FLUSH_MS (one round trip for all counts of that second, instead
 * of one per push) and when the service stops. A tally the store refuses is kept for the next try;
 * a crash loses at most the last second's counts.
 */
export interface Stats {
  /** Adds to today's counters; synchronous and cheap (no I/O on the caller's path). */
  add(fields: Fields): void;
  /** Writes the tally to the store now (the console does before it reads). */
  flush(): Promise<void>;
  /** The counter index of a category name (as a link record holds it); 'x' for one no longer listed. */
  categoryRef(name: string): CategoryRef;
  /** True the first time it is asked about this link (a page reload is no second opening). */
  firstOpening(token: string): Promise<boolean>;
  /** Stops the timer and writes what is left. */
  close(): Promise<void>;
}

export interface StatsDeps {
  readonly store: Store;
  readonly layout: Layout;
  readonly cert: CertSettings;
  /** Category names in the order of templates/messages.yaml. */
  readonly categories: readonly string[];
  readonly logger: Logger;
  readonly now: () => number;
}

/** How long counts wait in an instance before they reach the store. */
export const FLUSH_MS = 1000;

export function createStats(deps: StatsDeps): Stats {
  /** Counts not yet in the store, by hash key (the day is fixed when counted, not when written). */
  let tally = new Map<string, { ttlMs: number; fields: Record<string, number> }>();
  let timer: NodeJS.Timeout | undefined;
  const merge = (key: string, ttlMs: number, fields: Readonly<Record<string, number>>) => {
    const entry = tally.get(key) ?? { ttlMs, fields: {} };
    for (const [f, n] of Object.entries(fields)) entry.fields[f] = (entry.fields[f] ?? 0) + n;
    tally.set(key, entry);
  };
  const flush = async () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const due = tally;
    tally = new Map();
    await Promise.all(
      [...due].map(async ([key, { ttlMs, fields }]) => {
        try {
          await deps.store.incrementFields(key, fields, ttlMs);
        } catch (err) {
          // Kept for the next write: a store that is down for a moment loses no count.
          merge(key, ttlMs, fields);
          schedule();
          deps.logger.warn({ err: (err as Error).message }, 'counts not written yet; kept for the next try');
        }
      }),
    );
  };
  const schedule = () => {
    timer ??= setTimeout(() => void flush(), FLUSH_MS).unref();
  };
  return {
    add(fields) {
      if (isEmpty(fields)) return;
      const today = todayAt(deps.cert, deps.now());
      const slot = deps.layout.stats(today.cert.cycle, today.date);
      merge(slot.key, slot.ttlMs, fields as Record<string, number>);
      schedule();
    },
    flush,
    categoryRef(name) {
      const i = deps.categories.indexOf(name);
      return i < 0 ? 'x' : i;
    },
    async firstOpening(token) {
      const slot = deps.layout.linkOpened(tagOfToken(token), token);
      return deps.store.setIfAbsent(slot.key, '1', slot.ttlMs).catch(() => false);
    },
    async close() {
      await flush();
      if (timer) clearTimeout(timer);
      timer = undefined;
      const lost = [...tally.values()].reduce((n, e) => n + Object.keys(e.fields).length, 0);
      if (lost) deps.logger.warn({ fields: lost }, 'counts lost at shutdown: the store did not take them');
    },
  };
}

/**
 * A face-check event as a provider sees it. `link` (the token) makes 'opened' count once per link.
 * A real provider calls this for 'providerStarted' when its own session starts, and maps its result
 * codes onto `FailReason` for 'failed'.
 */
export type FaceCheckEvent =
  | { readonly event: 'opened'; readonly category: string; readonly link?: string }
  | { readonly event: 'providerStarted' | 'passed'; readonly category: string }
  | { readonly event: 'failed'; readonly category: string; readonly reason: FailReason };

/** Counts a face-check event; never throws and need not be awaited. */
export async function recordFaceCheck(stats: Stats, e: FaceCheckEvent): Promise<void> {
  if (e.event === 'opened' && e.link !== undefined && !(await stats.firstOpening(e.link))) return;
  const fields: Fields = {};
  const cat = stats.categoryRef(e.category);
  switch (e.event) {
    case 'opened':
      bump(fields, 'linkOpened');
      bump(fields, `cat:${cat}:linkOpened`);
      break;
    case 'providerStarted':
    case 'passed':
      bump(fields, e.event);
      bump(fields, `cat:${cat}:${e.event}`);
      break;
    case 'failed':
      bump(fields, 'failed');
      bump(fields, `fail:${e.reason}`);
      bump(fields, `cat:${cat}:failed`);
      break;
    default:
      return assertNever(e);
  }
  stats.add(fields);
}
