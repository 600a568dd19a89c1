import { REASON_GROUPS, type ReasonGroup } from '../face-check/provider';

/**
 * The office's counters: a closed vocabulary of field names, so that a counter hash can hold
 * numbers only and never a piece of what a follower typed. One hash per China day of a cycle
 * (store/layout.ts `stats`); every instance adds to the same hashes.
 */

/** Steps whose reaching is counted ('linked' is counted as linkIssued, 'certified' as alreadyCertified). */
export const COUNTED_STEPS = ['notice', 'category', 'id', 'name', 'phone', 'confirm'] as const;
export type CountedStep = (typeof COUNTED_STEPS)[number];

/**
 * Why a face check failed, in groups a provider's codes map onto (Tencent FaceID's and the stub's):
 * light: too dark or too bright; faceNotSeen: no face, several faces, or the face left the frame;
 * actions: the requested actions (blink, mouth, head) were not done; mismatch: not the person on
 * record; noPhoto: the authority holds no usable photo; network: the phone or the provider could
 * not be reached; expired: the provider's session timed out; stubFail: 模拟未通过 on the stub page;
 * other: any code not mapped yet.
 */
/** The face-check provider's failure groups, counted as they are grouped for tips. */
export const FAIL_REASONS = REASON_GROUPS;
export type FailReason = ReasonGroup;

/** What is counted per category (by its index in templates/messages.yaml; 'x' for a name no longer listed). */
export type CategoryEvent = `step:${CountedStep}` | 'linkIssued' | 'linkOpened' | 'providerStarted' | 'passed' | 'failed' | 'alreadyCertified';
export type CategoryRef = number | 'x';

export type Field =
  /** A certification began: 认证 (typed or tapped) or 1 for another person, into the notice or the categories. */
  | 'began'
  | `step:${CountedStep}`
  | 'linkIssued'
  | 'linkOpened'
  | 'providerStarted'
  | 'passed'
  | 'failed'
  /** The dialogue found the person already certified in this cycle. */
  | 'alreadyCertified'
  | `fail:${FailReason}`
  /** Typed or spoken questions: answered, answered with "did you mean", or not answered (the fallback). */
  | 'faq:answered'
  | 'faq:suggested'
  | 'faq:unanswered'
  /** Answers given, by knowledge-base entry id (ids come from templates/faq, never from a follower). */
  | `faq:entry:${string}`
  | `cat:${CategoryRef}:${CategoryEvent}`;

export type Fields = Partial<Record<Field, number>>;

/** Adds one to `field` of `fields`. */
export function bump(fields: Fields, field: Field, by = 1): void {
  fields[field] = (fields[field] ?? 0) + by;
}

export const isEmpty = (fields: Fields): boolean => Object.keys(fields).length === 0;
