import { todayAt, type CertSettings } from '../calendar';
import { assertNever } from '../dialogue/types';
import type { Logger } from '../log';
import type { Store } from '../store';
import type { Layout } from '../store/layout';
import { bump, isEmpty, type CategoryRef, type FailReason, type Fields } from './fields';

export { countsOf } from './derive';
export { COUNTED_STEPS, FAIL_REASONS, type CountedStep, type FailReason, type Field, type Fields } from './fields';
export { readCycle, summarize, type Summary, type SummaryLabels } from './summary';

/**
 * The office's counters: numbers per China day and cycle, shared by every instance through the
 * store. Counting never delays or fails an answer: it runs after the answer is decided, without
 * being awaited, and a failure is logged and the count lost.
 */
export interface Stats {
  /** Adds to today's counters (one round trip); resolves when written or when the failure was logged. */
  add(fields: Fields): Promise<void>;
  /** The counter index of a category name (as a link record holds it); 'x' for one no longer listed. */
  categoryRef(name: string): CategoryRef;
  /** True the first time it is asked about this link (a page reload is no second opening). */
  firstOpening(token: string): Promise<boolean>;
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

export function createStats(deps: StatsDeps): Stats {
  return {
    async add(fields) {
      if (isEmpty(fields)) return;
      const today = todayAt(deps.cert, deps.now());
      const slot = deps.layout.stats(today.cert.cycle, today.date);
      try {
        await deps.store.incrementFields(slot.key, fields as Record<string, number>, slot.ttlMs);
      } catch (err) {
        deps.logger.warn({ err: (err as Error).message }, 'a count was lost');
      }
    },
    categoryRef(name) {
      const i = deps.categories.indexOf(name);
      return i < 0 ? 'x' : i;
    },
    async firstOpening(token) {
      const slot = deps.layout.linkOpened(token.slice(0, 20), token);
      return deps.store.setIfAbsent(slot.key, '1', slot.ttlMs).catch(() => false);
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
  await stats.add(fields);
}
