import type { CertMark } from '../store/layout';
import { maskId, maskName, maskPhone } from './person';
import { fieldsOf, type Found } from './read-line';
import type { Ctx, DecisionWrite, Dialogue, Draft, Line, Need, Paragraph, PreCtx, Step } from './types';

/**
 * Putting what a message held into the form: any step may receive several items at once (a pasted
 * line), a correction changes one item and keeps the rest, and the next question is always the
 * first item still missing. The rules about ID numbers hold however the number came: each new
 * one counts against ID_LOOKUPS_PER_DAY, and "already certified" is told only as `mayTell` allows.
 */

/** What `fill` decided: the dialogue to go on with, or a refusal with its reason. */
export type Filled =
  | { readonly next: Dialogue; readonly writes: readonly DecisionWrite[]; readonly before: readonly Paragraph[] }
  | { readonly reason: Line };

/** The order of the form; the first missing item is asked next, the confirmation once none is. */
export function nextStep(draft: Draft): Step {
  if (draft.category === undefined) return 'category';
  if (draft.id === undefined) return 'id';
  if (draft.name === undefined) return 'name';
  if (draft.phone === undefined) return 'phone';
  return 'confirm';
}

export const markOf = (ctx: Ctx, id: string): CertMark | null => ctx.known.marks.get(ctx.personKey(id)) ?? null;
export const certifiedStep = (id: string, mark: CertMark): Dialogue => ({ step: 'certified', draft: {}, masked: { id: maskId(id), date: mark.date } });
/**
 * Whether this follower may hear that the person is already certified: the phone that certified
 * them hears it at once; anyone else only with the name the person was certified under.
 */
export const mayTell = (ctx: Ctx, id: string, mark: CertMark, name?: string) =>
  mark.by === ctx.follower || (name !== undefined && mark.nameKey !== undefined && mark.nameKey === ctx.nameKey(id, name));
export const markNeed = (ctx: PreCtx, id: string | undefined): Need[] => (id ? [{ type: 'mark', personKey: ctx.personKey(id) }] : []);

/** The store reads a message that holds `found` needs: a new ID number's mark and the day's lookups, or the mark to check a name against. */
export function fillNeeds(found: Found, d: Dialogue | undefined, ctx: PreCtx): Need[] {
  if (found.id !== undefined && found.id !== d?.draft.id) return [...markNeed(ctx, found.id), { type: 'lookups' }];
  if (found.name !== undefined) return markNeed(ctx, d?.draft.id);
  return [];
}

/**
 * Fills the items of `found` into the dialogue's draft and goes to the first one missing (or stays
 * at `stay`). `before`: what was understood, when more than the asked item came, so a helper sees
 * the line was read right; not before the confirmation, which shows it all.
 */
export function fill(d: Dialogue, found: Found, ctx: Ctx, asked: keyof Draft | null, stay?: Step): Filled {
  const draft: Draft = { ...d.draft, ...pick(found) };
  const writes: DecisionWrite[] = [];
  if (found.id !== undefined && found.id !== d.draft.id) {
    // Every person looked up counts, so that nobody can test ID numbers in bulk from one phone.
    if (ctx.known.lookups >= ctx.lookupsPerDay) return { reason: { key: 'lookupLimit', vars: { limit: String(ctx.lookupsPerDay) } } };
    writes.push({ type: 'lookups', day: ctx.today.date, count: ctx.known.lookups + 1 });
  }
  if (draft.id !== undefined && (found.id !== undefined || found.name !== undefined)) {
    const mark = markOf(ctx, draft.id);
    if (mark && mayTell(ctx, draft.id, mark, draft.name)) return { next: certifiedStep(draft.id, mark), writes, before: [] };
  }
  const step = stay ?? nextStep(draft);
  const extra = fieldsOf(found).some((f) => f !== asked);
  return { next: { step, draft }, writes, before: extra && step !== 'confirm' ? [received(draft, found, ctx)] : [] };
}

function pick(f: Found): Draft {
  return {
    ...(f.category !== undefined ? { category: f.category } : {}),
    ...(f.id !== undefined ? { id: f.id } : {}),
    ...(f.name !== undefined ? { name: f.name } : {}),
    ...(f.phone !== undefined ? { phone: f.phone } : {}),
  };
}

/** 已收到： and each item understood, masked. */
function received(draft: Draft, found: Found, ctx: Ctx): Paragraph {
  const lines: Line[] = [{ key: 'received' }];
  if (found.category !== undefined) lines.push({ key: 'receivedCategory', vars: { category: ctx.content.categories[found.category]?.name ?? '' } });
  if (found.id !== undefined) lines.push({ key: 'receivedId', vars: { maskedId: maskId(draft.id ?? '') } });
  if (found.name !== undefined) lines.push({ key: 'receivedName', vars: { maskedName: maskName(draft.name ?? '') } });
  if (found.phone !== undefined) lines.push({ key: 'receivedPhone', vars: { maskedPhone: maskPhone(draft.phone ?? '') } });
  return lines;
}
