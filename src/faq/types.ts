import type { Bm25Index } from './bm25';
import type { KeywordIndex } from './keywords';

import type { Phase } from '../calendar';

/**
 * Where today falls against the certification window (the calendar's phase). Answers about dates
 * say different things before it opens (not yet), during it (now, before the end) and after it
 * closes (now, paid back).
 */
export type { Phase };
export const PHASES: readonly Phase[] = ['before', 'during', 'after'];

/**
 * `faq`: an entry of this account's knowledge base. `elsewhere`: a question people ask here that
 * this account cannot answer (contributions, payment days, allowances…); its answer says so and
 * names who can. Such entries are never offered as topics or suggestions.
 */
export type Scope = 'faq' | 'elsewhere';

/** One question and its answer, placeholders already rendered for one phase: ready to send. */
export interface FaqEntry {
  readonly id: string;
  readonly question: string;
  readonly answer: string;
  /** What matters in a line or two: used when one message asks two things. */
  readonly short: string;
  readonly scope: Scope;
}

/**
 * Entries in file order plus everything matching needs, computed once at load so a request does
 * no work that could have been done at start-up. Treat as opaque outside src/faq.
 */
export interface KnowledgeBase {
  readonly entries: readonly FaqEntry[];
  readonly bm25: Bm25Index;
  readonly keywords: KeywordIndex;
  readonly phase: Phase;
}

/**
 * `answer`: confident enough to reply with the entry. `suggest`: a close call, offer up to three
 * entries (best first) and let the follower pick. `none`: not about certification as far as we can tell.
 */
export type MatchResult =
  | { readonly kind: 'answer'; readonly entry: FaqEntry; readonly score: number }
  | { readonly kind: 'suggest'; readonly entries: readonly FaqEntry[] }
  | { readonly kind: 'none' };
