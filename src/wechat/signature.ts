import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * WeChat's signature: sha1 hex of the parts sorted lexicographically and joined with no separator.
 * The same rule signs URL verification (token, timestamp, nonce), every push, and — with the
 * `Encrypt` element as a fourth part — encrypted pushes and encrypted replies.
 */
export function computeSignature(...parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

/**
 * Compares a signature we computed with one a caller sent, in constant time, so that response
 * timing does not reveal how many leading characters of a forged signature were right
 * (co-wechat compares with `!==`). Lengths are not secret — a sha1 hex is always 40 characters —
 * so a length mismatch answers false at once instead of throwing as `timingSafeEqual` would.
 */
export function signaturesMatch(expected: string, actual: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(actual, 'utf8');
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}
