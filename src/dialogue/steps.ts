import { chinaDate, chinaTime, cnDate, minutesOf } from '../calendar';
import { tokenHash, type CertMark } from '../store/layout';
import { numbered, parseNumber, pickOption } from './choice';
import { maskId, maskName, maskPhone, parseIdNumber, parseMobile, parseName } from './person';
import { assertNever, type Ctx, type PreCtx, type DecisionWrite, type Dialogue, type Effect, type Line, type Need, type Paragraph, type Step } from './types';

/**
 * The certification dialogue as data: each step's prompt, where 返回 leads, how it reads an answer,
 * and what it needs read from the store before it can decide. `accept` is pure.
 */
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
  readonly writes?: readonly DecisionWrite[];
  readonly effects?: readonly Effect[];
  readonly acknowledged?: boolean;
}
/** `reason` null: the text is simply not an answer to this step (no complaint, just ask again). */
export interface Refused { readonly reason: Line | null }

const categoryName = (ctx: Ctx, i: number | undefined) => ctx.content.categories[i ?? 0]?.name ?? '';
const birthLimit = (ctx: PreCtx) => new Date(`${ctx.today.date}T00:00:00+08:00`);

const markOf = (ctx: Ctx, id: string): CertMark | null => ctx.known.marks.get(ctx.personKey(id)) ?? null;
const certifiedStep = (id: string, mark: CertMark): Dialogue => ({ step: 'certified', draft: {}, masked: { id: maskId(id), date: mark.date } });
/**
 * Whether this follower may hear that the person is already certified: the phone that certified
 * them hears it at once; anyone else only with the name the person was certified under.
 */
const mayTell = (ctx: Ctx, id: string, mark: CertMark, name?: string) =>
  mark.by === ctx.follower || (name !== undefined && mark.nameKey !== undefined && mark.nameKey === ctx.nameKey(id, name));
const markNeed = (ctx: PreCtx, id: string | undefined): Need[] => (id ? [{ type: 'mark', personKey: ctx.personKey(id) }] : []);

const anotherPerson = (text: string, _: Dialogue, ctx: Ctx): Accepted | Refused =>
  parseNumber(text) === 1 || ctx.content.is(text, 'another') ? { next: { step: 'category', draft: {} }, acknowledged: true } : { reason: null };

/** After the link: the result once it is known, else until when the link is open (China time), else that it expired. */
function linkedPrompt(d: Dialogue, ctx: Ctx): Line {
  const maskedName = d.masked?.name ?? '';
  const link = ctx.known.link;
  switch (link?.status) {
    case undefined:
      return { key: 'linkPending', vars: { maskedName } };
    case 'pass':
      return { key: 'linkResultPass', vars: { maskedName, date: cnDate(chinaDate(link.doneAt ?? ctx.now)) } };
    case 'fail':
      return { key: 'linkResultFail', vars: { maskedName } };
    case 'issued':
      return ctx.now < link.expiresAt ? { key: 'linkOpen', vars: { maskedName, until: chinaTime(link.expiresAt) } } : { key: 'linkExpired', vars: { maskedName } };
    case 'gone':
      return { key: 'linkExpired', vars: { maskedName } };
    default:
      return assertNever(link);
  }
}

export const STEPS: Readonly<Record<Step, StepDef>> = {
  notice: {
    prompt: () => ({ key: 'notice' }),
    back: null,
    accept: (text, _, ctx) =>
      parseNumber(text) === 1 || ctx.content.is(text, 'acknowledge')
        ? { next: { step: 'category', draft: {} }, acknowledged: true }
        : { reason: { key: 'noticeNotAcknowledged' } },
  },
  category: {
    prompt: (_, ctx) => ({ key: 'categoryPrompt', vars: { list: numbered(ctx.content.categories.map((c) => `${c.name}（${c.hint}）`)) } }),
    back: 'notice',
    accept(text, d, ctx) {
      const i = pickOption(text, ctx.content.categories.map((c) => c.name));
      if (i !== null) return { next: { step: 'id', draft: { ...d.draft, category: i } } };
      const n = parseNumber(text);
      return { reason: { key: n !== null ? 'choiceOutOfRange' : 'categoryInvalid', vars: { max: String(ctx.content.categories.length) } } };
    },
  },
  id: {
    prompt: () => ({ key: 'idPrompt' }),
    back: 'category',
    needs(text, _, ctx) {
      const id = parseIdNumber(text, birthLimit(ctx));
      return id.ok ? [...markNeed(ctx, id.value), { type: 'lookups' }] : [];
    },
    accept(text, d, ctx): Accepted | Refused {
      const id = parseIdNumber(text, birthLimit(ctx));
      if (!id.ok) {
        const key = ({ length: 'idInvalidLength', chars: 'idInvalidChars', date: 'idInvalidDate', checksum: 'idInvalidChecksum' } as const)[id.reason];
        return { reason: { key, vars: { count: String(id.count ?? 0) } } };
      }
      // Every person looked up counts, so that nobody can test ID numbers in bulk from one phone.
      if (ctx.known.lookups >= ctx.lookupsPerDay) return { reason: { key: 'lookupLimit', vars: { limit: String(ctx.lookupsPerDay) } } };
      const writes: DecisionWrite[] = [{ type: 'lookups', day: ctx.today.date, count: ctx.known.lookups + 1 }];
      const mark = markOf(ctx, id.value);
      if (mark && mayTell(ctx, id.value, mark)) return { next: certifiedStep(id.value, mark), writes };
      return { next: { step: 'name', draft: { ...d.draft, id: id.value } }, writes };
    },
  },
  name: {
    prompt: () => ({ key: 'namePrompt' }),
    back: 'id',
    needs: (_, d, ctx) => markNeed(ctx, d.draft.id),
    accept(text, d, ctx) {
      const name = parseName(text);
      if (!name.ok) return { reason: { key: 'nameInvalid' } };
      const id = d.draft.id;
      const mark = id ? markOf(ctx, id) : null;
      if (id && mark && mayTell(ctx, id, mark, name.value)) return { next: certifiedStep(id, mark) };
      return { next: { step: 'phone', draft: { ...d.draft, name: name.value } } };
    },
  },
  phone: {
    prompt: () => ({ key: 'phonePrompt' }),
    back: 'name',
    accept(text, d) {
      const phone = parseMobile(text);
      return phone.ok ? { next: { step: 'confirm', draft: { ...d.draft, phone: phone.value } } } : { reason: { key: 'phoneInvalid' } };
    },
  },
  confirm: {
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
    needs: (_, d, ctx) => markNeed(ctx, d.draft.id),
    accept(text, d, ctx) {
      const n = parseNumber(text);
      const choice = ctx.content.is(text, 'confirm') || n === 1 ? 0 : ctx.content.is(text, 'redo') || n === 2 ? 1 : null;
      if (choice === 1) return { next: { step: 'category', draft: {} } };
      if (choice !== 0) return { reason: { key: 'choiceOutOfRange', vars: { max: '2' } } };
      const { id, name, phone, category } = d.draft;
      if (!id || !name || !phone || category === undefined) return { next: { step: 'category', draft: {} } };
      const mark = markOf(ctx, id);
      if (mark && mayTell(ctx, id, mark, name)) return { next: certifiedStep(id, mark) };
      const maskedName = maskName(name);
      const maskedId = maskId(id);
      const record = {
        openid: ctx.openid, cycle: ctx.today.cert.cycle, category: categoryName(ctx, category),
        personKey: ctx.personKey(id), nameKey: ctx.nameKey(id, name), maskedId, maskedName,
        idNumber: id, name, phone, issuedAt: ctx.now, expiresAt: ctx.now + ctx.linkMs, status: 'issued' as const,
      };
      return {
        // The clear data leaves the state here: from now on only masked values are kept, and the
        // link's own record (sealed) holds what the provider needs.
        next: { step: 'linked', draft: {}, masked: { name: maskedName, id: maskedId, link: tokenHash(ctx.token) } },
        writes: [{ type: 'link', token: ctx.token, record }],
        effects: [{ type: 'linkIssued', category: record.category }],
        reply: [[{ key: 'linkIssued', vars: { maskedName, link: ctx.linkUrl(ctx.token), minutes: minutesOf(ctx.linkMs) } }]],
      };
    },
  },
  linked: {
    prompt: linkedPrompt,
    back: null,
    done: true,
    // The link's record says whether the result is in: the follower is told it, or until when the link is open.
    needs: (_, d) => (d.masked?.link ? [{ type: 'link', hash: d.masked.link }] : []),
    accept: anotherPerson,
  },
  certified: {
    prompt: (d) => ({ key: 'alreadyCertified', vars: { maskedId: d.masked?.id ?? '', date: cnDate(d.masked?.date ?? '') } }),
    back: null,
    done: true,
    accept: anotherPerson,
  },
};
