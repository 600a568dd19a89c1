import { maskName } from './person';
import type { Ctx, DecisionWrite, Dialogue, Line, Paragraph, ReminderConsent, Step } from './types';

/**
 * The core's part in the reminders (src/reminders/ sends them): which steps count as having begun
 * a certification, and the commands 退订 / 订阅提醒. Pure, like the rest of the core.
 */

/** From the ID step on (or a link issued) a certification has begun: the follower is worth a reminder. */
const BEGUN: ReadonlySet<Step> = new Set<Step>(['id', 'name', 'phone', 'confirm', 'linked']);

/**
 * The reminders' entry for a step taken in the window: the person (their keyed hash, once an ID
 * number is typed) and the masked name (once the name is). At the link the draft is emptied, so
 * what was entered before is taken from the step left. Outside the window nothing is kept: no
 * reminder before the end can come of it.
 */
export function beganWrites(left: Dialogue, next: Dialogue, ctx: Ctx): DecisionWrite[] {
  if (ctx.today.phase !== 'during' || !BEGUN.has(next.step)) return [];
  const id = next.draft.id ?? left.draft.id;
  const name = next.draft.name ?? left.draft.name;
  return [{ type: 'began', ...(id ? { personKey: ctx.personKey(id) } : {}), ...(name ? { maskedName: maskName(name) } : {}) }];
}

/** 退订 or 订阅提醒 (templates/commands.yaml), with its one-line confirmation; null for any other text. */
export function consentCommand(text: string, ctx: Ctx): { write: DecisionWrite; line: Paragraph } | null {
  const change: ReminderConsent | null = ctx.content.is(text, 'remindersOff') ? 'off' : ctx.content.is(text, 'remindersOn') ? 'on' : null;
  if (change === null) return null;
  const line: Line = { key: change === 'off' ? 'remindersOff' : 'remindersOn' };
  return { write: { type: 'reminders', change }, line: [line] };
}
