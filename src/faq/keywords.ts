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
}

export const MAX_GAP = 8;

/** Per entry, keywords sorted longest first (ties: heavier first). */
export type KeywordIndex = readonly (readonly Keyword[])[];

const length = (k: Keyword): number => k.parts.reduce((n, p) => n + p.length, 0);

export function buildKeywordIndex(perEntry: readonly (readonly Keyword[])[]): KeywordIndex {
  return perEntry.map((list) => {
    const seen = new Map<string, Keyword>();
    for (const k of list) {
      const parts = k.parts.filter((p) => p.length > 0);
      if (parts.length === 0) continue;
      const key = parts.join('*');
      const prev = seen.get(key);
      if (!prev || prev.weight < k.weight) seen.set(key, { parts, weight: k.weight });
    }
    return [...seen.values()].sort((a, b) => length(b) - length(a) || b.weight - a.weight);
  });
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

export function scoreKeywords(index: KeywordIndex, normalised: string, scores: Float64Array): void {
  const covered = new Uint8Array(normalised.length);
  index.forEach((list, doc) => {
    covered.fill(0);
    let sum = 0;
    for (const k of list) {
      let counted = false;
      for (let spans = find(normalised, k.parts, 0); spans; spans = find(normalised, k.parts, spans[0]! + 1)) {
        for (let s = 0; s < spans.length; s += 2) {
          for (let i = spans[s]!; i < spans[s + 1]!; i++) {
            if (covered[i] === 0) {
              covered[i] = 1;
              counted = true;
            }
          }
        }
      }
      if (counted) sum += k.weight;
    }
    scores[doc] = scores[doc]! + sum;
  });
}
