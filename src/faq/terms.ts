/**
 * Character n-grams over normalised text. A unit is one Han character, or a run of latin letters
 * (APP) or digits (2024), so "APP" is one unit rather than three letters. Terms are the units
 * (unigrams) and adjacent pairs (bigrams); bigrams never span two segments (a keyword and the next).
 */
const UNIT = /\p{Script=Han}|[a-zA-Z]+|[0-9]+/gu;

export function units(normalised: string): string[] {
  return normalised.match(UNIT) ?? [];
}

/** Bigram keys carry a separator so they can never collide with a latin or digit unigram. */
export function bigram(a: string, b: string): string {
  return `${a}\u00b7${b}`;
}

export function isBigram(term: string): boolean {
  return term.includes('\u00b7');
}

/** Term frequencies of one segment, added into `into`. */
export function countTerms(normalised: string, into: Map<string, number> = new Map()): Map<string, number> {
  const u = units(normalised);
  for (let i = 0; i < u.length; i++) {
    const a = u[i]!;
    into.set(a, (into.get(a) ?? 0) + 1);
    const b = u[i + 1];
    if (b !== undefined) {
      const key = bigram(a, b);
      into.set(key, (into.get(key) ?? 0) + 1);
    }
  }
  return into;
}
