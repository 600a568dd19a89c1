import { createHash, createHmac, createSecretKey } from 'node:crypto';
import { z } from 'zod';
import { chinaMidnight, DAY_MS, todayAt, windowOf } from '../calendar';
import type { Config } from '../config';
import { personKey } from '../dialogue/person';
import { REASON_GROUPS } from '../face-check/provider';
import { json, sealed, type Codec } from './codec';
import { createSealer } from './sealed';

/**
 * Every key the service keeps, its lifetime and the schema of its value, in one place.
 *
 * A follower's keys share a Redis Cluster hash tag, so one Lua script may touch them all. The tag
 * is a keyed hash of the openid rather than the openid itself: key names in Redis (and in its
 * backups) then name nobody, and a face-check link can carry the tag without carrying the openid.
 */

const NOTICE_DAYS = 30;

/** A follower's conversation state: plain JSON, sealed at rest (an open dialogue holds ID, name, phone). */
export const followerStateSchema = z.object({
  v: z.literal(1),
  dialogue: z
    .object({
      step: z.enum(['notice', 'category', 'id', 'name', 'phone', 'confirm', 'linked', 'certified']),
      draft: z.object({ category: z.number().int().optional(), id: z.string().optional(), name: z.string().optional(), phone: z.string().optional() }),
      /** `link`: the hash of the follower's last link (never the token), to tell them what became of it (and let 1 try again after a failure). */
      masked: z.object({ name: z.string().optional(), id: z.string().optional(), date: z.string().optional(), link: z.string().optional() }).optional(),
      /** At an item's question because the confirmation sent the follower back to change it (counted once, not again). */
      fixing: z.literal(true).optional(),
    })
    .optional(),
  acknowledged: z.boolean().optional(),
  choices: z
    .array(
      z.union([
        z.object({ type: z.literal('start') }),
        z.object({ type: z.literal('topics') }),
        z.object({ type: z.literal('phones') }),
        z.object({ type: z.literal('faq'), id: z.string() }),
        /** A group of the 常见问题 list (templates/topics.yaml), by its place. */
        z.object({ type: z.literal('group'), index: z.number().int().nonnegative() }),
      ]),
    )
    .optional(),
});

/** The answer given to one delivery, kept so WeChat's retries get the same answer. */
export const cachedReplySchema = z.union([
  z.object({ kind: z.literal('pending') }),
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('text'), content: z.string() }),
]);
export type CachedReply = z.infer<typeof cachedReplySchema>;

/**
 * A face-check link: whom it is for, what the provider needs (ID number and name, in clear inside
 * the sealed value only), and where it stands. Keyed by a hash of the token, so neither the key
 * nor a backup lets anyone open the link.
 */
export const linkRecordSchema = z.object({
  openid: z.string(),
  cycle: z.number().int(),
  category: z.string(),
  personKey: z.string(),
  nameKey: z.string(),
  maskedId: z.string(),
  maskedName: z.string(),
  idNumber: z.string(),
  name: z.string(),
  phone: z.string(),
  issuedAt: z.number(),
  /** Until then the link may be opened and a provider session started (extended once a session starts). */
  expiresAt: z.number(),
  status: z.enum(['issued', 'pass', 'fail']),
  /** When the verdict came (epoch ms), once it has. */
  doneAt: z.number().optional(),
  /**
   * The provider session this link last started (a real provider only): its id (Tencent's
   * BizToken), which alone a return may name; until when the provider keeps it; and, once its
   * failure was counted, why it failed. Optional, so links issued before it still read.
   */
  session: z
    .object({
      provider: z.string(),
      id: z.string(),
      startedAt: z.number(),
      until: z.number(),
      failed: z.object({ code: z.string(), group: z.enum(REASON_GROUPS) }).optional(),
    })
    .optional(),
  /** How many provider sessions this link has started. */
  sessions: z.number().int().nonnegative().optional(),
});
export type LinkRecord = z.infer<typeof linkRecordSchema>;

/**
 * The once-per-cycle mark of a person: nothing that names them. `by` is the tag of the follower
 * who certified them (that phone hears "done" at once); `nameKey` lets anyone else hear it only
 * after typing the matching name, so the mark is no oracle of ID numbers alone.
 */
export const certMarkSchema = z.object({
  maskedId: z.string(),
  category: z.string(),
  date: z.string(),
  certifiedAt: z.string(),
  result: z.literal('pass'),
  by: z.string().optional(),
  nameKey: z.string().optional(),
  /**
   * The office's record of this certification (ID number, name, phone, category, time, the
   * verification's reference), sealed to RECORDS_PUBLIC_KEY: this server cannot read it back. Kept
   * in the mark itself, so a person marked certified always has a record (one write, one winner).
   */
  record: z.string().optional(),
});
export type CertMark = z.infer<typeof certMarkSchema>;

/** Customer-service messages WeChat would not take (window closed, unfollowed…): they start the next reply. */
export const noticesSchema = z.array(z.string()).max(50);

/** How many people a follower has looked up today (see ID_LOOKUPS_PER_DAY). */
export const lookupsSchema = z.number().int().nonnegative();

/**
 * What the reminders keep of one follower for one cycle (src/reminders/): whom to write to, and
 * for each person begun or certified from this phone the keyed hash and the masked name — never
 * an ID number, name or phone. `personKey` is absent for a certification left before any ID
 * number was typed. Sealed at rest: it names a follower.
 */
export const reminderEntrySchema = z.object({
  openid: z.string(),
  people: z
    .array(z.object({ personKey: z.string().optional(), maskedName: z.string().optional(), status: z.enum(['began', 'pass']), at: z.number() }))
    .max(50),
});
export type ReminderEntry = z.infer<typeof reminderEntrySchema>;
/** A follower's 退订, an unfollow, a reminder sent, a reminder day used: only when. */
export const reminderFlagSchema = z.object({ at: z.number() });

/** The account's access token, shared by every instance (see wechat-api/token.ts). Times are epoch ms. */
export const storedTokenSchema = z.object({ token: z.string(), expiresAt: z.number(), refreshAt: z.number() });
export type StoredToken = z.infer<typeof storedTokenSchema>;
export const tokenCodec = json(storedTokenSchema);
export const TOKEN_KEY_PREFIX = 'wechat:access_token:';
export const accessTokenKey = (appId: string) => TOKEN_KEY_PREFIX + appId;

/** The pattern of a cycle's marks (without the store's key prefix), for the export's SCAN. */
export const markPattern = (cycle: number) => `rec:${cycle}:*`;

/** The hash tag a link token carries (its first 20 characters): its follower's keys live under it. */
export const tagOfToken = (token: string) => token.slice(0, 20);

/** The hash a link is stored under: what the state and the outbox keep instead of the token. */
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');
/** A staff member's console session (src/admin): who, the token their forms must carry, and when it ends. */
export const adminSessionSchema = z.object({ user: z.string(), csrf: z.string(), expiresAt: z.number() });
export type AdminSession = z.infer<typeof adminSessionSchema>;

/** How long the office's daily counters are kept: the cycle and its follow-up into the next year. */
export const STATS_TTL_MS = 400 * DAY_MS;

export interface Slot<T> {
  readonly key: string;
  readonly ttlMs: number;
  readonly codec: Codec<T>;
}

const RECENT_FOLLOWERS = 8192;
/** A delivery id made of WeChat's MsgId, CreateTime and MsgType only (see push-input.ts deliveryId). */
const PLAIN_DELIVERY_ID = /^m:\d{1,24}:\d{1,12}:[a-z]{1,16}$/;

/** The keys, lifetimes and codecs for one configuration. */
export function layout(config: Pick<Config, 'idHashSecret' | 'replyCacheMs' | 'cert' | 'records'>) {
  const stateSealer = createSealer(config.idHashSecret, 'follower-state');
  const linkSealer = createSealer(config.idHashSecret, 'face-check-link');
  const replySealer = createSealer(config.idHashSecret, 'cached-reply');
  const outboxSealer = createSealer(config.idHashSecret, 'outbox');
  const remindersSealer = createSealer(config.idHashSecret, 'reminders');
  // The key object is made once: HMAC with a string secret re-imports the key on every call.
  const secret = createSecretKey(Buffer.from(config.idHashSecret, 'utf8'));
  const hmac = (purpose: string, value: string) => createHmac('sha256', secret).update(`${purpose}:${value}`).digest('hex');
  const codecs = {
    state: sealed(json(followerStateSchema), stateSealer),
    reply: json(cachedReplySchema),
    sealedReply: sealed(json(cachedReplySchema), replySealer),
    link: sealed(json(linkRecordSchema), linkSealer),
    mark: json(certMarkSchema),
    lookups: json(lookupsSchema),
    notices: json(noticesSchema),
    reminders: sealed(json(reminderEntrySchema), remindersSealer),
  };
  const slot = <T>(key: string, ttlMs: number, codec: Codec<T>): Slot<T> => ({ key, ttlMs, codec });
  const flag = json(reminderFlagSchema);
  /** From `now` to the end of the China day `days` after `date`; never less than a day. */
  const until = (date: string, days: number, now: number) => Math.max(DAY_MS, chinaMidnight(date) + (days + 1) * DAY_MS - now);
  /** 退订 and an unfollow hold until the reminders of the next window to open are over. */
  const flagTtl = (now: number) => {
    const today = todayAt(config.cert, now);
    return until(windowOf(config.cert, today.phase === 'before' ? today.cert.cycle : today.cert.cycle + 1).windowEnd, 2, now);
  };
  // A follower's tag is an HMAC (a few µs): it is kept for the recently seen, who write again
  // and again within a dialogue. About 150 bytes each, so at most a megabyte or two.
  const recentTags = new Map<string, string>();
  const tagOf = (openid: string) => {
    let tag = recentTags.get(openid);
    if (tag === undefined) {
      tag = hmac('follower', openid).slice(0, 20);
      if (recentTags.size >= RECENT_FOLLOWERS) recentTags.delete(recentTags.keys().next().value!);
      recentTags.set(openid, tag);
    }
    return tag;
  };
  const openCodec = json(z.literal(1));
  const followerKeys = (openid: string) => {
    const t = tagOf(openid);
    return {
      tag: t,
      state: slot(`f:{${t}}:state`, config.cert.dialogueIdleMs, codecs.state),
      /** Present while a dialogue holds entries, and a day after, so a timed-out follower is told why. */
      open: slot(`f:{${t}}:open`, DAY_MS, openCodec),
      /**
       * One delivery's answer; a reply holding a link is sealed. WeChat's own id (MsgId, its time
       * and type: digits and a word) names the key as it is; any other id may hold the text sent,
       * so it is keyed-hashed.
       */
      delivery: (id: string) => `f:{${t}}:d:${PLAIN_DELIVERY_ID.test(id) ? id : hmac('delivery', id).slice(0, 32)}`,
      lookups: (day: string) => slot(`f:{${t}}:lk:${day}`, 2 * DAY_MS, codecs.lookups),
      /** Messages kept for the next reply (see outbox/deliver.ts); a follower silent for a month is not told a stale result. */
      notice: slot(`f:{${t}}:notice`, NOTICE_DAYS * DAY_MS, codecs.notices),
      /**
       * Whom to remind for `cycle`: until its window's end while nobody passed, else until a month
       * after the next window opens (its first-day reminder deletes it sooner).
       */
      reminders: (cycle: number) => ({
        key: `f:{${t}}:rm:${cycle}`,
        codec: codecs.reminders,
        ttlMs: (e: ReminderEntry, now: number) =>
          e.people.some((p) => p.status === 'pass')
            ? until(windowOf(config.cert, cycle + 1).windowStart, 30, now)
            : until(windowOf(config.cert, cycle).windowEnd, 2, now),
      }),
      /** The follower sent 退订 (订阅提醒 deletes it). */
      remindersOff: { key: `f:{${t}}:rm:off`, codec: flag, ttlMs: flagTtl },
      /** The follower unfollowed (the event, or 43004); following again deletes it. */
      unfollowed: { key: `f:{${t}}:rm:gone`, codec: flag, ttlMs: flagTtl },
      /** One reminder (e.g. `2026:end-7`) claimed for this follower: each is sent once, until its cycle's window is over. */
      reminded: (cycle: number, id: string, now: number) => slot(`f:{${t}}:rm:sent:${id}`, until(windowOf(config.cert, cycle).windowEnd, 2, now), flag),
      /** A China day on which this follower was reminded: at most one reminder a day. */
      remindedOn: (date: string) => slot(`f:{${t}}:rm:day:${date}`, 2 * DAY_MS, flag),
    };
  };
  return {
    codecs,
    /** The hash tag of a follower's keys. */
    tagOf,
    follower: followerKeys,
    /** A link's key under its follower's tag: the token carries the tag, never the openid. */
    link: (tag: string, token: string) => slot(`f:{${tag}}:fc:${tokenHash(token)}`, config.cert.faceCheckTokenMs + DAY_MS, codecs.link),
    /** The same key from the token's hash (what a follower's state keeps). */
    linkByHash: (tag: string, hash: string) => slot(`f:{${tag}}:fc:${hash}`, config.cert.faceCheckTokenMs + DAY_MS, codecs.link),
    /** A used or expired link is remembered a day longer, so the page can say which it was. */
    spentLinkTtlMs: DAY_MS,
    /**
     * A person's failed face checks on one China day, whichever phone tried (see
     * FACE_CHECK_MAX_ATTEMPTS). Keyed by the person's keyed hash: the key names nobody.
     */
    faceFailures: (day: string, personKey: string) => slot(`fcfail:${day}:${personKey}`, 2 * DAY_MS, codecs.lookups),
    /**
     * A person's mark for a cycle, with the office's sealed record inside: kept RECORDS_RETENTION_DAYS
     * (the cycle and the office's follow-up). `records:export` reads every `rec:<cycle>:*` key.
     */
    mark: (cycle: number, personKey: string) => slot(`rec:${cycle}:${personKey}`, config.records.retentionMs, codecs.mark),
    /** The pattern of every follower's reminder entry of a cycle, for the daily job's SCAN. */
    reminderPattern: (cycle: number) => `f:{*}:rm:${cycle}`,
    /** The follower's hash tag in one of their keys. */
    tagInKey: (key: string): string | null => /^f:\{([^}]+)\}:/.exec(key)?.[1] ?? null,
    /** The pattern of a cycle's marks, for the export's SCAN (without the key prefix). */
    markPattern,
    /** The record key of a person: a keyed hash, so records never hold or reveal an ID number. */
    personKey: (idNumber: string) => personKey(config.idHashSecret, idNumber),
    /** Whether a typed name matches the one a person was certified under, without keeping the name. */
    nameKey: (idNumber: string, name: string) => hmac('name', `${idNumber}|${name}`).slice(0, 32),
    /**
     * The office's counters of one China day of a cycle (src/stats): a hash of fixed field names and
     * numbers, nothing that names anyone. Hash keys are read with readHash only.
     */
    stats: (cycle: number, date: string) => ({ key: `stats:${cycle}:${date}`, ttlMs: STATS_TTL_MS }),
    /** Set the first time a link's page opens, so that reloading the page counts no second opening. */
    linkOpened: (tag: string, token: string) => ({ key: `f:{${tag}}:fo:${tokenHash(token)}`, ttlMs: config.cert.faceCheckTokenMs + DAY_MS }),
    /** A staff session, under a hash of its id: the cookie's value itself is never stored. */
    adminSession: (id: string, ttlMs: number) => slot(`admin:s:${tokenHash(id)}`, ttlMs, json(adminSessionSchema)),
    /**
     * Failed logins in a row (a counter hash) and the lock they lead to (its end, epoch ms), for one
     * typed name or one address. Keyed hashes: the store names neither, even when a password was typed as the name.
     */
    adminFailures: (kind: 'name' | 'addr', who: string) => `admin:f:${kind}:${hmac(`admin-${kind}`, who).slice(0, 32)}`,
    adminLock: (kind: 'name' | 'addr', who: string, ttlMs: number) => slot(`admin:l:${kind}:${hmac(`admin-${kind}`, who).slice(0, 32)}`, ttlMs, json(z.number())),
    replyCacheMs: config.replyCacheMs,
    /** Seals outbox jobs: they name a follower (openid) and a masked person. */
    outboxSealer,
    /** A sealed value in clear, whichever kind it is (for operators' tools and tests); null when it is not ours. */
    unseal: (raw: string): string | null =>
      stateSealer.open(raw) ?? linkSealer.open(raw) ?? replySealer.open(raw) ?? outboxSealer.open(raw) ?? remindersSealer.open(raw),
  };
}
export type Layout = ReturnType<typeof layout>;
