import { fillNeeds, type Filled } from './fill';
import { readLine, type Found } from './read-line';
import type { Ctx, DecisionWrite, Dialogue, Effect, Line, Need, Paragraph, PreCtx, Step } from './types';

/** One step of the certification dialogue, as data (see steps.ts). */
export interface StepDef {
  prompt(d: Dialogue, ctx: Ctx): Line;
  back: Step | null;
  /** The work is done here (link issued, or already certified): 认证 starts a new one instead of resuming. */
  done?: true;
  accept(text: string, d: Dialogue, ctx: Ctx): Accepted | Refused;
  needs?(text: string, d: Dialogue, ctx: PreCtx): Need[];
}
export interface Accepted {
  readonly next: Dialogue;
  /** Instead of the next step's prompt. */
  readonly reply?: readonly Paragraph[];
  /** Before the next step's prompt (what a pasted line was read as, a correction made). */
  readonly before?: readonly Paragraph[];
  readonly writes?: readonly DecisionWrite[];
  readonly effects?: readonly Effect[];
  readonly acknowledged?: boolean;
}
/** `reason` null: the text is simply not an answer to this step (no complaint, just ask again). */
export interface Refused { readonly reason: Line | null }

/** A birth date after the start of today (China time) is no real one. */
export const birthLimit = (ctx: PreCtx) => new Date(`${ctx.today.date}T00:00:00+08:00`);
/** What a message holds for the form (see read-line.ts). */
export const read = (text: string, ctx: PreCtx): Found =>
  readLine(text, { words: ctx.content.answers, today: birthLimit(ctx) });
export const anyField = (f: Found) => f.category !== undefined || f.id !== undefined || f.name !== undefined || f.phone !== undefined;
export const accepted = (f: Filled): Accepted | Refused => ('reason' in f ? f : { next: f.next, writes: f.writes, before: f.before });
/** What a form step needs read for this message: the marks and lookups of the items it holds. */
export const formNeeds = (text: string, d: Dialogue, ctx: PreCtx): Need[] => fillNeeds(read(text, ctx), d, ctx);
