import type { Config } from '../config';
import type { Content } from '../content';

/**
 * A follower's conversation state: plain JSON, saved in the store after every message, so that any
 * instance can take the next message and a restart loses nothing.
 */
export interface FollowerState {
  readonly v: 1;
  readonly dialogue?: Dialogue;
  /** The notice was acknowledged in this conversation: a second person skips it. */
  readonly acknowledged?: boolean;
  /** The numbered list last shown outside the dialogue, so that a bare number means something. */
  readonly choices?: readonly Action[];
}

export type Step = 'notice' | 'category' | 'id' | 'name' | 'phone' | 'confirm' | 'linked' | 'certified';

/** Entered data, in clear only while the dialogue is open (the state's TTL bounds it). */
export interface Draft {
  readonly category?: number;
  readonly id?: string;
  readonly name?: string;
  readonly phone?: string;
}

export interface Dialogue {
  readonly step: Step;
  readonly draft: Draft;
  /** After the link is issued (or the person was found certified): masked values only. */
  readonly masked?: { readonly name?: string; readonly id?: string; readonly date?: string };
}

export type Action = { readonly type: 'start' } | { readonly type: 'topics' } | { readonly type: 'phones' } | { readonly type: 'faq'; readonly id: string };

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
  answer(id: string): string | null;
  topics(): readonly Topic[];
}
export type FaqMatch =
  | { readonly kind: 'answer'; readonly id: string; readonly text: string }
  | { readonly kind: 'suggest'; readonly options: readonly Topic[] }
  | { readonly kind: 'vague' }
  | { readonly kind: 'pleasantry' }
  | { readonly kind: 'command'; readonly command: 'start' | 'help' | 'greet' }
  | { readonly kind: 'none' };
export interface Topic { readonly id: string; readonly question: string }

/** Everything a transition may look at; nothing in here does I/O. */
export interface Ctx {
  readonly openid: string;
  readonly content: Content;
  readonly faq: FaqPort;
  readonly cert: Config['cert'];
  /** Today in China, YYYY-MM-DD. */
  readonly today: string;
  readonly personKey: (idNumber: string) => string;
  /** Values read from the store for the keys `prefetch` asked for. */
  readonly fetched: ReadonlyMap<string, string | null>;
  /** The follower had an open dialogue that timed out since their last message. */
  readonly expired: boolean;
}

/** A face-check attempt: clear data goes to the provider; the stub keeps only the masked values. */
export interface Attempt {
  readonly openid: string;
  readonly cycle: number;
  readonly category: string;
  readonly personKey: string;
  readonly idNumber: string;
  readonly name: string;
  readonly phone: string;
  readonly maskedId: string;
  readonly maskedName: string;
}

export type Effect = { readonly type: 'startFaceCheck'; readonly attempt: Attempt };

/** A reply that needs the face-check link is rendered once the effect has produced it. */
export type ReplyPlan = { readonly text: string } | { readonly silent: true } | { readonly withLink: (link: string) => string };

export interface Outcome {
  /** null: forget the follower (unsubscribe). */
  readonly state: FollowerState | null;
  readonly reply: ReplyPlan;
  readonly effects: readonly Effect[];
}

/** Where a certification record lives: one per person and cycle. */
export const recordKey = (cycle: number, personKey: string) => `rec:${cycle}:${personKey}`;
