import type { Today } from '../calendar';
import type { Content, MessageKey, Vars } from '../content';
import type { z } from 'zod';
import type { CertMark, followerStateSchema, LinkRecord } from '../store/layout';

/**
 * A follower's conversation state: plain JSON, saved in the store after every message, so that any
 * instance can take the next message and a restart loses nothing. Its schema lives with the other
 * stored values in store/layout.ts.
 */
export type FollowerState = z.infer<typeof followerStateSchema>;
export type Dialogue = NonNullable<FollowerState['dialogue']>;
export type Step = Dialogue['step'];
/** Entered data, in clear only while the dialogue is open (the state's TTL bounds it; sealed at rest). */
export type Draft = Dialogue['draft'];
export type Action = NonNullable<FollowerState['choices']>[number];

/** What the core was given, already stripped of the protocol. */
export type Input =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'voiceUnclear' }
  | { readonly kind: 'unsupported' }
  | { readonly kind: 'subscribe' }
  | { readonly kind: 'unsubscribe' }
  | { readonly kind: 'click'; readonly key: string }
  | { readonly kind: 'silent' };

/**
 * The knowledge base as the dialogue sees it: answers already formatted for a reply. `match` tells
 * what a text is — one answer or two (`text` holds both, short), a close call, a fragment (`vague`:
 * show the menu), a thank-you (`pleasantry`), a command said in a sentence (帮我认证一下), or none.
 */
export interface FaqPort {
  match(text: string): FaqMatch;
  /** An entry's answer; with `also`, both entries' short answers in one reply. */
  answer(id: string, also?: string): string | null;
  topics(): readonly Topic[];
}
export type FaqMatch =
  | { readonly kind: 'answer'; readonly id: string; readonly also?: string }
  | { readonly kind: 'suggest'; readonly options: readonly Topic[] }
  | { readonly kind: 'vague' }
  | { readonly kind: 'pleasantry' }
  | { readonly kind: 'command'; readonly command: 'start' | 'help' | 'greet' }
  | { readonly kind: 'none' };
export interface Topic { readonly id: string; readonly question: string }

/**
 * One line of a reply, as data: a message of templates/messages.yaml with the values of the moment,
 * or a knowledge-base answer by its id. Lines of a paragraph are joined by a line break,
 * paragraphs by an empty line. An Outcome therefore survives JSON.stringify.
 */
export type Line = { readonly key: MessageKey; readonly vars?: Vars } | { readonly faq: string; readonly also?: string };
export type Paragraph = readonly Line[];
export type Speech = { readonly say: readonly Paragraph[] } | { readonly silent: true };

/** What the core must have read from the store before it can decide; named, not keyed. */
export type Need =
  | { readonly type: 'mark'; readonly personKey: string }
  | { readonly type: 'lookups' }
  /** The follower's own link, by the hash of its token (see the `linked` step). */
  | { readonly type: 'link'; readonly hash: string }
  /** A person's failed face checks today (FACE_CHECK_MAX_ATTEMPTS): whether a new link can still help. */
  | { readonly type: 'faceFailures'; readonly personKey: string };

/** What became of a link, as the core sees it: no personal data, only where it stands. */
export type LinkState =
  | { readonly status: 'issued'; readonly expiresAt: number }
  | { readonly status: 'pass' | 'fail'; readonly doneAt?: number }
  | { readonly status: 'gone' };

/** Everything a transition may look at; nothing in here does I/O. */
export interface Ctx {
  /** The follower's hash tag (see store/layout.ts): who certified a person, without their openid. */
  readonly follower: string;
  readonly openid: string;
  readonly content: Pick<Content, 'is' | 'categories' | 'home' | 'answers' | 'topicGroups' | 'duration'>;
  readonly faq: FaqPort;
  readonly today: Today;
  readonly now: number;
  readonly dialogueIdleMs: number;
  readonly linkMs: number;
  readonly lookupsPerDay: number;
  /** FACE_CHECK_MAX_ATTEMPTS: past this many failures today, a new link would only show the offline ways. */
  readonly faceCheckMaxAttempts: number;
  readonly personKey: (idNumber: string) => string;
  readonly nameKey: (idNumber: string, name: string) => string;
  /** A fresh random link token for this message (the same for every retry of the save). */
  readonly token: string;
  /** The follower-facing address of a face-check link. */
  readonly linkUrl: (token: string) => string;
  /** What `prefetch` asked for: marks by person key, today's lookups so far, and the follower's link when asked. */
  readonly known: { readonly marks: ReadonlyMap<string, CertMark | null>; readonly lookups: number; readonly link?: LinkState; readonly faceFailures?: number };
  /** The follower had an open dialogue that timed out since their last message. */
  readonly expired: boolean;
}

/** What is known before the store is read: enough to say what must be read. */
export type PreCtx = Omit<Ctx, 'known'>;

/**
 * Writes that belong to the decision: saved in the same atomic compare-and-set as the state, so a
 * lost race leaves nothing behind.
 */
export type DecisionWrite =
  | { readonly type: 'link'; readonly token: string; readonly record: LinkRecord }
  | { readonly type: 'lookups'; readonly day: string; readonly count: number }
  /** A certification begun or taken further this cycle: whom the reminder before the end is for (src/reminders/). */
  | { readonly type: 'began'; readonly personKey?: string; readonly maskedName?: string }
  /** Whether reminders may reach this follower: 退订, 订阅提醒, unfollowing, following again. */
  | { readonly type: 'reminders'; readonly change: ReminderConsent };

export type ReminderConsent = 'off' | 'on' | 'unfollowed' | 'followed';

/** Effects that reach outside the store: run only after the save succeeded, from what was saved. */
export type Effect = { readonly type: 'linkIssued'; readonly category: string };

export interface Outcome {
  /** null: forget the follower (unsubscribe). */
  readonly state: FollowerState | null;
  readonly reply: Speech;
  readonly writes: readonly DecisionWrite[];
  readonly effects: readonly Effect[];
}

export { assertNever } from '../never';
