import { commandWord, FIELDS, type Field } from '../content';
import { tokenHash } from '../store/layout';
import { parseNumber } from './choice';
import { certifiedStep, fill, fillNeeds, markNeed, markOf, mayTell, nextStep } from './fill';
import { maskId, maskName, maskPhone } from './person';
import { accepted, anyField, read, type Accepted, type Refused, type StepDef } from './step-def';
import type { Ctx, Dialogue, Draft, Step } from './types';

/**
 * The confirmation: yes issues the face-check link; one item is changed by its number (2–5), by
 * its words (名字不对, 手机号错了) or by sending the right value, and the rest is kept.
 */

const categoryName = (ctx: Ctx, i: number | undefined) => ctx.content.categories[i ?? 0]?.name ?? '';
/** The last four characters of an ID number shown masked: tells apart two people with alike masked names. */
export const tailOf = (maskedId: string) => maskedId.slice(-4);

/** The numbers 2–5 of the confirmation, in order. */
const FIX_ORDER: readonly Field[] = ['category', 'id', 'name', 'phone'];
const STEP_OF: Readonly<Record<Field, Step>> = { category: 'category', id: 'id', name: 'name', phone: 'phone' };

export const confirmStep: StepDef = {
  prompt: (d, ctx) => ({
    key: 'confirmPrompt',
    vars: {
      category: categoryName(ctx, d.draft.category),
      maskedId: maskId(d.draft.id ?? ''),
      maskedName: maskName(d.draft.name ?? ''),
      maskedPhone: maskPhone(d.draft.phone ?? ''),
    },
  }),
  back: 'phone',
  needs: (text, d, ctx) => [...fillNeeds(read(text, ctx), d, ctx), ...markNeed(ctx, d.draft.id)],
  accept(text, d, ctx): Accepted | Refused {
    const n = parseNumber(text);
    if (n === 1 || ctx.content.is(text, 'confirm')) return issueLink(d, ctx);
    if (n !== null) {
      const field = FIX_ORDER[n - 2];
      return field ? fix(d, field) : { reason: { key: 'choiceOutOfRange', vars: { max: String(FIX_ORDER.length + 1) } } };
    }
    if (ctx.content.is(text, 'redo')) return { next: { step: 'category', draft: {} } };
    const found = read(text, ctx);
    if (anyField(found)) {
      const f = accepted(fill(d, found, ctx, null));
      return 'next' in f && f.next.step === 'confirm' ? { ...f, before: [[{ key: 'updated' }]] } : f;
    }
    const named = fieldsNamed(text, ctx);
    const wrong = saysWrong(text, ctx);
    if (named.length === 1 && (wrong || onlyNames(text, named[0]!, ctx))) return fix(d, named[0]!);
    if (wrong || named.length > 1) return { reason: { key: 'whichToFix' } };
    return { reason: null };
  },
};

/** Back to one item's question without it; once it is answered, the confirmation comes again. */
function fix(d: Dialogue, field: Field): Accepted {
  const { [field]: _, ...draft } = d.draft;
  return { next: { step: STEP_OF[field], draft, fixing: true } };
}

const fieldsNamed = (text: string, ctx: Ctx): Field[] => {
  const w = commandWord(text);
  return FIELDS.filter((f) => ctx.content.answers.fieldWords[f].some((word) => w.includes(word)));
};
const saysWrong = (text: string, ctx: Ctx) => {
  const w = commandWord(text);
  return ctx.content.answers.wrongWords.some((word) => w.includes(word));
};
const onlyNames = (text: string, field: Field, ctx: Ctx) => ctx.content.answers.fieldWords[field].includes(commandWord(text));

/**
 * Issues the face-check link for the draft's person, unless they turn out to be certified already.
 * The draft stays in the (sealed) state with the link, so that a failed face check is tried again
 * with one message; it is dropped once the face check passed (see after-link.ts `settle`).
 */
export function issueLink(d: Dialogue, ctx: Ctx): Accepted {
  const { id, name, phone, category } = d.draft;
  if (!id || !name || !phone || category === undefined) return { next: { step: nextStep(d.draft), draft: d.draft } };
  const mark = markOf(ctx, id);
  if (mark && mayTell(ctx, id, mark, name)) return { next: certifiedStep(id, mark) };
  const maskedName = maskName(name);
  const maskedId = maskId(id);
  const record = {
    openid: ctx.openid, cycle: ctx.today.cert.cycle, category: categoryName(ctx, category),
    personKey: ctx.personKey(id), nameKey: ctx.nameKey(id, name), maskedId, maskedName,
    idNumber: id, name, phone, issuedAt: ctx.now, expiresAt: ctx.now + ctx.linkMs, status: 'issued' as const,
  };
  const draft: Draft = { id, name, phone, category };
  return {
    next: { step: 'linked', draft, masked: { name: maskedName, id: maskedId, link: tokenHash(ctx.token) } },
    writes: [{ type: 'link', token: ctx.token, record }],
    effects: [{ type: 'linkIssued', category: record.category }],
    reply: [[{ key: 'linkIssued', vars: { maskedName, idTail: tailOf(maskedId), link: ctx.linkUrl(ctx.token), duration: ctx.content.duration(ctx.linkMs) } }]],
  };
}
