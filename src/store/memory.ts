import type { ClaimResult, KeyedWrite, Settle, Store, Write } from './types';

/** A string, or a hash of counters (see `incrementFields`); a key holds one kind only, as in Redis. */
interface Entry { value: string | Map<string, number>; expiresAt: number | null }

/**
 * The embedded store: a Map with the same semantics as the Redis adapter, TTL included. State is
 * lost on restart and not shared between instances, which is why start-up warns when it is used.
 * Expired entries are dropped when touched and by a periodic sweep, so memory stays bounded.
 */
export function createMemoryStore(opts: { now?: () => number; sweepMs?: number } = {}): Store & { size(): number } {
  const now = opts.now ?? Date.now;
  const map = new Map<string, Entry>();
  const sweep = setInterval(() => {
    const t = now();
    for (const [k, e] of map) if (e.expiresAt !== null && e.expiresAt <= t) map.delete(k);
  }, opts.sweepMs ?? 30_000);
  sweep.unref();

  const live = (key: string): Entry | null => {
    const e = map.get(key);
    if (!e) return null;
    if (e.expiresAt !== null && e.expiresAt <= now()) {
      map.delete(key);
      return null;
    }
    return e;
  };
  const read = (key: string): string | null => {
    const v = live(key)?.value;
    return typeof v === 'string' ? v : null;
  };
  const apply = (key: string, write: Write): void => {
    if (write === null) map.delete(key);
    else map.set(key, { value: write.value, expiresAt: write.ttlMs ? now() + write.ttlMs : null });
  };

  // Every method body runs synchronously up to its return, so each one is atomic in one process.
  return {
    async get(key) {
      return read(key);
    },
    async getMany(keys) {
      return keys.map(read);
    },
    async set(key, value, ttlMs) {
      apply(key, { value, ...(ttlMs ? { ttlMs } : {}) });
    },
    async setIfAbsent(key, value, ttlMs) {
      if (read(key) !== null) return false;
      apply(key, { value, ...(ttlMs ? { ttlMs } : {}) });
      return true;
    },
    async delete(key) {
      map.delete(key);
    },
    async claimAndRead(claimKey, claimValue, claimTtlMs, readKeys, settle?: Settle): Promise<ClaimResult> {
      const existing = read(claimKey);
      if (existing !== null) return { claimed: false, existing };
      const values = readKeys.map(read);
      if (settle && values.slice(0, settle.whenAbsent).every((v) => v === null)) {
        apply(claimKey, { value: settle.value, ttlMs: settle.ttlMs });
        return { claimed: true, settled: true };
      }
      apply(claimKey, { value: claimValue, ttlMs: claimTtlMs });
      return { claimed: true, values };
    },
    async compareAndSet(key, expected, next, also: readonly KeyedWrite[] = []) {
      if (read(key) !== expected) return false;
      if (also.some((w) => w.expect !== undefined && read(w.key) !== w.expect)) return false;
      apply(key, next);
      for (const w of also) apply(w.key, w.write);
      return true;
    },
    async *scan(pattern, batch = 500) {
      const re = globRegExp(pattern);
      let out: [string, string][] = [];
      for (const key of [...map.keys()]) {
        const value = re.test(key) ? read(key) : null;
        if (value !== null) out.push([key, value]);
        if (out.length >= batch) {
          yield out;
          out = [];
        }
      }
      if (out.length) yield out;
    },
    async incrementFields(key, fields, ttlMs) {
      const e = live(key);
      const hash = e && typeof e.value !== 'string' ? e.value : new Map<string, number>();
      const out: Record<string, number> = {};
      for (const [field, by] of Object.entries(fields)) {
        if (!Number.isSafeInteger(by)) throw new RangeError(`a counter increment must be an integer, not ${by}`);
        const n = (hash.get(field) ?? 0) + by;
        hash.set(field, n);
        out[field] = n;
      }
      map.set(key, { value: hash, expiresAt: now() + ttlMs });
      return out;
    },
    async readHash(key) {
      const v = live(key)?.value;
      return v === undefined || typeof v === 'string' ? {} : Object.fromEntries([...v].map(([f, n]) => [f, String(n)]));
    },
    async ping() {},
    async close() {
      clearInterval(sweep);
    },
    size() {
      return map.size;
    },
  };
}

/** Redis's glob (`*`, `?`) as a regular expression over a whole key. */
function globRegExp(pattern: string): RegExp {
  const body = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 's');
}
