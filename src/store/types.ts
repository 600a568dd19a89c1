/**
 * The one storage interface every part of the backend uses. Values are strings (callers keep JSON);
 * every TTL is in milliseconds. A memory adapter and a Redis adapter implement it with the same
 * semantics, and the same test suite runs against both.
 *
 * Keys that must be touched together in one atomic operation should share a Redis Cluster hash tag
 * (`{…}`), e.g. `f:{openid}:state` and `f:{openid}:seen`.
 */
export interface Store {
  get(key: string): Promise<string | null>;
  /** Several keys in one round trip; the result is aligned with `keys`. */
  getMany(keys: readonly string[]): Promise<(string | null)[]>;
  /** Write, with an optional TTL (none: kept until deleted). */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Write only if the key is absent. True when this call wrote it. */
  setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /**
   * Atomically: claim `claimKey` with `claimValue` if it is absent, and read `readKeys` in the same step.
   * Claimed: the values at `readKeys`. Not claimed: the value already at `claimKey`.
   * This is how a delivery is deduplicated and its follower's state loaded in one round trip.
   *
   * `settle` is an answer worked out before the claim that holds only if the first
   * `settle.whenAbsent` read keys are all absent: then `claimKey` gets `settle.value` (with its TTL)
   * instead of `claimValue`, nothing is read back, and the result says `settled` — the whole
   * delivery done in this one round trip. Otherwise the claim goes on as without it.
   */
  claimAndRead(claimKey: string, claimValue: string, claimTtlMs: number, readKeys: readonly string[], settle?: Settle): Promise<ClaimResult>;
  /**
   * Atomically: if `key` holds `expected` (null = absent), and every write in `also` that names an
   * `expect` finds its key holding that, apply `next` to it and every write in `also`; otherwise
   * change nothing. True when the writes were applied. This is the one way to
   * update a follower's state without lost updates (read, compute, compareAndSet, retry on false).
   */
  compareAndSet(key: string, expected: string | null, next: Write, also?: readonly KeyedWrite[]): Promise<boolean>;
  /**
   * Every key matching `pattern` (Redis glob: `*` and `?`) with its value, a batch at a time, for
   * a daily job that walks one kind of key (the reminders), never for answering a follower. Keys
   * come without the adapter's prefix. As with Redis SCAN, a key written or deleted during the
   * walk may or may not be seen, and under Cluster every master is walked in turn.
   */
  scan(pattern: string, batch?: number): AsyncIterable<ReadonlyArray<readonly [key: string, value: string]>>;
  /**
   * Counters shared by every instance: adds each amount to its field of the hash at `key` (creating
   * both as needed) and sets the hash's TTL, atomically and in one round trip. Resolves to the
   * fields' new values. A hash key is never read with `get` nor written with `set`.
   */
  incrementFields(key: string, fields: Readonly<Record<string, number>>, ttlMs: number): Promise<Record<string, number>>;
  /** Every field of the hash at `key` ({} when there is none). */
  readHash(key: string): Promise<Record<string, string>>;
  /** Resolves when the backing store answers; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A value to write (with optional TTL), or `null` to delete. */
export type Write = { readonly value: string; readonly ttlMs?: number } | null;
/**
 * A further write of a compare-and-set. `expect` (null = absent) makes it a guard too: the whole
 * set is applied only if the key still holds it (a value read earlier and consumed by this write).
 */
export type KeyedWrite = { readonly key: string; readonly write: Write; readonly expect?: string | null };

export type ClaimResult =
  | { readonly claimed: true; readonly values: (string | null)[] }
  | { readonly claimed: true; readonly settled: true }
  | { readonly claimed: false; readonly existing: string };

/** An answer to write as the claim itself, if the keys it was worked out without are still absent (see claimAndRead). */
export type Settle = { readonly value: string; readonly ttlMs: number; readonly whenAbsent: number };

/** Thrown by adapters when the backing store cannot be reached or does not answer in time. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}
