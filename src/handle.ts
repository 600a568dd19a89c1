import type { Config } from './config';
import { certAt, chinaDate } from './config';
import type { Content } from './content';
import { holdsEntries, prefetch, respond } from './dialogue/respond';
import { personKey } from './dialogue/person';
import type { Ctx, FaqPort, FollowerState, Input, Outcome } from './dialogue/types';
import { newToken, type FaceCheckProvider } from './face-check';
import type { Logger } from './log';
import type { KeyedWrite, Store } from './store';
import { createSealer, type Sealer } from './store/sealed';
import type { InboundMessage, Reply } from './wechat/types';

export interface HandleDeps {
  readonly config: Config;
  readonly store: Store;
  readonly content: Content;
  readonly faq: FaqPort;
  readonly faceCheck: FaceCheckProvider;
  readonly logger: Logger;
  readonly now: () => number;
}

/** Keys of one follower share a hash tag, so that one Lua script may touch them all in Redis Cluster. */
export const followerKeys = (openid: string) => ({
  state: `f:{${openid}}:state`,
  /** Present while a dialogue is open, and for a day after, so a timed-out follower is told why. */
  open: `f:{${openid}}:open`,
  delivery: (id: string) => `f:{${openid}}:d:${id}`,
});

/** WeChat delivers a push up to three times; this identifies one delivery's retries. */
export function deliveryId(m: InboundMessage): string {
  if (m.msgType === 'event') return `e:${m.createTime}:${m.event === 'other' ? m.rawEvent : m.event}:${'eventKey' in m ? (m.eventKey ?? '') : ''}`;
  return `m:${m.msgId ?? ''}:${m.createTime}`;
}

export function toInput(m: InboundMessage): Input {
  switch (m.msgType) {
    case 'text':
      return { kind: 'text', text: m.content };
    case 'voice':
      return m.recognition?.trim() ? { kind: 'text', text: m.recognition } : { kind: 'voiceUnclear' };
    case 'image':
    case 'video':
    case 'shortvideo':
    case 'location':
    case 'link':
    case 'other':
      return { kind: 'unsupported' };
    case 'event':
      switch (m.event) {
        case 'subscribe':
          return { kind: 'subscribe' };
        case 'unsubscribe':
          return { kind: 'unsubscribe' };
        case 'CLICK':
          return { kind: 'click', key: m.eventKey };
        case 'SCAN':
        case 'VIEW':
        case 'LOCATION':
        case 'other':
          return { kind: 'silent' };
      }
  }
}

const PENDING = '"pending"';
const SILENT: Reply = { kind: 'none' };
const sealers = new WeakMap<Config, Sealer>();
const sealerFor = (config: Config): Sealer => {
  let s = sealers.get(config);
  if (!s) sealers.set(config, (s = createSealer(config.idHashSecret, 'follower-state')));
  return s;
};
/** A stored follower state in clear (for operators' tools and tests); null when it is not ours. */
export const openState = (config: Config, raw: string): string | null => sealerFor(config).open(raw);
/** How long a delivery stays claimed while it is handled; far beyond WeChat's 5 s. */
const CLAIM_MS = 15_000;
const OPEN_MARK_MS = 24 * 3600_000;
const MAX_RACES = 8;

/** Thrown when a follower's state kept changing under us; answered with 系统繁忙. */
export class ContentionError extends Error {}

/**
 * From a typed push to the reply: deduplicate the delivery and load the follower's state in one
 * round trip, run the pure core, run its effects, then save state and cache the reply in one
 * atomic write. A concurrent message of the same follower makes the write fail; then the core runs
 * again on the newer state, so no update is lost and no step is taken twice.
 */
export async function handle(message: InboundMessage, deps: HandleDeps): Promise<Reply> {
  const { store, config } = deps;
  const keys = followerKeys(message.fromUserName);
  const deliveryKey = keys.delivery(deliveryId(message));
  const claim = await store.claimAndRead(deliveryKey, PENDING, CLAIM_MS, [keys.state, keys.open]);
  if (!claim.claimed) return (await awaitFirstReply(store, deliveryKey, claim.existing)) ?? { kind: 'text', content: deps.content.text('busy') };

  const input = toInput(message);
  try {
    if (input.kind !== 'silent') return await converse(message.fromUserName, input, claim.values, deliveryKey, deps);
    // Nothing to say and nothing to change: only remember that this delivery was answered.
    await store.set(deliveryKey, JSON.stringify(SILENT), config.replyCacheMs);
    return SILENT;
  } catch (err) {
    // Release the claim, so that WeChat's retry of this delivery is handled afresh.
    await store.delete(deliveryKey).catch(() => undefined);
    throw err;
  }
}

/** Runs the core until its result is saved on the state it was computed from. */
async function converse(openid: string, input: Input, loaded: (string | null)[], deliveryKey: string, deps: HandleDeps): Promise<Reply> {
  const { store, config } = deps;
  const keys = followerKeys(openid);
  const sealer = sealerFor(config);
  let attemptId: string | undefined;
  let [stateRaw, openRaw] = loaded;
  for (let race = 0; race < MAX_RACES; race++) {
    const state = parseState(stateRaw == null ? null : sealer.open(stateRaw), deps.logger);
    const fetched = new Map<string, string | null>();
    const ctx = ctxFor(openid, deps, fetched, stateRaw == null && openRaw != null);
    const wanted = prefetch(state, input, ctx);
    if (wanted.length) {
      const values = await store.getMany(wanted);
      wanted.forEach((k, i) => fetched.set(k, values[i] ?? null));
    }
    const out = respond(state, input, ctx);
    const reply = await realise(out, deps, () => (attemptId ??= newToken()));
    const writes: KeyedWrite[] = [
      { key: keys.open, write: holdsEntries(out.state) ? { value: '1', ttlMs: OPEN_MARK_MS } : null },
      { key: deliveryKey, write: { value: JSON.stringify(reply), ttlMs: config.replyCacheMs } },
    ];
    const next = out.state ? { value: sealer.seal(JSON.stringify(out.state)), ttlMs: config.cert.dialogueIdleMs } : null;
    if (await store.compareAndSet(keys.state, stateRaw ?? null, next, writes)) return reply;
    [stateRaw, openRaw] = await store.getMany([keys.state, keys.open]);
  }
  throw new ContentionError(`state of a follower changed ${MAX_RACES} times while answering`);
}

function ctxFor(openid: string, deps: HandleDeps, fetched: Map<string, string | null>, expired: boolean): Ctx {
  return {
    openid,
    content: deps.content,
    faq: deps.faq,
    cert: certAt(deps.config.cert, new Date(deps.now())),
    today: chinaDate(new Date(deps.now())),
    personKey: (id) => personKey(deps.config.idHashSecret, id),
    fetched,
    expired,
  };
}

/** Runs the effects the core asked for and renders the reply that needed their results. */
async function realise(out: Outcome, deps: HandleDeps, attemptId: () => string): Promise<Reply> {
  let link = '';
  for (const effect of out.effects) {
    switch (effect.type) {
      case 'startFaceCheck':
        link = (await deps.faceCheck.start(effect.attempt, attemptId())).url;
        break;
    }
  }
  if ('silent' in out.reply) return { kind: 'none' };
  if ('withLink' in out.reply) return { kind: 'text', content: out.reply.withLink(link) };
  return { kind: 'text', content: out.reply.text };
}

function parseState(raw: string | null, logger: Logger): FollowerState | null {
  if (raw === null) return null;
  try {
    const s = JSON.parse(raw) as FollowerState;
    if (s && s.v === 1) return s;
  } catch {
    // fall through: an unreadable state is dropped rather than crashing every message of this follower
  }
  logger.warn('dropped an unreadable follower state');
  return null;
}

/**
 * A retry of a delivery still being handled waits for the first answer rather than answering twice.
 * null: the first never answered in time (it failed, or is stuck); the retry then says 系统繁忙.
 */
async function awaitFirstReply(store: Store, key: string, existing: string): Promise<Reply | null> {
  let value: string | null = existing;
  for (let waited = 0; value === PENDING && waited < 4000; waited += 50) {
    await new Promise((r) => setTimeout(r, 50));
    value = await store.get(key);
  }
  if (value === null || value === PENDING) return null;
  return JSON.parse(value) as Reply;
}
