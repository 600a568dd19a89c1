import type { FaqEntry } from './types';

/** WeChat refuses a passive text reply longer than this many UTF-8 bytes. */
export const MAX_REPLY_BYTES = 2048;

/**
 * An answer as the follower reads it. A question of this account's reads 问：… 答：…; an
 * `elsewhere` entry is only its answer (it says who can answer, not what the answer is).
 */
export function formatAnswer(entry: FaqEntry): string {
  return fitBytes(entry.scope === 'elsewhere' ? entry.answer : composeAnswer(entry), MAX_REPLY_BYTES);
}

/** Two questions asked in one message: both, short, in one reply (the loader bounds each half). */
export function formatTwo(a: FaqEntry, b: FaqEntry): string {
  const half = (e: FaqEntry) => (e.scope === 'elsewhere' ? e.short : composeAnswer({ ...e, answer: e.short }));
  return fitBytes(`${half(a)}\n\n${half(b)}`, MAX_REPLY_BYTES);
}

/** The reply before any length guard; the loader measures this to refuse entries that are too long. */
export function composeAnswer(entry: Pick<FaqEntry, 'question' | 'answer'>): string {
  return `问：${entry.question}\n答：${entry.answer}`;
}

/**
 * The loader already refuses entries that do not fit, so this only guards entries built elsewhere:
 * cut at a character boundary and say so, rather than have WeChat drop the whole reply.
 */
function fitBytes(text: string, max: number): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text;
  const ellipsis = '…';
  let budget = max - Buffer.byteLength(ellipsis, 'utf8');
  let out = '';
  for (const ch of text) {
    budget -= Buffer.byteLength(ch, 'utf8');
    if (budget < 0) break;
    out += ch;
  }
  return out + ellipsis;
}
