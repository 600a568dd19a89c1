import { chinaDate, cnDate } from '../calendar';
import type { Content } from '../content';
import type { Logger } from '../log';
import type { Notifier, NotifyOutcome } from '../notify';
import type { Store } from '../store';
import type { CertMark, Layout, LinkRecord } from '../store/layout';

/**
 * Face-check links: issued by the dialogue (its record is saved with the follower's state), looked
 * up by the page, and spent once by a completion. The stub's page reports its result itself; a
 * real provider's verdict is fetched by the server (./session.ts). The record keeps, sealed, what
 * the provider needs.
 */

/** A link token: the follower's hash tag and 24 random bytes (192 bits), URL-safe. */
export const isTokenShaped = (s: string) => /^[0-9a-f]{20}[A-Za-z0-9_-]{32}$/.test(s);
/** The hash tag a token carries: its follower's keys live under it. */
export const tagOfToken = (token: string) => token.slice(0, 20);

export interface FaceCheckDeps {
  readonly store: Store;
  readonly layout: Layout;
  readonly content: Content;
  readonly notifier: Notifier;
  readonly logger: Logger;
  readonly now: () => number;
}

/**
 * Until when a link answers: its opening deadline, or — once a provider session started — as long
 * as that session lives, so a person who began in time can finish and come back.
 */
export const usableUntil = (record: LinkRecord) => Math.max(record.expiresAt, record.session?.until ?? 0);

/** `raw`: the stored value, which spending the link compares against. */
export type Lookup = { status: 'open'; record: LinkRecord; raw: string } | { status: 'unknown' | 'used' | 'expired' };

/** What a link is now: open, used, expired, or never issued. */
export async function lookupToken(deps: Pick<FaceCheckDeps, 'store' | 'layout' | 'now'>, token: string): Promise<Lookup> {
  if (!isTokenShaped(token)) return { status: 'unknown' };
  const slot = deps.layout.link(tagOfToken(token), token);
  const raw = await deps.store.get(slot.key);
  const record = raw === null ? null : slot.codec.decode(raw);
  if (raw === null || record === null) return { status: 'unknown' };
  if (record.status !== 'issued') return { status: 'used' };
  if (deps.now() >= usableUntil(record)) return { status: 'expired' };
  return { status: 'open', record, raw };
}

/**
 * A provider's verdict on a link: the result and what it rests on (the provider and its session:
 * Tencent's BizToken; for the stub, a hash of the link token, never the token).
 */
export interface Verdict {
  readonly result: 'pass' | 'fail';
  readonly reference: { readonly provider: string; readonly id: string };
}

export type Completion = { status: 'done'; result: 'pass' | 'fail'; date: string; notified: Promise<NotifyOutcome> } | { status: 'unknown' | 'used' | 'expired' };

/**
 * The provider's verdict on a link. The link is spent atomically (one completion wins) and its
 * clear data dropped; a pass writes the person's mark for the cycle only if none exists (two
 * relatives racing yield one); the follower is then told through a customer-service message.
 */
export async function completeFaceCheck(deps: FaceCheckDeps, token: string, verdict: Verdict): Promise<Completion> {
  const { result } = verdict;
  const found = await lookupToken(deps, token);
  if (found.status !== 'open') return { status: found.status };
  const { record, raw } = found;
  const slot = deps.layout.link(tagOfToken(token), token);
  const spent: LinkRecord = { ...record, idNumber: '', name: '', phone: '', status: result };
  if (!(await deps.store.compareAndSet(slot.key, raw, { value: slot.codec.encode(spent), ttlMs: deps.layout.spentLinkTtlMs }))) {
    return { status: 'used' };
  }
  const now = deps.now();
  let date = chinaDate(now);
  if (result === 'pass') {
    const mark: CertMark = {
      maskedId: record.maskedId, category: record.category, date, certifiedAt: new Date(now).toISOString(), result: 'pass',
      by: tagOfToken(token), nameKey: record.nameKey,
    };
    const markSlot = deps.layout.mark(record.cycle, record.personKey);
    if (!(await deps.store.setIfAbsent(markSlot.key, markSlot.codec.encode(mark), markSlot.ttlMs))) {
      const existing = await deps.store.get(markSlot.key);
      const earlier = existing === null ? null : markSlot.codec.decode(existing);
      if (earlier) date = earlier.date;
    }
  }
  const text = deps.content.text(result === 'pass' ? 'resultPass' : 'resultFail', { maskedName: record.maskedName, category: record.category, date: cnDate(date) });
  // The provider's callback is answered once the mark is safe; WeChat's API may be slow (token
  // refresh, retries), and the page must not time out and tempt a second tap on a spent link.
  const notified = deps.notifier.sendText(record.openid, text).catch(() => 'failed' as const);
  void notified.then((outcome) => deps.logger.info({ result, notify: outcome }, 'face check completed'));
  return { status: 'done', result, date, notified };
}
