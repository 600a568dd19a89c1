import { cnDate } from '../calendar';
import { linkedStep } from './after-link';
import { numbered, parseNumber } from './choice';
import { confirmStep } from './confirm';
import { fill, fillNeeds, markNeed, nextStep } from './fill';
import { idReasonOf, wordsAndDigits } from './read-line';
import { accepted, anyField, birthLimit, formNeeds, read, type StepDef } from './step-def';
import type { Line, Step } from './types';

export type { Accepted, Refused, StepDef } from './step-def';

/**
 * The certification dialogue as data: each step's prompt, where 返回 leads, how it reads an answer,
 * and what it needs read from the store before it can decide. `accept` is pure. The four form
 * steps read every message for all the form's items (see fill.ts), so a line holding several
 * fills them all and the next question is the first item still missing.
 */
export const STEPS: Readonly<Record<Step, StepDef>> = {
  notice: {
    prompt: () => ({ key: 'notice' }),
    back: null,
    needs: formNeeds,
    accept(text, d, ctx) {
      // A draft filled before the notice (a pasted line) goes on to its first missing item.
      if (parseNumber(text) === 1 || ctx.content.is(text, 'acknowledge')) return { next: { step: nextStep(d.draft), draft: d.draft }, acknowledged: true };
      // A pasted line before the notice was acknowledged is kept, and the notice asked again.
      const found = read(text, ctx);
      if (!anyField(found)) return { reason: { key: 'noticeNotAcknowledged' } };
      const f = fill(d, found, ctx, null, 'notice');
      if ('reason' in f || f.next.step !== 'notice') return accepted(f);
      return { next: f.next, writes: f.writes, reply: [...f.before, [{ key: 'noticeNotAcknowledged' }, { key: 'notice' }]] };
    },
  },
  category: {
    prompt: (_, ctx) => ({ key: 'categoryPrompt', vars: { list: numbered(ctx.content.categories.map((c) => `${c.name}（${c.hint}）`)) } }),
    back: 'notice',
    needs: formNeeds,
    accept(text, d, ctx) {
      const max = ctx.content.categories.length;
      const n = parseNumber(text);
      if (n !== null) return n >= 1 && n <= max ? accepted(fill(d, { category: n - 1 }, ctx, 'category')) : { reason: { key: 'choiceOutOfRange', vars: { max: String(max) } } };
      const found = read(text, ctx);
      return anyField(found) ? accepted(fill(d, found, ctx, 'category')) : { reason: { key: 'categoryInvalid' } };
    },
  },
  id: {
    prompt: () => ({ key: 'idPrompt' }),
    back: 'category',
    needs: formNeeds,
    accept(text, d, ctx) {
      const found = read(text, ctx);
      if (found.id !== undefined) return accepted(fill(d, found, ctx, 'id'));
      const why = idReasonOf(text, found, ctx.content.answers, birthLimit(ctx));
      const reason: Line = { key: ID_REASONS[why.reason], vars: { count: String(why.count ?? 0) } };
      if (!anyField(found)) return { reason: wordsAndDigits(text, ctx.content.answers) ? { key: 'oneAtATime' } : reason };
      // The rest of a line is kept and the ID number asked again, with the reason when it was mistyped.
      const f = fill(d, found, ctx, 'id', 'id');
      if ('reason' in f || f.next.step !== 'id') return accepted(f);
      return { next: f.next, writes: f.writes, before: [...f.before, ...(found.idError ? [[reason]] : [])] };
    },
  },
  name: {
    prompt: () => ({ key: 'namePrompt' }),
    back: 'id',
    needs: (text, d, ctx) => [...fillNeeds(read(text, ctx), d, ctx), ...markNeed(ctx, d.draft.id)],
    accept(text, d, ctx) {
      const found = read(text, ctx);
      if (anyField(found)) return accepted(fill(d, found, ctx, 'name'));
      return { reason: { key: found.notAName ? 'nameNotAName' : 'nameInvalid' } };
    },
  },
  phone: {
    prompt: () => ({ key: 'phonePrompt' }),
    back: 'name',
    needs: formNeeds,
    accept(text, d, ctx) {
      const found = read(text, ctx);
      return anyField(found) ? accepted(fill(d, found, ctx, 'phone')) : { reason: { key: 'phoneInvalid' } };
    },
  },
  confirm: confirmStep,
  linked: linkedStep,
  certified: {
    prompt: (d) => ({ key: 'alreadyCertified', vars: { maskedId: d.masked?.id ?? '', date: cnDate(d.masked?.date ?? '') } }),
    back: null,
    done: true,
    needs: (text, _, ctx) => fillNeeds(read(text, ctx), undefined, ctx),
    accept: (text, d, ctx) => linkedStep.accept(text, d, ctx),
  },
};

const ID_REASONS = { length: 'idInvalidLength', chars: 'idInvalidChars', date: 'idInvalidDate', checksum: 'idInvalidChecksum' } as const;
