import Redis, { Cluster, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { RedisConfig } from '../config';
import { type ClaimResult, type KeyedWrite, type Settle, type Store, StoreUnavailableError, type Write } from './types';

// KEYS[1] claim key, KEYS[2..] keys to read; ARGV[1] claim value, ARGV[2] TTL in ms; optionally
// ARGV[3] the settled answer, ARGV[4] its TTL in ms, ARGV[5] how many read keys must be absent for it.
// Returns {0, existing} (not claimed), {1, values…} (claimed) or {2} (claimed with the answer).
const CLAIM_AND_READ = `
local existing = redis.call('GET', KEYS[1])
if existing then return {0, existing} end
local out = {1}
for i = 2, #KEYS do out[i] = redis.call('GET', KEYS[i]) end
if ARGV[3] then
  local clear = true
  for i = 2, 1 + tonumber(ARGV[5]) do
    if out[i] then clear = false end
  end
  if clear then
    redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
    return {2}
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return out`;

// KEYS[1] compared key, KEYS[2..] further writes; ARGV[1] '0' expect absent / '1' expect ARGV[2];
// then per key five ARGV: 'S' or 'D', value, TTL in ms ('0': none), guard ('-' none, '0' expect
// absent, '1' expect the next ARGV), guarded value. Every guard is checked before anything is written.
const COMPARE_AND_SET = `
local function holds(key, mode, want)
  local cur = redis.call('GET', key)
  if mode == '0' then return not cur end
  return cur == want
end
if not holds(KEYS[1], ARGV[1], ARGV[2]) then return 0 end
for i = 2, #KEYS do
  local b = 3 + (i - 1) * 5
  if ARGV[b + 3] ~= '-' and not holds(KEYS[i], ARGV[b + 3], ARGV[b + 4]) then return 0 end
end
for i = 1, #KEYS do
  local b = 3 + (i - 1) * 5
  local ttl = tonumber(ARGV[b + 2])
  if ARGV[b] == 'D' then redis.call('DEL', KEYS[i])
  elseif ttl > 0 then redis.call('SET', KEYS[i], ARGV[b + 1], 'PX', ttl)
  else redis.call('SET', KEYS[i], ARGV[b + 1]) end
end
return 1`;

// KEYS[1] the hash; ARGV[1] TTL in ms, then field and amount pairs. Returns the new values in order.
const INCREMENT_FIELDS = `
local out = {}
for i = 2, #ARGV, 2 do out[#out + 1] = redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return out`;

export type Client = Redis | Cluster;
type Scripted = Client & {
  claimAndRead(numKeys: number, ...args: (string | number)[]): Promise<[number, ...(string | null)[]]>;
  compareAndSet(numKeys: number, ...args: (string | number)[]): Promise<number>;
  incrementFields(numKeys: number, ...args: (string | number)[]): Promise<number[]>;
};

/**
 * Fail fast rather than queue: a follower waiting on a reconnect would hit WeChat's 5-second limit.
 * Auto-pipelining sends the commands of all pushes in flight in one write: under load that halves
 * Redis's CPU per push (bench/run.ts: about 70 → 35 µs) and saves syscalls on our side.
 */
const COMMON = { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1000, connectTimeout: 2000, enableAutoPipelining: true } as const;
const retryStrategy = (times: number) => Math.min(100 * times, 2000);

/**
 * A client for the project's Redis settings (one server, Sentinel or Cluster). `options` replace the
 * store's fail-fast defaults, for clients that must wait instead (the outbox's BullMQ connections).
 */
export function connectRedis(config: RedisConfig, options: RedisOptions = COMMON): Client {
  if (config.clusterNodes?.length) {
    return new Cluster(config.clusterNodes.map((n) => ({ ...n })), {
      enableOfflineQueue: options.enableOfflineQueue ?? false, enableAutoPipelining: options.enableAutoPipelining ?? false, clusterRetryStrategy: retryStrategy, redisOptions: { ...options },
    });
  }
  if (config.sentinels?.length) {
    return new Redis({ ...options, retryStrategy, sentinels: config.sentinels.map((n) => ({ ...n })), name: config.sentinelName ?? 'mymaster' });
  }
  return new Redis(config.url ?? 'redis://127.0.0.1:6379', { ...options, retryStrategy });
}

/** The prefix taken literally inside a SCAN pattern. */
const escapeGlob = (s: string) => s.replace(/[*?[\]\\]/g, '\\$&');

/** HINCRBY takes integers only; anything else is a bug of the caller, not an unreachable store. */
function integer(n: number | undefined): number {
  if (!Number.isSafeInteger(n)) throw new RangeError(`a counter increment must be an integer, not ${n}`);
  return n as number;
}

export type RedisStore = Store & {
  /** Resolves once connected, or rejects after `timeoutMs`. */
  waitReady(timeoutMs: number): Promise<void>;
};

/**
 * The Redis adapter: key prefix, JSON-free strings, TTL, and Lua scripts for the atomic steps.
 * `options` replace the fail-fast defaults, for an operator's tool that may wait (records:export).
 */
export function createRedisStore(config: RedisConfig, logger?: Logger, options?: RedisOptions): RedisStore {
  const client = connectRedis(config, options) as Scripted;
  client.defineCommand('claimAndRead', { lua: CLAIM_AND_READ });
  client.defineCommand('compareAndSet', { lua: COMPARE_AND_SET });
  client.defineCommand('incrementFields', { lua: INCREMENT_FIELDS });
  let lastError = '';
  client.on('error', (err: Error) => {
    if (err.message !== lastError) logger?.warn({ err: err.message }, 'redis connection error');
    lastError = err.message;
  });
  client.on('ready', () => {
    if (lastError) logger?.info('redis connection ready again');
    lastError = '';
  });

  const k = (key: string) => config.keyPrefix + key;
  let closing: Promise<void> | undefined;
  const call = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (err) {
      throw new StoreUnavailableError(`redis ${what} failed: ${(err as Error).message}`, { cause: err });
    }
  };
  const writeArgs = (w: Write): string[] => (w === null ? ['D', '', '0'] : ['S', w.value, String(w.ttlMs ?? 0)]);
  const guardArgs = (w: KeyedWrite): string[] => (w.expect === undefined ? ['-', ''] : w.expect === null ? ['0', ''] : ['1', w.expect]);

  return {
    get: (key) => call('GET', () => client.get(k(key))),
    getMany: (keys) => (keys.length === 0 ? Promise.resolve([]) : call('MGET', () => client.mget(...keys.map(k)))),
    set: (key, value, ttlMs) => call('SET', async () => void (ttlMs ? await client.set(k(key), value, 'PX', ttlMs) : await client.set(k(key), value))),
    setIfAbsent: (key, value, ttlMs) =>
      call('SET NX', async () => (ttlMs ? await client.set(k(key), value, 'PX', ttlMs, 'NX') : await client.set(k(key), value, 'NX')) === 'OK'),
    delete: (key) => call('DEL', async () => void (await client.del(k(key)))),
    claimAndRead: (claimKey, claimValue, claimTtlMs, readKeys, settle?: Settle) =>
      call('claimAndRead', async (): Promise<ClaimResult> => {
        const keys = [claimKey, ...readKeys].map(k);
        const extra = settle ? [settle.value, settle.ttlMs, Math.min(settle.whenAbsent, readKeys.length)] : [];
        const [claimed, ...rest] = await client.claimAndRead(keys.length, ...keys, claimValue, claimTtlMs, ...extra);
        if (claimed === 2) return { claimed: true, settled: true };
        if (claimed === 1) return { claimed: true, values: readKeys.map((_, i) => rest[i] ?? null) };
        return { claimed: false, existing: rest[0] ?? '' };
      }),
    compareAndSet: (key, expected, next, also: readonly KeyedWrite[] = []) =>
      call('compareAndSet', async () => {
        const keys = [key, ...also.map((w) => w.key)].map(k);
        const args = [expected === null ? '0' : '1', expected ?? '', ...writeArgs(next), '-', '', ...also.flatMap((w) => [...writeArgs(w.write), ...guardArgs(w)])];
        return (await client.compareAndSet(keys.length, ...keys, ...args)) === 1;
      }),
    async *scan(pattern, batch = 500) {
      const nodes = client instanceof Cluster ? client.nodes('master') : [client];
      const match = escapeGlob(config.keyPrefix) + pattern;
      for (const node of nodes) {
        let cursor = '0';
        do {
          const [next, keys] = await call('SCAN', () => node.scan(cursor, 'MATCH', match, 'COUNT', batch));
          cursor = next;
          if (keys.length === 0) continue;
          // One GET each, pipelined: under Cluster a node's keys may sit in different slots, which MGET refuses.
          const pipeline = node.pipeline();
          for (const key of keys) pipeline.get(key);
          const got = (await call('GET', () => pipeline.exec())) ?? [];
          const out: [string, string][] = [];
          got.forEach(([err, value], i) => {
            // A key that could not be read is a walk that is not whole: the caller must know (an export is all or nothing).
            if (err) throw new StoreUnavailableError(`redis GET during SCAN failed: ${err.message}`, { cause: err });
            if (typeof value === 'string') out.push([keys[i]!.slice(config.keyPrefix.length), value]);
          });
          if (out.length) yield out;
        } while (cursor !== '0');
      }
    },
    incrementFields: async (key, fields, ttlMs) => {
      const names = Object.keys(fields);
      const args = names.flatMap((f) => [f, integer(fields[f])]);
      return call('incrementFields', async () => {
        const values = await client.incrementFields(1, k(key), ttlMs, ...args);
        return Object.fromEntries(names.map((f, i) => [f, Number(values[i])]));
      });
    },
    readHash: (key) => call('HGETALL', () => client.hgetall(k(key))),
    ping: () => call('PING', async () => void (await client.ping())),
    async close() {
      // Idempotent: a second close must not leave a reconnecting socket behind.
      closing ??= client.quit().then(() => undefined, () => client.disconnect());
      await closing;
    },
    waitReady(timeoutMs) {
      if (client.status === 'ready') return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          client.off('ready', onReady);
          reject(new StoreUnavailableError(`redis not ready after ${timeoutMs} ms`));
        }, timeoutMs);
        const onReady = () => {
          clearTimeout(timer);
          resolve();
        };
        client.once('ready', onReady);
      });
    },
  };
}
