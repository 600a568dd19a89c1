/**
 * Keyword hits: a normalised keyword found inside the normalised question adds its weight to its
 * entry. A keyword may have gaps written `*` (瘫*床 finds 瘫在床上): its parts must appear in order
 * with at most MAX_GAP characters between them. Within one entry, longer keywords are tried first
 * and a keyword counts only if it covers a character no hit of the same entry already covered, so
 * 没有智能手机 and 智能手机 in one question are one piece of evidence, not two.
 */
export interface Keyword {
  /** Normalised parts; a plain keyword has one. */
  readonly parts: readonly string[];
  readonly weight: number;
  /** False for an everyday word (社区, 免费, 北京) that is no evidence on its own (see evidence.ts). */
  readonly alone: boolean;
}

export const MAX_GAP = 8;

/**
 * Per entry, keywords sorted longest first (ties: heavier first); and every keyword by the first one
 * or two characters of its first part, so a question is searched only for keywords that can start
 * somewhere in it — a few dozen of well over a thousand.
 */
export interface KeywordIndex {
  readonly lists: readonly (readonly Keyword[])[];
  /** Flat keyword number (offset of its entry + its place in the entry's list), by its first characters. */
  readonly byStart: ReadonlyMap<string, readonly number[]>;
  readonly offsets: readonly number[];
  readonly count: number;
  /** Every keyword without gaps, of any entry: a place one of them names (海南, 加拿大) is evidence, not situation. */
  readonly words: ReadonlySet<string>;
}

const length = (k: Keyword): number => k.parts.reduce((n, p) => n + p.length, 0);
const startKey = (k: Keyword): string => k.parts[0]!.slice(0, 2);

export function buildKeywordIndex(perEntry: readonly (readonly Keyword[])[]): KeywordIndex {
  const lists = perEntry.map((list) => {
    const seen = new Map<string, Keyword>();
    for (const k of list) {
      const parts = k.parts.filter((p) => p.length > 0);
      if (parts.length === 0) continue;
      const key = parts.join('*');
      const prev = seen.get(key);
      if (!prev || prev.weight < k.weight) seen.set(key, { parts, weight: k.weight, alone: k.alone });
    }
    return [...seen.values()].sort((a, b) => length(b) - length(a) || b.weight - a.weight);
  });
  const byStart = new Map<string, number[]>();
  const offsets: number[] = [];
  let count = 0;
  for (const list of lists) {
    offsets.push(count);
    list.forEach((k, i) => {
      const key = startKey(k);
      const ids = byStart.get(key);
      if (ids) ids.push(count + i);
      else byStart.set(key, [count + i]);
    });
    count += list.length;
  }
  const words = new Set(lists.flatMap((list) => list.filter((k) => k.parts.length === 1).map((k) => k.parts[0]!)));
  return { lists, byStart, offsets, count, words };
}

/** Whether some keyword without gaps occurs inside `text` (a short span: every substring is looked up). */
export function namesKeyword(index: KeywordIndex, text: string): boolean {
  for (let i = 0; i < text.length; i++) for (let j = i + 1; j <= text.length; j++) if (index.words.has(text.slice(i, j))) return true;
  return false;
}

/** Spans [start, end) of the first in-order occurrence of the parts at or after `from`, or null. */
function find(text: string, parts: readonly string[], from: number): number[] | null {
  const spans: number[] = [];
  let at = text.indexOf(parts[0]!, from);
  if (at === -1) return null;
  spans.push(at, at + parts[0]!.length);
  for (let i = 1; i < parts.length; i++) {
    const prevEnd = spans[spans.length - 1]!;
    at = text.indexOf(parts[i]!, prevEnd);
    if (at === -1 || at - prevEnd > MAX_GAP) return null;
    spans.push(at, at + parts[i]!.length);
  }
  return spans;
}

/** Adds each entry's keyword weight into `scores`, and the number of distinct keywords it hit into `hits`. */
export function scoreKeywords(index: KeywordIndex, normalised: string, scores: Float64Array, hits?: Uint8Array): void {
  // Which keywords could occur: those starting with a character pair (or a single character) of the text.
  const possible = new Uint8Array(index.count);
  let any = false;
  const mark = (key: string): void => {
    const ids = index.byStart.get(key);
    if (!ids) return;
    any = true;
    for (const id of ids) possible[id] = 1;
  };
  for (let i = 0; i < normalised.length; i++) {
    mark(normalised[i]!);
    if (i + 1 < normalised.length) mark(normalised.slice(i, i + 2));
  }
  if (!any) return;
  const covered = new Uint8Array(normalised.length);
  index.lists.forEach((list, doc) => {
    const { sum, count } = cover(list, normalised, covered, possible, index.offsets[doc]!);
    scores[doc] = scores[doc]! + sum;
    if (hits) hits[doc] = hits[doc]! + count;
  });
}

/** Which characters of the text the keywords of entry `doc` cover (1), and the keywords that count. */
export function keywordCoverage(index: KeywordIndex, doc: number, normalised: string): { covered: Uint8Array; counted: Keyword[] } {
  const covered = new Uint8Array(normalised.length);
  const counted: Keyword[] = [];
  cover(index.lists[doc]!, normalised, covered, null, 0, counted);
  return { covered, counted };
}

/**
 * Marks in `covered` what the keywords of one entry cover, longest first, counting a keyword only
 * when it covers something new; `possible` (with the entry's offset) skips keywords that cannot occur.
 */
function cover(
  list: readonly Keyword[],
  normalised: string,
  covered: Uint8Array,
  possible: Uint8Array | null,
  offset: number,
  counted?: Keyword[],
): { sum: number; count: number } {
  let first = true;
  let sum = 0;
  let count = 0;
  for (let j = 0; j < list.length; j++) {
    if (possible && possible[offset + j] === 0) continue;
    if (first) {
      covered.fill(0);
      first = false;
    }
    const k = list[j]!;
    let hit = false;
    for (let spans = find(normalised, k.parts, 0); spans; spans = find(normalised, k.parts, spans[0]! + 1)) {
      for (let s = 0; s < spans.length; s += 2) {
        for (let i = spans[s]!; i < spans[s + 1]!; i++) {
          if (covered[i] === 0) {
            covered[i] = 1;
            hit = true;
          }
        }
      }
    }
    if (hit) {
      sum += k.weight;
      count += 1;
      counted?.push(k);
    }
  }
  return { sum, count };
}
