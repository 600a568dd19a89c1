import { commandWord } from '../content';
import { parseNumber } from './choice';
import { issueLink, tailOf } from './confirm';
import { fill, fillNeeds, markNeed } from './fill';
import { fieldsOf } from './read-line';
import { accepted, read, type Accepted, type Refused, type StepDef } from './step-def';
import type { Ctx, Dialogue, Draft, Line, Need, PreCtx } from './types';

/**
 * After the face-check link: what people send then. 再试一次 (or 1 after a failure) issues a new
 * link for the same person at once; 刷不了脸怎么办 gets how to get through and who helps; a pasted
 * line starts the next person with it; 好的 gets a short kind answer. Numbers mean what the last
 * list on screen said: after a failure (or an expired link) 1 = try again and 2 = another person,
 * otherwise 1 = another person, as the link's message says.
 */

/** Where the last link stands, as far as this message knows (`unknown`: not read, or gone). */
export type LinkState = 'open' | 'failed' | 'expired' | 'passed' | 'unknown';

export function linkState(ctx: Ctx): LinkState {
  const l = ctx.known.lastLink;
  if (!l) return 'unknown';
  if (l.status === 'pass') return 'passed';
  if (l.status === 'fail') return 'failed';
  return ctx.now >= l.expiresAt ? 'expired' : 'open';
}

const complete = (d: Draft) => d.id !== undefined && d.name !== undefined && d.phone !== undefined && d.category !== undefined;
/** A new link for the same person is one message away: the link failed or expired, and the draft is still kept. */
const canRetry = (d: Dialogue, ctx: Ctx) => complete(d.draft) && ['failed', 'expired'].includes(linkState(ctx));
const contains = (text: string, words: readonly string[]) => {
  const w = commandWord(text);
  return w !== '' && words.some((x) => w.includes(x));
};

/**
 * The draft is kept after the link only for a retry: once the face check passed (or the link is
 * gone), it is dropped at the follower's next message. `d` is the dialogue after the message; only
 * the link that message read about (`linkHash`) is settled, never one it just issued.
 */
export function settle(d: Dialogue, linkHash: string | undefined, ctx: Ctx): Dialogue {
  const last = ctx.known.lastLink;
  if (d.step !== 'linked' || last === undefined || d.masked?.linkHash !== linkHash || Object.keys(d.draft).length === 0) return d;
  return last === null || last.status === 'pass' ? { ...d, draft: {} } : d;
}

const who = (d: Dialogue) => ({ maskedName: d.masked?.name ?? '', idTail: tailOf(d.masked?.id ?? '') });

const nextPerson = (): Accepted => ({ next: { step: 'category', draft: {} }, acknowledged: true });

function retry(d: Dialogue, ctx: Ctx): Accepted {
  if (!complete(d.draft)) return { ...nextPerson(), before: [[{ key: 'retryGone' }]] };
  return issueLink({ step: 'confirm', draft: d.draft }, ctx);
}

export const linkedStep: StepDef = {
  prompt(d, ctx): Line {
    if (canRetry(d, ctx)) return { key: linkState(ctx) === 'failed' ? 'linkRetry' : 'linkExpired', vars: who(d) };
    return { key: 'linkPending', vars: who(d) };
  },
  back: null,
  done: true,
  needs(text, d, ctx: PreCtx): Need[] {
    const hash = d.masked?.linkHash;
    return [...(hash ? [{ type: 'lastLink' as const, hash }] : []), ...markNeed(ctx, d.draft.id), ...fillNeeds(read(text, ctx), undefined, ctx)];
  },
  accept(text, d, ctx): Accepted | Refused {
    const words = ctx.content.answers;
    const retryFirst = canRetry(d, ctx);
    const n = parseNumber(text);
    if ((retryFirst && n === 1) || contains(text, words.retryWords)) return retry(d, ctx);
    if (n === (retryFirst ? 2 : 1) || ctx.content.is(text, 'another')) return nextPerson();
    // The next person's line, pasted straight after a link: certified in as few messages as can be.
    const found = read(text, ctx);
    if (found.id !== undefined || fieldsOf(found).length >= 2) {
      const f = accepted(fill({ step: 'category', draft: {} }, found, ctx, null));
      return 'next' in f ? { ...f, acknowledged: true } : f;
    }
    const again = [linkedStep.prompt(d, ctx)];
    if (contains(text, words.faceTroubleWords)) return { next: d, reply: [[{ key: 'faceHelp' }], again] };
    if (words.pleasantries.has(commandWord(text))) {
      return { next: d, reply: retryFirst || linkState(ctx) === 'passed' ? [again] : [[{ key: 'linkAck', vars: who(d) }], again] };
    }
    return { reason: null };
  },
};
