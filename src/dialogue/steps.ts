import { cnDate } from '../content';
import { numbered, parseNumber, pickOption } from './choice';
import { maskId, maskName, maskPhone, parseIdNumber, parseMobile, parseName } from './person';
import { recordKey, type Ctx, type Dialogue, type Effect, type ReplyPlan, type Step } from './types';

/**
 * The certification dialogue as data: each step's prompt, where 返回 leads, how it reads an answer,
 * and which stored values it needs read before it can decide. `accept` is pure.
 */
export interface StepDef {
  prompt(d: Dialogue, ctx: Ctx): string;
  back: Step | null;
  /** The work is done here (link issued, or already certified): 认证 starts a new one instead of resuming. */
  done?: true;
  accept(text: string, d: Dialogue, ctx: Ctx): Accepted | Refused;
  prefetch?(text: string, d: Dialogue, ctx: Ctx): string[];
}
export interface Accepted {
  readonly next: Dialogue;
  readonly reply?: ReplyPlan;
  readonly effects?: readonly Effect[];
  readonly acknowledged?: boolean;
}
/** `reason` null: the text is simply not an answer to this step (no complaint, just ask again). */
export interface Refused { readonly reason: string | null }

const categoryName = (ctx: Ctx, i: number | undefined) => ctx.content.categories[i ?? 0]?.name ?? '';

interface CertRecord { readonly date: string }
function certified(ctx: Ctx, id: string): CertRecord | null {
  const raw = ctx.fetched.get(recordKey(ctx.cert.cycle, ctx.personKey(id)));
  return raw ? (JSON.parse(raw) as CertRecord) : null;
}
const certifiedStep = (id: string, rec: CertRecord): Dialogue => ({ step: 'certified', draft: {}, masked: { id: maskId(id), date: rec.date } });
const anotherPerson = (text: string, _: Dialogue, ctx: Ctx): Accepted | Refused =>
  parseNumber(text) === 1 || ctx.content.is(text, 'another') ? { next: { step: 'category', draft: {} }, acknowledged: true } : { reason: null };

export const STEPS: Readonly<Record<Step, StepDef>> = {
  notice: {
    prompt: (_, ctx) => ctx.content.text('notice'),
    back: null,
    accept: (text, _, ctx) =>
      parseNumber(text) === 1 || ctx.content.is(text, 'acknowledge')
        ? { next: { step: 'category', draft: {} }, acknowledged: true }
        : { reason: ctx.content.text('noticeNotAcknowledged') },
  },
  category: {
    prompt: (_, ctx) => ctx.content.text('categoryPrompt', { list: numbered(ctx.content.categories.map((c) => `${c.name}（${c.hint}）`)) }),
    back: 'notice',
    accept(text, d, ctx) {
      const i = pickOption(text, ctx.content.categories.map((c) => c.name));
      if (i !== null) return { next: { step: 'id', draft: { ...d.draft, category: i } } };
      const n = parseNumber(text);
      return { reason: ctx.content.text(n !== null ? 'choiceOutOfRange' : 'categoryInvalid', { max: String(ctx.content.categories.length) }) };
    },
  },
  id: {
    prompt: (_, ctx) => ctx.content.text('idPrompt'),
    back: 'category',
    prefetch(text, _, ctx) {
      const id = parseIdNumber(text, new Date(`${ctx.today}T00:00:00+08:00`));
      return id.ok ? [recordKey(ctx.cert.cycle, ctx.personKey(id.value))] : [];
    },
    accept(text, d, ctx) {
      const id = parseIdNumber(text, new Date(`${ctx.today}T00:00:00+08:00`));
      if (!id.ok) {
        const key = ({ length: 'idInvalidLength', chars: 'idInvalidChars', date: 'idInvalidDate', checksum: 'idInvalidChecksum' } as const)[id.reason];
        return { reason: ctx.content.text(key, { count: String(id.count ?? 0) }) };
      }
      const rec = certified(ctx, id.value);
      if (rec) return { next: certifiedStep(id.value, rec) };
      return { next: { step: 'name', draft: { ...d.draft, id: id.value } } };
    },
  },
  name: {
    prompt: (_, ctx) => ctx.content.text('namePrompt'),
    back: 'id',
    accept(text, d, ctx) {
      const name = parseName(text);
      return name.ok ? { next: { step: 'phone', draft: { ...d.draft, name: name.value } } } : { reason: ctx.content.text('nameInvalid') };
    },
  },
  phone: {
    prompt: (_, ctx) => ctx.content.text('phonePrompt'),
    back: 'name',
    accept(text, d, ctx) {
      const phone = parseMobile(text);
      return phone.ok ? { next: { step: 'confirm', draft: { ...d.draft, phone: phone.value } } } : { reason: ctx.content.text('phoneInvalid') };
    },
  },
  confirm: {
    prompt: (d, ctx) =>
      ctx.content.text('confirmPrompt', {
        category: categoryName(ctx, d.draft.category),
        maskedId: maskId(d.draft.id ?? ''),
        maskedName: maskName(d.draft.name ?? ''),
        maskedPhone: maskPhone(d.draft.phone ?? ''),
      }),
    back: 'phone',
    prefetch: (_, d, ctx) => (d.draft.id ? [recordKey(ctx.cert.cycle, ctx.personKey(d.draft.id))] : []),
    accept(text, d, ctx) {
      const n = parseNumber(text);
      const choice = ctx.content.is(text, 'confirm') || n === 1 ? 0 : ctx.content.is(text, 'redo') || n === 2 ? 1 : null;
      if (choice === 1) return { next: { step: 'category', draft: {} } };
      if (choice !== 0) return { reason: ctx.content.text('choiceOutOfRange', { max: '2' }) };
      const { id, name, phone, category } = d.draft;
      if (!id || !name || !phone || category === undefined) return { next: { step: 'category', draft: {} } };
      const rec = certified(ctx, id);
      if (rec) return { next: certifiedStep(id, rec) };
      const maskedName = maskName(name);
      const attempt = { openid: ctx.openid, cycle: ctx.cert.cycle, category: categoryName(ctx, category), personKey: ctx.personKey(id), idNumber: id, name, phone, maskedId: maskId(id), maskedName };
      const minutes = String(Math.round(ctx.cert.faceCheckTokenMs / 60_000));
      return {
        // The clear data leaves the state here: from now on only masked values are kept.
        next: { step: 'linked', draft: {}, masked: { name: maskedName, id: attempt.maskedId } },
        effects: [{ type: 'startFaceCheck', attempt }],
        reply: { withLink: (link) => ctx.content.text('linkIssued', { maskedName, link, minutes }) },
      };
    },
  },
  linked: {
    prompt: (d, ctx) => ctx.content.text('linkPending', { maskedName: d.masked?.name ?? '' }),
    back: null,
    done: true,
    accept: anotherPerson,
  },
  certified: {
    prompt: (d, ctx) => ctx.content.text('alreadyCertified', { maskedId: d.masked?.id ?? '', date: cnDate(d.masked?.date ?? '') }),
    back: null,
    done: true,
    accept: anotherPerson,
  },
};
