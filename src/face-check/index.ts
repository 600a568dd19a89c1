import { createHash } from 'node:crypto';
import { chinaDate, cnDate } from '../calendar';
import type { Logger } from '../log';
import type { Outbox } from '../outbox';
import type { RecordsPublicKey } from '../records/envelope';
import { sealRecord } from '../records/record';
import { recordPass } from '../reminders/entries';
import { recordFaceCheck, type FailReason, type Stats } from '../stats';
import type { Store } from '../store';
import { tagOfToken, tokenHash, type CertMark, type Layout, type LinkRecord } from '../store/layout';
import { tailOf } from '../dialogue/confirm';
import { dropKeptEntries } from './kept-entries';

/**
 * Face-check links: issued by the dialogue (its record is saved with the follower's state), looked
 * up by the page, and spent once by a completion. The record keeps what a provider needs, sealed.
 */

/** A link token: the follower's hash tag and 24 random bytes (192 bits), URL-safe. */
export const isTokenShaped = (s: string) => /^[0-9a-f]{20}[A-Za-z0-9_-]{32}$/.test(s);
export { tagOfToken };

/**
 * The stub's reference for a verification: a hash of the link token (the token itself opens the
 * link), in hex so that no spreadsheet takes it for a formula.
 */
export const stubReference = (token: string) => ({ provider: 'stub', id: createHash('sha256').update(`stub:${token}`).digest('hex').slice(0, 32) });

export interface FaceCheckDeps {
  readonly store: Store;
  readonly layout: Layout;
  readonly outbox: Outbox;
  /** The office's public key: a pass is sealed to it; this server cannot open it. */
  readonly recordsKey: RecordsPublicKey;
  readonly logger: Logger;
  readonly stats: Stats;
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
 * A provider's verdict, as the server verified it (never as a browser claims it, once a real
 * provider is in place). `reference` lets the office find the verification at the provider: the
 * BizToken for Tencent FaceID, `stubReference(token)` for the stub.
 */
export interface Verdict {
  readonly result: 'pass' | 'fail';
  readonly reference: { readonly provider: string; readonly id: string };
  /** A failure's provider code mapped onto the office's groups (counted, never shown). */
  readonly reason?: FailReason;
}

export type Completion = { status: 'done'; result: 'pass' | 'fail'; date: string } | { status: 'unknown' | 'used' | 'expired' };

/**
 * The provider's verdict on a link. The link is spent atomically (one completion wins) and its
 * clear data dropped; a pass writes the person's mark for the cycle, with the office's sealed
 * record inside, only if none exists (two relatives racing yield one mark and one record); the
 * follower is then told through the outbox, which keeps the result for their next reply when
 * WeChat will not take it.
 */
export async function completeFaceCheck(deps: FaceCheckDeps, token: string, verdict: Verdict): Promise<Completion> {
  const found = await lookupToken(deps, token);
  if (found.status !== 'open') return { status: found.status };
  const { record, raw } = found;
  const { result } = verdict;
  const slot = deps.layout.link(tagOfToken(token), token);
  const now = deps.now();
  // Sealed before the link is spent: the clear data is gone from the store once it is.
  const sealedRecord =
    result === 'pass'
      ? sealRecord(
          {
            v: 1, cycle: record.cycle, idNumber: record.idNumber, name: record.name, phone: record.phone,
            category: record.category, certifiedAt: new Date(now).toISOString(), reference: { ...verdict.reference },
          },
          deps.recordsKey,
        )
      : undefined;
  const spent: LinkRecord = { ...record, idNumber: '', name: '', phone: '', status: result, doneAt: now };
  if (!(await deps.store.compareAndSet(slot.key, raw, { value: slot.codec.encode(spent), ttlMs: deps.layout.spentLinkTtlMs }))) {
    return { status: 'used' };
  }
  void recordFaceCheck(deps.stats, result === 'pass' ? { event: 'passed', category: record.category } : { event: 'failed', category: record.category, reason: verdict.reason ?? 'other' });
  let date = chinaDate(now);
  if (sealedRecord !== undefined) {
    const mark: CertMark = {
      maskedId: record.maskedId, category: record.category, date, certifiedAt: new Date(now).toISOString(), result: 'pass',
      by: tagOfToken(token), nameKey: record.nameKey, record: sealedRecord,
    };
    const markSlot = deps.layout.mark(record.cycle, record.personKey);
    if (!(await deps.store.setIfAbsent(markSlot.key, markSlot.codec.encode(mark), markSlot.ttlMs))) {
      const existing = await deps.store.get(markSlot.key);
      const earlier = existing === null ? null : markSlot.codec.decode(existing);
      if (earlier) date = earlier.date;
    }
  }
  if (result === 'pass') {
    await dropKeptEntries(deps, record.openid, token).catch((err: Error) => deps.logger.warn({ err: { message: err.message } }, 'kept entries stay until the next message'));
  }
  // Kept for the reminder when the next window opens; the message promises it only if it will come.
  const reminded =
    result === 'pass' &&
    (await recordPass(deps, { openid: record.openid, cycle: record.cycle, personKey: record.personKey, maskedName: record.maskedName }).catch((err: Error) => {
      deps.logger.warn({ err: { message: err.message } }, 'face check passed but its reminder for next year could not be kept');
      return false;
    }));
  // The provider's callback is answered once the message is queued, not sent: WeChat may be slow
  // or busy, and the page must not time out and tempt a second tap on a spent link.
  // The stub's 模拟未通过 spends only that link (nothing counts per day): a new one may be tried at
  // once. A provider's failure reaches WeChat only at the person's last try of the day.
  const key = result === 'pass' ? ('resultPass' as const) : verdict.reason === 'stubFail' ? ('resultFail' as const) : ('resultFailToday' as const);
  const message = { openid: record.openid, key, id: `result:${tokenHash(token)}`,
    // The ID number's last four tell apart two people of one helper whose masked names are alike.
    vars: { maskedName: record.maskedName, idTail: tailOf(record.maskedId), category: record.category, date: cnDate(date) },
    ...(reminded ? { also: ['reminderPromise' as const] } : {}) };
  await deps.outbox.enqueue(message).catch((err: Error) =>
    // The result is safe in the mark and the spent link; the follower still hears it when they write (the linked step).
    deps.logger.error({ err: { message: err.message } }, 'face check completed but its message could not be queued'),
  );
  deps.logger.info({ result, provider: verdict.reference.provider }, 'face check completed');
  return { status: 'done', result, date };
}
