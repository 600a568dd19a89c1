import type { FollowerState, Input, Line, Outcome, Step } from '../dialogue/types';
import { bump, type CountedStep, type Fields } from './fields';

/**
 * What one answered push adds to the office's counters, derived from what the core decided: the
 * step before and after, the writes and the reply. Pure, and blind to how the steps read answers:
 * it looks only at step names, 'link' writes, {faq} lines and the 'fallback' and 'suggest' messages.
 *
 * A step counts as reached when the dialogue moves forward into it; 返回 and then forward again
 * reaches it a second time (rare, and the funnel stays readable). Changing one item at the
 * confirmation comes back to it without counting it again.
 */
export function countsOf(prev: FollowerState | null, out: Outcome, input: Input): Fields {
  const fields: Fields = {};
  const from = prev?.dialogue?.step ?? null;
  const dialogue = out.state?.dialogue;
  const to = dialogue?.step ?? null;
  const before = prev?.dialogue?.draft.category;
  if (to !== null && to !== from) {
    const fresh = from === null || DONE.has(from);
    const opening = to === 'notice' || to === 'category';
    if (fresh && opening) bump(fields, 'began');
    if (to === 'certified') {
      bump(fields, 'alreadyCertified');
      bump(fields, `cat:${ref(before)}:alreadyCertified`);
    } else if (to !== 'linked' && !prev?.dialogue?.fixing && (fresh ? opening : RANK[to] > RANK[from!])) {
      bump(fields, `step:${to}`);
      const category = dialogue?.draft.category;
      if (category !== undefined && RANK[to] >= RANK.id) bump(fields, `cat:${ref(category)}:step:${to as CountedStep}`);
    }
  }
  for (const w of out.writes) {
    if (w.type !== 'link') continue;
    bump(fields, 'linkIssued');
    bump(fields, `cat:${ref(before)}:linkIssued`);
  }
  if (input.kind === 'text' && 'say' in out.reply) {
    const lines: Line[] = out.reply.say.flat();
    const answers = lines.flatMap((l) => ('faq' in l ? [l.faq] : []));
    if (answers.length) {
      bump(fields, 'faq:answered');
      for (const id of new Set(answers)) bump(fields, `faq:entry:${id}`);
    } else if (lines.some((l) => 'key' in l && l.key === 'fallback')) bump(fields, 'faq:unanswered');
    else if (lines.some((l) => 'key' in l && l.key === 'suggest')) bump(fields, 'faq:suggested');
  }
  return fields;
}

/** Steps where the work is done: moving on from them is a new certification. */
const DONE: ReadonlySet<Step> = new Set<Step>(['linked', 'certified']);
const RANK: Readonly<Record<Step, number>> = { notice: 0, category: 1, id: 2, name: 3, phone: 4, confirm: 5, linked: 6, certified: 6 };
const ref = (category: number | undefined) => (category === undefined ? 'x' : category);
