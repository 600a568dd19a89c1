import { randomBytes } from 'node:crypto';
import type { Config } from '../config';
import { chinaDate } from '../config';
import { cnDate, type Content } from '../content';
import type { Attempt } from '../dialogue/types';
import { recordKey } from '../dialogue/types';
import type { Logger } from '../log';
import type { Notifier, NotifyOutcome } from '../notify';
import type { Store } from '../store';

/**
 * The face-verification provider. Only a stub exists today; a real service replaces it by
 * implementing `start` (it receives the clear data it needs; nothing is kept here in clear).
 */
export interface FaceCheckProvider {
  /**
   * `attemptId` is random and the same for every try of one message (a lost race in the store
   * makes the core run again): a provider uses it to start one check, not several.
   */
  start(attempt: Attempt, attemptId: string): Promise<{ url: string }>;
}

/** What the stub keeps per link: masked values and the keyed hash only. */
export interface TokenRecord {
  readonly openid: string;
  readonly cycle: number;
  readonly category: string;
  readonly personKey: string;
  readonly maskedId: string;
  readonly maskedName: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly status: 'issued' | 'pass' | 'fail';
}

/** The certification record of a person for a cycle: nothing that identifies them in clear. */
export interface CertRecord {
  readonly maskedId: string;
  readonly category: string;
  /** China date, YYYY-MM-DD. */
  readonly date: string;
  readonly certifiedAt: string;
  readonly result: 'pass';
}

const tokenKey = (token: string) => `fc:${token}`;
/** A used or expired link is remembered a day longer, so the page can say which it was. */
const AFTERLIFE_MS = 24 * 3600_000;
const RECORD_TTL_MS = 400 * 24 * 3600_000;
/** 24 random bytes: 192 bits, URL-safe. */
export const newToken = () => randomBytes(24).toString('base64url');
export const isTokenShaped = (s: string) => /^[A-Za-z0-9_-]{32}$/.test(s);

export interface FaceCheckDeps {
  readonly store: Store;
  readonly config: Config;
  readonly content: Content;
  readonly notifier: Notifier;
  readonly logger: Logger;
  readonly now: () => number;
}

export function createStubProvider(deps: Pick<FaceCheckDeps, 'store' | 'config' | 'now'>): FaceCheckProvider {
  return {
    async start(a, attemptId) {
      const token = attemptId;
      const issuedAt = deps.now();
      const rec: TokenRecord = {
        openid: a.openid, cycle: a.cycle, category: a.category, personKey: a.personKey, maskedId: a.maskedId, maskedName: a.maskedName,
        issuedAt, expiresAt: issuedAt + deps.config.cert.faceCheckTokenMs, status: 'issued',
      };
      await deps.store.set(tokenKey(token), JSON.stringify(rec), deps.config.cert.faceCheckTokenMs + AFTERLIFE_MS);
      return { url: `${deps.config.publicBaseUrl}/face-check/${token}` };
    },
  };
}

/** `raw`: the stored value, which spending the link compares against. */
export type Lookup = { status: 'open'; record: TokenRecord; raw: string } | { status: 'unknown' | 'used' | 'expired' };

/** What a link is now: open, used, expired, or never issued. */
export async function lookupToken(deps: Pick<FaceCheckDeps, 'store' | 'now'>, token: string): Promise<Lookup> {
  if (!isTokenShaped(token)) return { status: 'unknown' };
  const raw = await deps.store.get(tokenKey(token));
  if (!raw) return { status: 'unknown' };
  const record = JSON.parse(raw) as TokenRecord;
  if (record.status !== 'issued') return { status: 'used' };
  if (deps.now() >= record.expiresAt) return { status: 'expired' };
  return { status: 'open', record, raw };
}

export type Completion = { status: 'done'; result: 'pass' | 'fail'; date: string; notified: Promise<NotifyOutcome> } | { status: 'unknown' | 'used' | 'expired' };

/**
 * The provider's callback. The link is spent atomically (one completion wins); a pass writes the
 * person's record for the cycle only if none exists (two relatives racing yield one record); the
 * follower is then told through a customer-service message.
 */
export async function completeFaceCheck(deps: FaceCheckDeps, token: string, result: 'pass' | 'fail'): Promise<Completion> {
  const found = await lookupToken(deps, token);
  if (found.status !== 'open') return { status: found.status };
  const { record, raw } = found;
  const spent: TokenRecord = { ...record, status: result };
  if (!(await deps.store.compareAndSet(tokenKey(token), raw, { value: JSON.stringify(spent), ttlMs: AFTERLIFE_MS }))) {
    return { status: 'used' };
  }
  const now = new Date(deps.now());
  let date = chinaDate(now);
  if (result === 'pass') {
    const cert: CertRecord = { maskedId: record.maskedId, category: record.category, date, certifiedAt: now.toISOString(), result: 'pass' };
    const key = recordKey(record.cycle, record.personKey);
    if (!(await deps.store.setIfAbsent(key, JSON.stringify(cert), RECORD_TTL_MS))) {
      const existing = await deps.store.get(key);
      if (existing) date = (JSON.parse(existing) as CertRecord).date;
    }
  }
  const text = deps.content.text(result === 'pass' ? 'resultPass' : 'resultFail', { maskedName: record.maskedName, category: record.category, date: cnDate(date) });
  // The provider's callback is answered once the record is safe; WeChat's API may be slow (token
  // refresh, retries), and the page must not time out and tempt a second tap on a spent link.
  const notified = deps.notifier.sendText(record.openid, text).catch(() => 'failed' as const);
  void notified.then((outcome) => deps.logger.info({ result, notify: outcome }, 'face check completed'));
  return { status: 'done', result, date, notified };
}
