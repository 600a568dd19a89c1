import type { Bm25Index } from './bm25';
import type { KeywordIndex } from './keywords';

/** One question and its answer, placeholders already rendered: ready to send. */
export interface FaqEntry {
  readonly id: string;
  readonly question: string;
  readonly answer: string;
}

/**
 * Entries in file order plus everything matching needs, computed once at load so a request does
 * no work that could have been done at start-up. Treat as opaque outside src/faq.
 */
export interface KnowledgeBase {
  readonly entries: readonly FaqEntry[];
  readonly bm25: Bm25Index;
  readonly keywords: KeywordIndex;
}

/**
 * `answer`: confident enough to reply with the entry. `suggest`: a close call, offer up to three
 * entries (best first) and let the follower pick. `none`: not about certification as far as we can tell.
 */
export type MatchResult =
  | { readonly kind: 'answer'; readonly entry: FaqEntry; readonly score: number }
  | { readonly kind: 'suggest'; readonly entries: readonly FaqEntry[] }
  | { readonly kind: 'none' };
