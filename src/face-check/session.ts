import { createHash, timingSafeEqual } from 'node:crypto';
import { chinaDate } from '../calendar';
import { assertNever } from '../dialogue/types';
import type { LinkRecord } from '../store/layout';
import { completeFaceCheck, lookupToken, tagOfToken, usableUntil, type FaceCheckDeps } from '.';
import { FaceProviderError, type FaceCheckProvider, type ReasonGroup } from './provider';

/**
 * A link checked by a real provider. The browser only ever carries our token and the provider's
 * session id back; what counts is what the provider tells the server about the session this link
 * started — never a query parameter, never a session the link did not start. A failure leaves the
 * link open for a fresh session; a pass spends it; a person's FACE_CHECK_MAX_ATTEMPTS-th failure of
 * the day spends it too, and the page shows the offline ways instead of another try.
 */

export interface SessionDeps extends FaceCheckDeps {
  readonly provider: FaceCheckProvider;
  /** FACE_CHECK_MAX_ATTEMPTS */
  readonly maxAttempts: number;
  /** PUBLIC_BASE_URL: the provider sends the browser back under it. */
  readonly publicBaseUrl: string;
}

/**
 * A person who leaves the provider's page unfinished and taps again starts a new session; past
 * this many on one link the page shows the offline ways (each session is a request to a paid API).
 */
export const MAX_SESSIONS_PER_LINK = 10;
const DAY_MS = 24 * 3600_000;

type Gone = { readonly status: 'unknown' | 'used' | 'expired' };
type Open = { readonly record: LinkRecord };

export type PageState = Gone | (Open & { readonly status: 'start' | 'offline' }) | (Open & { readonly status: 'failed'; readonly group: ReasonGroup; readonly left: number });
/** `unavailable`, `unchecked`: the provider could not be asked; `code` says why, for the log. */
type Unreached = Open & { readonly code: string };
export type Started =
  | Gone
  | (Open & { readonly status: 'offline' })
  | (Unreached & { readonly status: 'unavailable' })
  | { readonly status: 'redirect'; readonly url: string; readonly category: string }
  | { readonly status: 'raced' };
export type Returned =
  | Gone
  | (Open & { readonly status: 'passed' })
  | (Open & { readonly status: 'pending' | 'forged' })
  | (Unreached & { readonly status: 'unchecked' })
  | (Open & { readonly status: 'failed'; readonly group: ReasonGroup; readonly left: number })
  | (Open & { readonly status: 'offline'; readonly group?: ReasonGroup });

/** The path the provider returns the browser to; the token is in OUR path, the provider adds its BizToken. */
export const returnPath = (token: string) => `/face-check/${token}/return`;

/** What the link's page shows now: the button, the last failure's tip with a new try, or the offline ways. */
export async function pageState(deps: SessionDeps, token: string): Promise<PageState> {
  const found = await lookupToken(deps, token);
  if (found.status !== 'open') return found;
  const { record } = found;
  // Past the opening deadline no new session may start: the page would offer a button that cannot
  // work. A session still running may yet come back on the return route.
  if (deps.now() >= record.expiresAt) return { status: 'expired' };
  const failures = await failuresToday(deps, record);
  if (failures >= deps.maxAttempts || (record.sessions ?? 0) >= MAX_SESSIONS_PER_LINK) return { status: 'offline', record };
  const failed = record.session?.failed;
  return failed ? { status: 'failed', record, group: failed.group, left: deps.maxAttempts - failures } : { status: 'start', record };
}

/**
 * The tap on our page: a fresh provider session for the person, stored with the link (it is the
 * only one a return may name), then the provider's page. The link's opening deadline grows once,
 * at the first session, to the session's life: a person who began in time may retry and finish.
 */
export async function startSession(deps: SessionDeps, token: string): Promise<Started> {
  const found = await lookupToken(deps, token);
  if (found.status !== 'open') return found;
  const { record, raw } = found;
  const now = deps.now();
  if (now >= record.expiresAt) return { status: 'expired' };
  if ((await failuresToday(deps, record)) >= deps.maxAttempts || (record.sessions ?? 0) >= MAX_SESSIONS_PER_LINK) return { status: 'offline', record };
  let begun;
  try {
    begun = await deps.provider.begin(record, { returnUrl: deps.publicBaseUrl + returnPath(token) });
  } catch (err) {
    if (err instanceof FaceProviderError) return { status: 'unavailable', record, code: err.code };
    throw err;
  }
  const next: LinkRecord = {
    ...record,
    expiresAt: record.sessions ? record.expiresAt : Math.max(record.expiresAt, now + begun.lifeMs),
    session: { provider: deps.provider.name, id: begun.id, startedAt: now, until: now + begun.lifeMs },
    sessions: (record.sessions ?? 0) + 1,
  };
  if (!(await writeLink(deps, token, raw, next))) return { status: 'raced' };
  deps.logger.info({ provider: deps.provider.name, session: next.sessions }, 'face check session started');
  return { status: 'redirect', url: begun.url, category: record.category };
}

/**
 * The browser is back from the provider with `given` (its BizToken). Only the session this link
 * started is asked about, and only when `given` names it; the provider's answer decides.
 */
export async function settleReturn(deps: SessionDeps, token: string, given: string | null, retried = false): Promise<Returned> {
  const found = await lookupToken(deps, token);
  if (found.status === 'used') return spentAnswer(deps, token, given);
  if (found.status !== 'open') return found;
  const { record, raw } = found;
  const session = record.session;
  if (!session || given === null || !sameSecret(given, session.id)) return { status: 'forged', record };
  if (session.failed) return afterFailure(deps, record, session.failed.group);

  let verdict;
  try {
    verdict = await deps.provider.verdict(session.id, record);
  } catch (err) {
    if (err instanceof FaceProviderError) return { status: 'unchecked', record, code: err.code };
    throw err;
  }
  switch (verdict.status) {
    case 'pending':
      return { status: 'pending', record };
    case 'passed': {
      const done = await completeFaceCheck(deps, token, { result: 'pass', reference: { provider: session.provider, id: session.id } });
      deps.logger.info({ provider: session.provider, outcome: done.status === 'done' ? 'passed' : done.status }, 'face check returned');
      return done.status === 'done' ? { status: 'passed', record } : done.status === 'used' ? spentAnswer(deps, token, given) : done;
    }
    case 'failed': {
      const failed = { code: verdict.code, group: verdict.group };
      // Recorded on the link first, so that a reload of this page never counts the failure twice.
      // Lost to a second tab's return of the same session: that one counted it; read what it wrote.
      if (!(await writeLink(deps, token, raw, { ...record, session: { ...session, failed } }))) {
        return retried ? afterFailure(deps, record, failed.group) : settleReturn(deps, token, given, true);
      }
      const count = await countFailure(deps, record);
      deps.logger.info({ provider: session.provider, outcome: 'failed', code: verdict.code, group: verdict.group, failuresToday: count }, 'face check returned');
      if (count >= deps.maxAttempts) {
        await completeFaceCheck(deps, token, { result: 'fail', reference: { provider: session.provider, id: session.id }, reason: verdict.group });
        return { status: 'offline', record, group: verdict.group };
      }
      return { status: 'failed', record, group: verdict.group, left: deps.maxAttempts - count };
    }
    default:
      return assertNever(verdict);
  }
}

/** A failure already counted: its tip again, or the offline ways once the day's tries are used up. */
async function afterFailure(deps: SessionDeps, record: LinkRecord, group: ReasonGroup): Promise<Returned> {
  // At least this failure: a second tab may read the count before the first tab's increment lands.
  const failures = Math.max(1, await failuresToday(deps, record));
  return failures >= deps.maxAttempts ? { status: 'offline', record, group } : { status: 'failed', record, group, left: deps.maxAttempts - failures };
}

/** A reload of the return page after the link was spent by this very session says what happened. */
async function spentAnswer(deps: SessionDeps, token: string, given: string | null): Promise<Returned> {
  const slot = deps.layout.link(tagOfToken(token), token);
  const raw = await deps.store.get(slot.key);
  const record = raw === null ? null : slot.codec.decode(raw);
  if (!record?.session || given === null || !sameSecret(given, record.session.id)) return { status: 'used' };
  if (record.status === 'pass') return { status: 'passed', record };
  return { status: 'offline', record, ...(record.session.failed ? { group: record.session.failed.group } : {}) };
}

async function writeLink(deps: SessionDeps, token: string, raw: string, next: LinkRecord): Promise<boolean> {
  const slot = deps.layout.link(tagOfToken(token), token);
  // Kept a day past its last use, as a link issued by the dialogue is, so the page can say what became of it.
  const ttlMs = Math.max(1, usableUntil(next) - deps.now()) + DAY_MS;
  return deps.store.compareAndSet(slot.key, raw, { value: slot.codec.encode(next), ttlMs });
}

async function failuresToday(deps: SessionDeps, record: LinkRecord): Promise<number> {
  const slot = deps.layout.faceFailures(chinaDate(deps.now()), record.personKey);
  const raw = await deps.store.get(slot.key);
  return raw === null ? 0 : (slot.codec.decode(raw) ?? 0);
}

/** One more failure for the person today; compare-and-set, so two phones failing at once count two. */
async function countFailure(deps: SessionDeps, record: LinkRecord): Promise<number> {
  const slot = deps.layout.faceFailures(chinaDate(deps.now()), record.personKey);
  for (let i = 0; ; i++) {
    const raw = await deps.store.get(slot.key);
    const next = (raw === null ? 0 : (slot.codec.decode(raw) ?? 0)) + 1;
    if ((await deps.store.compareAndSet(slot.key, raw, { value: slot.codec.encode(next), ttlMs: slot.ttlMs })) || i >= 4) return next;
  }
}

/** Session ids are compared by their hashes in constant time: equal lengths, no early exit. */
function sameSecret(a: string, b: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(a), h(b));
}
