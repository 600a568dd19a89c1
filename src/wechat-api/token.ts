import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Store } from '../store/types';
import { WechatTokenError, WechatTransportError } from './errors';
import { requestJson } from './http';
import type { ApiLogger, ApiSettings } from './types';
import { accessTokenKey as tokenKey, tokenCodec, type StoredToken } from '../store/layout';

/**
 * One access token for every instance. WeChat's legacy endpoint voids the previous token on each
 * fetch, so instances that each fetch their own keep breaking each other; the token therefore lives
 * in the shared store, and only the holder of a short lock fetches a new one.
 */
export interface TokenManager {
  /** A token that is not due for refresh; fetched (once for all instances) when there is none. */
  get(): Promise<string>;
  /**
   * A token other than `rejected`, which WeChat refused (40001/40014/42001). Only one caller across
   * all instances fetches, with `force_refresh` in stable mode; the others pick up its result.
   */
  replace(rejected: string): Promise<string>;
}

export interface TokenManagerOptions {
  readonly store: Store;
  readonly settings: ApiSettings;
  /** Refresh this long before expiry (default 5 minutes; at most half the token's lifetime). */
  readonly refreshAheadMs?: number;
  /** How long a refresh lock lives if its holder dies (default: twice the API timeout plus 2 s). */
  readonly lockTtlMs?: number;
  /** How often a caller waiting for another instance's refresh reads the store (default 50 ms). */
  readonly pollMs?: number;
  readonly now?: () => number;
  readonly logger?: ApiLogger;
}

export { accessTokenKey as tokenKey, TOKEN_KEY_PREFIX, type StoredToken } from '../store/layout';

export function createTokenManager(opts: TokenManagerOptions): TokenManager {
  const { store, settings, logger } = opts;
  const now = opts.now ?? Date.now;
  const refreshAheadMs = opts.refreshAheadMs ?? 5 * 60_000;
  const lockTtlMs = opts.lockTtlMs ?? settings.apiTimeoutMs * 2 + 2000;
  const pollMs = opts.pollMs ?? 50;
  const key = tokenKey(settings.appId);
  const lockKey = `${key}:lock`;
  const inFlight = new Map<string, Promise<string>>();
  /** The last token this process saw, so that most calls cost no store round trip. */
  let known: StoredToken | null = null;

  async function read(): Promise<StoredToken | null> {
    const raw = await store.get(key);
    if (raw === null) return null;
    // An unreadable entry is treated as absent and overwritten by the next refresh.
    const v = tokenCodec.decode(raw);
    if (v !== null) known = v;
    return v;
  }

  /** The entry's token when it is neither rejected nor due for refresh. */
  const usable = (e: StoredToken | null, rejected: string | undefined): string | null =>
    e !== null && e.token !== rejected && now() < e.refreshAt ? e.token : null;

  async function fetchToken(force: boolean): Promise<StoredToken> {
    const base = { base: settings.apiBase, timeoutMs: settings.apiTimeoutMs };
    const answer =
      settings.tokenMode === 'stable'
        ? await requestJson({
            ...base,
            path: '/cgi-bin/stable_token',
            body: { grant_type: 'client_credential', appid: settings.appId, secret: settings.appSecret, ...(force ? { force_refresh: true } : {}) },
          })
        : await requestJson({
            ...base,
            path: '/cgi-bin/token',
            query: { grant_type: 'client_credential', appid: settings.appId, secret: settings.appSecret },
          });
    const token = answer['access_token'];
    const expiresIn = answer['expires_in'];
    if (typeof token !== 'string' || token === '' || typeof expiresIn !== 'number' || !(expiresIn > 0)) {
      throw new WechatTransportError(settings.tokenMode === 'stable' ? '/cgi-bin/stable_token' : '/cgi-bin/token', 'bad_response', 'no access_token/expires_in in the answer');
    }
    const fetchedAt = now();
    const lifetimeMs = expiresIn * 1000;
    const expiresAt = fetchedAt + lifetimeMs;
    const refreshAt = fetchedAt + Math.max(lifetimeMs - refreshAheadMs, lifetimeMs / 2);
    logger?.info({ mode: settings.tokenMode, forced: force, expiresInSec: expiresIn }, 'wechat access token refreshed');
    return { token, expiresAt, refreshAt };
  }

  async function obtain(rejected: string | undefined): Promise<string> {
    const giveUpAt = now() + lockTtlMs + settings.apiTimeoutMs;
    for (;;) {
      const entry = await read();
      const current = usable(entry, rejected);
      if (current !== null) return current;
      const owner = randomUUID();
      if (await store.setIfAbsent(lockKey, owner, lockTtlMs)) {
        try {
          // Another instance may have refreshed between our read and our lock.
          const again = usable(await read(), rejected);
          if (again !== null) return again;
          const fresh = await fetchToken(rejected !== undefined && settings.tokenMode === 'stable');
          await store.set(key, tokenCodec.encode(fresh), Math.max(1, fresh.expiresAt - now()));
          known = fresh;
          return fresh.token;
        } finally {
          await store.compareAndSet(lockKey, owner, null).catch((err: unknown) => {
            logger?.warn({ err }, 'could not release the access-token lock; it expires on its own');
          });
        }
      }
      // Someone else is refreshing. A token that is due for refresh but not expired still works meanwhile.
      if (entry !== null && rejected === undefined && now() < entry.expiresAt) return entry.token;
      if (now() > giveUpAt) throw new WechatTokenError('timed out waiting for another instance to refresh the access token');
      await sleep(pollMs);
    }
  }

  /** Callers in this process share one attempt, so 20 concurrent callers cost one store round, not 20. */
  function shared(rejected: string | undefined): Promise<string> {
    const slot = rejected ?? '';
    const running = inFlight.get(slot);
    if (running) return running;
    const p = obtain(rejected).finally(() => inFlight.delete(slot));
    inFlight.set(slot, p);
    return p;
  }

  return {
    get: () => {
      const cached = usable(known, undefined);
      return cached !== null ? Promise.resolve(cached) : shared(undefined);
    },
    replace: (rejected) => shared(rejected),
  };
}
