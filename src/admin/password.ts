import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Staff passwords, kept only as slow hashes (scrypt, from node:crypto: memory-hard, no native
 * add-on to build). A stored hash reads `scrypt$N$r$p$SALT$HASH`: N, r and p are scrypt's cost,
 * block size and parallelism, SALT and HASH base64. The parameters travel with the hash, so they
 * can be raised later without breaking the hashes already handed out.
 */
export interface PasswordHash {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  /** base64 (plain data, so that the frozen config can hold it) */
  readonly salt: string;
  readonly hash: string;
}

/** About 32 MiB and a few dozen milliseconds per try: cheap for one login, dear for a guesser. */
export const DEFAULT_COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, cost: Pick<PasswordHash, 'N' | 'r' | 'p'>, bytes: number): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; node refuses more than maxmem, whose default (32 MiB) is just short.
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, bytes, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** A new hash of `password` with a fresh salt, in the stored format. */
export async function hashPassword(password: string, cost: Pick<PasswordHash, 'N' | 'r' | 'p'> = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, cost, KEY_BYTES);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/**
 * Reads a stored hash; null when it is not one, or its cost is below what a login must cost
 * (N ≥ 2^14) or beyond what a login may cost (N ≤ 2^20), so a typo cannot weaken or stall it.
 */
export function parsePasswordHash(s: string): PasswordHash | null {
  const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/.exec(s.trim());
  if (!m) return null;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const salt = Buffer.from(m[4]!, 'base64');
  const hash = Buffer.from(m[5]!, 'base64');
  const powerOfTwo = (N & (N - 1)) === 0;
  if (!powerOfTwo || N < 2 ** 14 || N > 2 ** 20 || r < 1 || r > 32 || p < 1 || p > 16) return null;
  if (salt.length < SALT_BYTES || hash.length < 16 || hash.length > 64) return null;
  return { N, r, p, salt: m[4]!, hash: m[5]! };
}

/** Whether `password` matches `stored`, compared in constant time. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const key = await derive(password, Buffer.from(stored.salt, 'base64'), stored, expected.length);
  return timingSafeEqual(key, expected);
}
