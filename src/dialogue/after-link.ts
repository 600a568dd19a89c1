import { chinaDate, chinaTime, cnDate } from '../calendar';
import { commandWord } from '../content';
import { parseNumber } from './choice';
import { issueLink, tailOf } from './confirm';
import { fill, fillNeeds, markNeed } from './fill';
import { fieldsOf } from './read-line';
import { accepted, read, type Accepted, type Refused, type StepDef } from './step-def';
import { assertNever, type Ctx, type Dialogue, type Draft, type Line, type Need, type Outcome, type PreCtx } from './types';

/**
 * After the face-check link: the result once it is known, and what people send then. 再试一次 (or
 * 1 after a failure or an expired link) issues a new link for the same person at once; 刷不了脸怎么办
 * gets how to get through and who helps; a pasted line starts the next person with it; 好的 gets a
 * short kind answer. Numbers mean what the last message on screen said: after a failure or an
 * expired link 1 = try again and 2 = another person, otherwise 1 = another person.
 */

const complete = (d: Draft) => d.id !== undefined && d.name !== undefined && d.phone !== undefined && d.category !== undefined;
/**
 * The person's tries of the day are used up (FACE_CHECK_MAX_ATTEMPTS, counted by a real provider):
 * a new link would only show the offline ways, so none is offered until tomorrow.
 */
const usedUp = (ctx: Ctx) => (ctx.known.faceFailures ?? 0) >= ctx.faceCheckMaxAttempts;
/** The link failed or expired: a new one for the same person is one message away. */
const retryFirst = (ctx: Ctx) => {
  const l = ctx.known.link;
  return !usedUp(ctx) && (l?.status === 'fail' || l?.status === 'gone' || (l?.status === 'issued' && ctx.now >= l.expiresAt));
};
const contains = (text: string, words: readonly string[]) => {
  const w = commandWord(text);
  return w !== '' && words.some((x) => w.includes(x));
};

/**
 * The draft is kept after the link only for a retry: once the face check passed (or the link is
 * gone), it is dropped at the follower's next message. `d` is the dialogue after the message; only
 * the link that message read about (`link`) is settled, never one it just issued.
 */
export function settle(d: Dialogue, link: string | undefined, ctx: Ctx): Dialogue {
  const last = ctx.known.link;
  if (d.step !== 'linked' || last === undefined || d.masked?.link !== link || Object.keys(d.draft).length === 0) return d;
  return last.status === 'pass' || last.status === 'gone' ? { ...d, draft: {} } : d;
}

/** After a message: entries kept for a retry go once the face check passed (see `settle`). */
export function settled(o: Outcome, before: Dialogue, ctx: Ctx): Outcome {
  const d = o.state?.dialogue;
  if (!o.state || !d) return o;
  const next = settle(d, before.masked?.link, ctx);
  return next === d ? o : { ...o, state: { ...o.state, dialogue: next } };
}

const who = (d: Dialogue) => ({ maskedName: d.masked?.name ?? '', idTail: tailOf(d.masked?.id ?? '') });

/** After the link: the result once it is known, else until when the link is open (China time), else that it expired. */
function linkedPrompt(d: Dialogue, ctx: Ctx): Line {
  const link = ctx.known.link;
  switch (link?.status) {
    case undefined:
      return { key: 'linkPending', vars: who(d) };
    case 'pass':
      return { key: 'linkResultPass', vars: { ...who(d), date: cnDate(chinaDate(link.doneAt ?? ctx.now)) } };
    case 'fail':
      return { key: usedUp(ctx) ? 'linkResultFailToday' : 'linkResultFail', vars: who(d) };
    case 'issued':
      return ctx.now < link.expiresAt ? { key: 'linkOpen', vars: { ...who(d), until: chinaTime(link.expiresAt) } } : { key: 'linkExpired', vars: who(d) };
    case 'gone':
      return { key: 'linkExpired', vars: who(d) };
    default:
      return assertNever(link);
  }
}

const nextPerson = (): Accepted => ({ next: { step: 'category', draft: {} }, acknowledged: true });

function retry(d: Dialogue, ctx: Ctx): Accepted {
  // Passed already (its entries dropped with the verdict): the result, not a new form.
  if (ctx.known.link?.status === 'pass' && !complete(d.draft)) return { next: d, reply: [[linkedPrompt(d, ctx)]] };
  if (!complete(d.draft)) return { ...nextPerson(), before: [[{ key: 'retryGone' }]] };
  if (usedUp(ctx)) return { next: d, reply: [[{ key: 'linkResultFailToday', vars: who(d) }]] };
  return issueLink({ step: 'confirm', draft: d.draft }, ctx);
}

export const linkedStep: StepDef = {
  prompt: linkedPrompt,
  back: null,
  done: true,
  // The link's record says whether the result is in; the person's mark, whether a retry is still needed.
  needs(text, d, ctx: PreCtx): Need[] {
    const hash = d.masked?.link;
    const failures: Need[] = d.draft.id ? [{ type: 'faceFailures', personKey: ctx.personKey(d.draft.id) }] : [];
    return [...(hash ? [{ type: 'link' as const, hash }] : []), ...markNeed(ctx, d.draft.id), ...failures, ...fillNeeds(read(text, ctx), undefined, ctx)];
  },
  accept(text, d, ctx): Accepted | Refused {
    const words = ctx.content.answers;
    const again = retryFirst(ctx);
    const n = parseNumber(text);
    if ((again && n === 1) || contains(text, words.retryWords)) return retry(d, ctx);
    if (n === (again ? 2 : 1) || ctx.content.is(text, 'another')) return nextPerson();
    // The next person's line, pasted straight after a link: certified in as few messages as can be.
    // The same person's ID number again means trying again, once that can help; else where the link stands.
    const found = read(text, ctx);
    if (found.id !== undefined && found.id === d.draft.id) return again ? retry(d, ctx) : { reason: null };
    if (found.id !== undefined || fieldsOf(found).length >= 2) {
      const f = accepted(fill({ step: 'category', draft: {} }, found, ctx, null));
      return 'next' in f ? { ...f, acknowledged: true } : f;
    }
    const prompt = [linkedPrompt(d, ctx)];
    if (contains(text, words.faceTroubleWords)) return { next: d, reply: [[{ key: 'faceHelp' }], prompt] };
    if (ctx.content.is(text, 'thanks')) return { next: d, reply: ctx.known.link?.status === 'issued' && !again ? [[{ key: 'linkAck', vars: who(d) }], prompt] : [prompt] };
    return { reason: null };
  },
};
