import { countTerms, isBigram } from './terms';

/**
 * Okapi BM25 over character uni- and bigrams. Each document is an entry: its question, keywords and
 * examples as separate segments. Per-(term, entry) contributions are computed at build time, so
 * scoring a question is a handful of map look-ups.
 */
export interface Bm25Params {
  readonly k1: number;
  readonly b: number;
  /** Single characters say less than pairs (认, 证 are everywhere); they count this much. */
  readonly unigramWeight: number;
}

export const DEFAULT_BM25: Bm25Params = { k1: 1.2, b: 0.4, unigramWeight: 0.3 };

export interface Posting {
  readonly doc: number;
  readonly weight: number;
}

export interface Bm25Index {
  readonly docCount: number;
  readonly postings: ReadonlyMap<string, readonly Posting[]>;
  /** Best possible contribution of a term (its idf × saturation ceiling × term weight). */
  readonly ceiling: ReadonlyMap<string, number>;
  /** Ceiling of a term no entry contains: such terms make a question look less like any entry. */
  readonly unseenBigramCeiling: number;
  readonly unseenUnigramCeiling: number;
}

export function buildBm25(docs: readonly (readonly string[])[], params: Bm25Params = DEFAULT_BM25): Bm25Index {
  const { k1, b, unigramWeight } = params;
  const tfs = docs.map((segments) => {
    const tf = new Map<string, number>();
    for (const seg of segments) countTerms(seg, tf);
    return tf;
  });
  const lengths = tfs.map((tf) => [...tf.values()].reduce((a, n) => a + n, 0));
  const avg = lengths.reduce((a, n) => a + n, 0) / Math.max(1, lengths.length);
  const df = new Map<string, number>();
  for (const tf of tfs) for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);

  const N = docs.length;
  const idf = (n: number): number => Math.log(1 + (N - n + 0.5) / (n + 0.5));
  const termWeight = (t: string): number => (isBigram(t) ? 1 : unigramWeight);

  const postings = new Map<string, Posting[]>();
  const ceiling = new Map<string, number>();
  for (const [t, n] of df) ceiling.set(t, idf(n) * (k1 + 1) * termWeight(t));
  tfs.forEach((tf, doc) => {
    const norm = k1 * (1 - b + (b * lengths[doc]!) / avg);
    for (const [t, f] of tf) {
      const weight = (idf(df.get(t)!) * termWeight(t) * f * (k1 + 1)) / (f + norm);
      const list = postings.get(t);
      if (list) list.push({ doc, weight });
      else postings.set(t, [{ doc, weight }]);
    }
  });
  return {
    docCount: N,
    postings,
    ceiling,
    unseenBigramCeiling: idf(0) * (k1 + 1),
    unseenUnigramCeiling: idf(0) * (k1 + 1) * unigramWeight,
  };
}

/**
 * Adds each entry's BM25 score into `scores` and returns the question's ceiling (the score an entry
 * matching every term perfectly would get), so callers can express a score as a share of it.
 */
export function scoreBm25(index: Bm25Index, normalised: string, scores: Float64Array): number {
  let ceiling = 0;
  for (const t of countTerms(normalised).keys()) {
    const c = index.ceiling.get(t);
    ceiling += c ?? (isBigram(t) ? index.unseenBigramCeiling : index.unseenUnigramCeiling);
    const list = index.postings.get(t);
    if (list) for (const p of list) scores[p.doc] = scores[p.doc]! + p.weight;
  }
  return ceiling;
}
