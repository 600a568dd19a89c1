import { scoreBm25 } from './bm25';
import { oneWordOnly } from './evidence';
import { namesKeyword, scoreKeywords } from './keywords';
import { normalize } from './normalize';
import { placesAsElsewhere, stripSituation } from './situation';
import type { FaqEntry, KnowledgeBase, MatchResult } from './types';

/**
 * How evidence becomes a decision. An entry's score is its BM25 score as a share of the question's
 * ceiling (how much of what was asked the entry covers, 0–1; the asker's situation words left out)
 * plus its keyword weight times `keywordScale`. Calibrated on the dev and tuning sets, keeping a
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
  /**
   * Keyword weight an answer needs. One generic word (子女, 养老金, 手机) weighs less than this on
   * its own, so it never makes a confident answer: 子女的养老金几号发 is not about relatives helping.
   */
  readonly minKeyword: number;
  /** Refuse an answer resting on one keyword in a question about something else (see evidence.ts). */
  readonly oneWordGuard: boolean;
}

/** Result of scoring one question against every entry. */
export interface Scores {
  readonly total: Float64Array;
  /** Raw keyword weight per entry: an answer needs some, so a vague "认证" or "养老金" never gets one. */
  readonly keyword: Float64Array;
  /** How many distinct keywords of each entry the question holds. */
  readonly hits: Uint8Array;
  /** The question once normalised, and without the asker's situation (what BM25 scored). */
  readonly normalised: string;
  readonly core: string;
}

export const DEFAULT_THRESHOLDS: MatchThresholds = {
  keywordScale: 0.1,
  keywordCap: 6,
  none: 0.3,
  answer: 0.35,
  margin: 0.05,
  suggestShare: 0.6,
  minKeyword: 1.5,
  oneWordGuard: true,
};

/** A question is a sentence or two; a pasted essay is cut so one message cannot cost much time. */
export const MAX_QUESTION_CHARS = 300;

/** Scores of every entry for one question. */
export function scoreAll(kb: KnowledgeBase, text: string, t: MatchThresholds = DEFAULT_THRESHOLDS): Scores {
  return scoreNormalised(kb, normalize(text.length > MAX_QUESTION_CHARS ? text.slice(0, MAX_QUESTION_CHARS) : text), t);
}

/** Scores of every entry for text already normalised (the classifier normalises each clause once). */
export function scoreNormalised(kb: KnowledgeBase, q: string, t: MatchThresholds = DEFAULT_THRESHOLDS): Scores {
  const n = kb.entries.length;
  const known = (place: string): boolean => namesKeyword(kb.keywords, place);
  const core = stripSituation(q, known);
  const total = new Float64Array(n);
  const keyword = new Float64Array(n);
  const hits = new Uint8Array(n);
  if (q.length === 0) return { total, keyword, hits, normalised: q, core };
  const ceiling = core.length ? scoreBm25(kb.bm25, core, total) : 1;
  // 在满洲里住 is evidence of being away as much as 在外地 is; the guard against one-word answers
  // still reads what was written (normalised), where no entry knows 满洲里.
  scoreKeywords(kb.keywords, placesAsElsewhere(q, known), keyword, hits);
  for (let i = 0; i < n; i++) total[i] = total[i]! / ceiling + t.keywordScale * Math.min(keyword[i]!, t.keywordCap);
  return { total, keyword, hits, normalised: q, core };
}

/** The `k` best entries, best first; ties keep file order. A linear pass: no sort of every entry. */
function best(total: Float64Array, k: number): number[] {
  const top: number[] = [];
  for (let i = 0; i < total.length; i++) {
    let at = top.length;
    while (at > 0 && total[i]! > total[top[at - 1]!]!) at -= 1;
    if (at < k) {
      top.splice(at, 0, i);
      if (top.length > k) top.pop();
    }
  }
  return top;
}

/** The decision on given scores (the classifier scores halves of a message with the same rule). */
export function decide(kb: KnowledgeBase, s: Scores, t: MatchThresholds = DEFAULT_THRESHOLDS): MatchResult {
  const { total, keyword } = s;
  const order = best(total, 3);
  const first = order[0];
  if (first === undefined) return { kind: 'none' };
  const top = total[first]!;
  if (top < t.none) return { kind: 'none' };
  const second = order[1] === undefined ? 0 : total[order[1]]!;
  const entry = kb.entries[first]!;
  const confident = top >= t.answer && top - second >= t.margin && keyword[first]! >= t.minKeyword;
  if (confident && !(t.oneWordGuard && oneWordOnly(kb, first, s.normalised))) return { kind: 'answer', entry, score: top };
  // A question that is most like one the account cannot answer gets the honest fallback, not a guess.
  if (entry.scope === 'elsewhere') return { kind: 'none' };
  const floor = Math.max(t.none, top * t.suggestShare);
  const entries: FaqEntry[] = order
    .filter((i) => total[i]! >= floor && kb.entries[i]!.scope === 'faq')
    .map((i) => kb.entries[i]!);
  return { kind: 'suggest', entries };
}

export function match(kb: KnowledgeBase, text: string, t: MatchThresholds = DEFAULT_THRESHOLDS): MatchResult {
  return decide(kb, scoreAll(kb, text, t), t);
}
