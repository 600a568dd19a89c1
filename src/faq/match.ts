import { scoreBm25 } from './bm25';
import { scoreKeywords } from './keywords';
import { normalize } from './normalize';
import type { FaqEntry, KnowledgeBase, MatchResult } from './types';

/**
 * How evidence becomes a decision. An entry's score is its BM25 score as a share of the question's
 * ceiling (how much of what was said the entry covers, 0–1) plus its keyword weight times
 * `keywordScale`. Calibrated on questions written from the notice plus the dev set, keeping a
 * margin so a close call becomes a choice for the follower rather than a confident wrong answer.
 */
export interface MatchThresholds {
  readonly keywordScale: number;
  /** Keyword evidence beyond this adds nothing (a rambling message should not win on volume). */
  readonly keywordCap: number;
  /** Below this the best entry is not about the question at all. */
  readonly none: number;
  /** At or above this, and clear of the runner-up by `margin`, the best entry is the answer. */
  readonly answer: number;
  /** Lead over the runner-up an answer needs; closer than this, the follower picks. */
  readonly margin: number;
  /** A runner-up is offered only if it scores at least this share of the best. */
  readonly suggestShare: number;
}

/** Result of scoring one question against every entry. */
export interface Scores {
  readonly total: Float64Array;
  /** Raw keyword weight per entry: an answer needs some, so a vague "认证" or "养老金" never gets one. */
  readonly keyword: Float64Array;
}

export const DEFAULT_THRESHOLDS: MatchThresholds = {
  keywordScale: 0.1,
  keywordCap: 6,
  none: 0.3,
  answer: 0.35,
  margin: 0.05,
  suggestShare: 0.6,
};

/** A question is a sentence or two; a pasted essay is cut so one message cannot cost much time. */
const MAX_QUESTION_CHARS = 300;

/** Scores of every entry for one question. */
export function scoreAll(kb: KnowledgeBase, text: string, t: MatchThresholds = DEFAULT_THRESHOLDS): Scores {
  const n = kb.entries.length;
  const q = normalize(text.length > MAX_QUESTION_CHARS ? text.slice(0, MAX_QUESTION_CHARS) : text);
  const total = new Float64Array(n);
  const keyword = new Float64Array(n);
  if (q.length === 0) return { total, keyword };
  const ceiling = scoreBm25(kb.bm25, q, total);
  scoreKeywords(kb.keywords, q, keyword);
  for (let i = 0; i < n; i++) total[i] = total[i]! / ceiling + t.keywordScale * Math.min(keyword[i]!, t.keywordCap);
  return { total, keyword };
}

export function match(kb: KnowledgeBase, text: string, t: MatchThresholds = DEFAULT_THRESHOLDS): MatchResult {
  const { total, keyword } = scoreAll(kb, text, t);
  const order = [...total.keys()].sort((a, b) => total[b]! - total[a]!);
  const best = order[0];
  if (best === undefined) return { kind: 'none' };
  const top = total[best]!;
  if (top < t.none) return { kind: 'none' };
  const second = order[1] === undefined ? 0 : total[order[1]]!;
  if (top >= t.answer && top - second >= t.margin && keyword[best]! > 0) {
    return { kind: 'answer', entry: kb.entries[best]!, score: top };
  }
  const floor = Math.max(t.none, top * t.suggestShare);
  const entries: FaqEntry[] = order
    .slice(0, 3)
    .filter((i) => total[i]! >= floor)
    .map((i) => kb.entries[i]!);
  return { kind: 'suggest', entries };
}
