import { randomBytes } from 'node:crypto';
import { todayAt } from './calendar';
import type { Config } from './config';
import type { Content } from './content';
import { holdsEntries, prefetch, respond } from './dialogue/respond';
import type { Found } from './dialogue/read-line';
import { read } from './dialogue/step-def';
import { holdsLink, renderSpeech } from './dialogue/speech';
import { decisionWrite, load, nothingKnown } from './core-io';
import { assertNever, type Ctx, type Effect, type FaqPort, type FollowerState, type Input, type Outcome } from './dialogue/types';
import { deliveryId, toInput } from './push-input';
import type { Logger } from './log';
import type { Metrics } from './metrics';
import { reminderWrites } from './reminders/entries';
import { countsOf, type Stats } from './stats';
import type { KeyedWrite, Settle, Store } from './store';
import type { CachedReply, Layout } from './store/layout';
import type { InboundMessage, Reply } from './wechat/types';

export interface HandleDeps {
  readonly config: Config;
  readonly store: Store;
  readonly layout: Layout;
  readonly content: Content;
  readonly faq: FaqPort;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly stats: Stats;
  readonly now: () => number;
}

const PENDING: CachedReply = { kind: 'pending' };
const SILENT: Reply = { kind: 'none' };
/** How long a delivery stays claimed while it is handled; far beyond WeChat's 5 s. */
const CLAIM_MS = 15_000;
const MAX_RACES = 8;

/** Thrown when a follower's state kept changing under us; answered with 系统繁忙. */
export class ContentionError extends Error {}

/**
 * From a typed push to the reply: deduplicate the delivery and load the follower's state in one
 * round trip, run the pure core, then save its state, the writes its decision needs and the
 * reply in one atomic compare-and-set, and only then run its effects. A concurrent message of the
 * same follower makes the save fail; the core then runs again on the newer state, so no update is
 * lost, no step is taken twice and no write of a losing run is left behind.
 */
export async function handle(message: InboundMessage, deps: HandleDeps): Promise<Reply> {
  const { store, layout } = deps;
  const openid = message.fromUserName;
  const keys = layout.follower(openid);
  const deliveryKey = keys.delivery(deliveryId(message));
  const now = deps.now();
  // The reminders' entry of the cycle is read with the state: a step taken may add to it (reminders/entries.ts).
  const cycle = todayAt(deps.config.cert, now).cert.cycle;
  const readKeys = [keys.state.key, keys.open.key, keys.notice.key, keys.reminders(cycle).key];
  const f: Follower = { openid, keys, readKeys, deliveryKey, cycle, token: linkToken(keys.tag) };
  const input = toInput(message);
  const ahead = answerAhead(f, input, now, deps);
  const claim = await store.claimAndRead(deliveryKey, layout.codecs.reply.encode(PENDING), CLAIM_MS, readKeys, ahead?.settle);
  if (!claim.claimed) return (await awaitFirstReply(deps, deliveryKey, claim.existing)) ?? { kind: 'text', content: deps.content.text('busy') };
  if ('settled' in claim) {
    if (ahead?.out) count(null, ahead.out, input, deps);
    return ahead?.reply ?? SILENT;
  }

  try {
    if (input.kind !== 'silent') return await converse(f, input, claim.values, deps);
    // Nothing to say and nothing to change: only remember that this delivery was answered.
    await store.set(deliveryKey, layout.codecs.reply.encode({ kind: 'none' }), layout.replyCacheMs);
    return SILENT;
  } catch (err) {
    // Release the claim, so that WeChat's retry of this delivery is handled afresh.
    await store.delete(deliveryKey).catch(() => undefined);
    throw err;
  }
}

const holdsPerson = (f: Found) => f.id !== undefined || f.name !== undefined || f.phone !== undefined;

/** The read keys an answer worked out ahead must find absent: the state, the open mark and kept notices. */
const NOTHING_KEPT = 3;

/** An answer worked out before the claim, to be written as the claim itself (Store.claimAndRead `settle`). */
interface Ahead {
  readonly settle: Settle;
  readonly reply: Reply;
  /** The core's outcome, for the counters; null for a push that needs no answer at all. */
  readonly out: Outcome | null;
}

/**
 * Most pushes are questions from followers who keep nothing here, and an event that asks for
 * nothing needs no state at all. Their answer is worked out before the claim, from the text alone,
 * when it would change nothing (no state, no decision write, no effect, no link): the store writes
 * it as the claim in the same round trip, after checking that the follower keeps nothing after
 * all. Otherwise (null, or the store finds something kept) the push goes the usual way.
 */
function answerAhead(f: Follower, input: Input, now: number, deps: HandleDeps): Ahead | null {
  const { layout } = deps;
  if (input.kind === 'silent') return { settle: { value: layout.codecs.reply.encode({ kind: 'none' }), ttlMs: layout.replyCacheMs, whenAbsent: 0 }, reply: SILENT, out: null };
  const base = ctxFor(f.openid, f.keys.tag, f.token, now, deps, false);
  // A text holding an ID number, a name or a phone is an answer in a dialogue far more often than
  // a question: it goes the usual way, so that it never meets the FAQ's cache of texts read.
  if (input.kind === 'text' && holdsPerson(read(input.text, base))) return null;
  if (prefetch(null, input, base).length > 0) return null;
  const out = respond(null, input, Object.assign(base, { known: nothingKnown() }));
  if (out.writes.length > 0 || out.effects.length > 0 || storable(out.state) || holdsLink(out.reply)) return null;
  const said = renderSpeech(out.reply, deps.content, deps.faq);
  const cached: CachedReply = said === null ? { kind: 'none' } : { kind: 'text', content: said };
  return { settle: { value: layout.codecs.reply.encode(cached), ttlMs: layout.replyCacheMs, whenAbsent: NOTHING_KEPT }, reply: said === null ? SILENT : { kind: 'text', content: said }, out };
}

/**
 * One token for every run of a message, made only if a run asks for it: a lost race must not
 * hand out a second link, and most messages need none.
 */
function linkToken(tag: string): () => string {
  let token: string | undefined;
  return () => (token ??= `${tag}${randomBytes(24).toString('base64url')}`);
}

/** Whose message this is, and where their things are kept. */
interface Follower {
  readonly openid: string;
  readonly keys: ReturnType<Layout['follower']>;
  /** What a run of the core reads: state, open mark, kept notices, the reminders' entry of `cycle`. */
  readonly readKeys: readonly string[];
  readonly deliveryKey: string;
  readonly cycle: number;
  /** The link token of this message (see linkToken). */
  readonly token: () => string;
}

/** Runs the core until its result is saved on the state it was computed from. */
async function converse(f: Follower, input: Input, loaded: (string | null)[], deps: HandleDeps): Promise<Reply> {
  const { store, layout } = deps;
  const { openid, keys, readKeys, deliveryKey, cycle } = f;
  let [stateRaw, openRaw, noticeRaw, entryRaw] = loaded;
  for (let race = 0; race < MAX_RACES; race++) {
    const state = readState(stateRaw ?? null, deps);
    const now = deps.now();
    const base = ctxFor(openid, keys.tag, f.token, now, deps, stateRaw == null && openRaw != null);
    // Assigned, not spread: spreading would read the token and so make one for every message.
    const ctx: Ctx = Object.assign(base, { known: await load(prefetch(state, input, base), base.today, keys, deps) });
    const out = respond(state, input, ctx);
    const said = renderSpeech(out.reply, deps.content, deps.faq);
    // Messages WeChat would not deliver (outbox/deliver.ts) start the next reply, whatever it answers;
    // a silent answer leaves them for the next one that speaks.
    const notices = said === null || noticeRaw == null ? [] : (keys.notice.codec.decode(noticeRaw) ?? []);
    const content = said === null ? null : [...notices, said].join('\n\n');
    const reply: Reply = content === null ? SILENT : { kind: 'text', content };
    const cached = content === null ? layout.codecs.reply.encode({ kind: 'none' }) : (holdsLink(out.reply) ? layout.codecs.sealedReply : layout.codecs.reply).encode({ kind: 'text', content });
    const deliveryWrite: KeyedWrite = { key: deliveryKey, write: { value: cached, ttlMs: layout.replyCacheMs } };

    // Consumed in the same compare-and-set, and only if still as read: a notice kept meanwhile is not lost.
    const noticeWrite: KeyedWrite[] = said !== null && noticeRaw != null ? [{ key: keys.notice.key, write: null, expect: noticeRaw }] : [];
    if (!ctx.expired && out.writes.length === 0 && noticeWrite.length === 0 && sameState(state, out.state)) {
      // Nothing changed (a question answered, a wrong answer re-asked): only the reply needs keeping.
      await store.set(deliveryKey, cached, layout.replyCacheMs);
      count(state, out, input, deps);
      return reply;
    }
    const writes: KeyedWrite[] = [
      { key: keys.open.key, write: holdsEntries(out.state) ? { value: keys.open.codec.encode(1), ttlMs: keys.open.ttlMs } : null },
      deliveryWrite,
      ...noticeWrite,
      ...out.writes.flatMap((w) => (w.type === 'began' || w.type === 'reminders' ? [] : [decisionWrite(w, keys, deps)])),
      ...reminderWrites(out.writes, { layout, openid, cycle, now, entryRaw: entryRaw ?? null }),
    ];
    const next = storable(out.state) ? { value: keys.state.codec.encode(out.state!), ttlMs: keys.state.ttlMs } : null;
    if (await store.compareAndSet(keys.state.key, stateRaw ?? null, next, writes)) {
      runEffects(out.effects, deps);
      count(state, out, input, deps);
      return reply;
    }
    [stateRaw, openRaw, noticeRaw, entryRaw] = await store.getMany(readKeys);
  }
  throw new ContentionError(`state of a follower changed ${MAX_RACES} times while answering`);
}

/** A state with nothing in it is not kept: a follower who only asks questions leaves no state behind. */
const storable = (s: FollowerState | null): boolean => s !== null && (s.dialogue !== undefined || s.acknowledged === true || (s.choices?.length ?? 0) > 0);
const sameState = (a: FollowerState | null, b: FollowerState | null) =>
  storable(a) === storable(b) && (!storable(a) || JSON.stringify(a) === JSON.stringify(b));

function readState(raw: string | null, deps: HandleDeps): FollowerState | null {
  if (raw === null) return null;
  const s = deps.layout.codecs.state.decode(raw);
  // An unreadable state is dropped rather than failing every message of this follower.
  if (s === null) deps.logger.warn('dropped an unreadable follower state');
  return s;
}

function ctxFor(openid: string, tag: string, token: () => string, now: number, deps: HandleDeps, expired: boolean): Omit<Ctx, 'known'> {
  const { config, layout } = deps;
  return {
    get token() {
      return token();
    },
    openid,
    follower: tag,
    content: deps.content,
    faq: deps.faq,
    today: todayAt(config.cert, now),
    now,
    dialogueIdleMs: config.cert.dialogueIdleMs,
    linkMs: config.cert.faceCheckTokenMs,
    lookupsPerDay: config.idLookupsPerDay,
    faceCheckMaxAttempts: config.faceCheckMaxAttempts,
    personKey: layout.personKey,
    nameKey: layout.nameKey,
    linkUrl: (t) => `${config.publicBaseUrl}/face-check/${t}`,
    expired,
  };
}

/** Effects run after the save, from what was saved; a failing one never undoes the answer. */
function runEffects(effects: readonly Effect[], deps: HandleDeps): void {
  for (const e of effects) {
    switch (e.type) {
      case 'linkIssued':
        deps.metrics.links.inc({ category: e.category });
        break;
      default:
        assertNever(e.type);
    }
  }
}

/** The office's counters, from what was saved: no I/O here, and never in the way of the answer. */
function count(prev: FollowerState | null, out: Outcome, input: Input, deps: HandleDeps): void {
  try {
    deps.stats.add(countsOf(prev, out, input));
  } catch (err) {
    deps.logger.warn({ err: (err as Error).message }, 'a count was lost');
  }
}

/**
 * A retry of a delivery still being handled waits for the first answer rather than answering twice.
 * null: the first never answered in time (it failed, or is stuck); the retry then says 系统繁忙.
 */
async function awaitFirstReply(deps: HandleDeps, key: string, existing: string): Promise<Reply | null> {
  const { codecs } = deps.layout;
  const decode = (raw: string | null): CachedReply | null => (raw === null ? null : (codecs.reply.decode(raw) ?? codecs.sealedReply.decode(raw)));
  let value = decode(existing);
  for (let waited = 0; value?.kind === 'pending' && waited < 4000; waited += 50) {
    await new Promise((r) => setTimeout(r, 50));
    value = decode(await deps.store.get(key));
  }
  if (value === null || value.kind === 'pending') return null;
  return value;
}
