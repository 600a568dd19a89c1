import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { render, TemplateError, type Content, type Vars } from '../content';

/**
 * templates/reminders.yaml: which field of the office's template message holds what, for each
 * kind of reminder. Since 2023-05-04 WeChat shows no first line, remark or colours, and a field
 * holds at most 20 characters and no line break; so every field is checked at start-up with the
 * longest values it could plausibly be filled with, and a template that could break the limit
 * stops start-up naming the field instead of reaching a phone cut short.
 */

export type ReminderKind = 'beforeEnd' | 'nextWindow';
export const FIELD_MAX_CHARS = 20;
/** A masked name longer than this is shortened (阿*******提 → 阿******提): it must fit in a field. */
export const NAME_MAX_CHARS = 8;
const MAX_COUNT = 99;

/** The values each kind fills in, besides the facts and the window. */
const KIND_VARS: Readonly<Record<ReminderKind, readonly string[]>> = {
  beforeEnd: ['who', 'deadline', 'daysLeft'],
  nextWindow: ['who', 'start', 'deadline'],
};

const fields = z.record(z.string(), z.string().min(1)).superRefine((f, ctx) => {
  const names = Object.keys(f);
  if (names.length < 1 || names.length > 10) ctx.addIssue({ code: 'custom', message: 'must name 1 to 10 fields' });
  for (const name of names.filter((n) => !/^[a-z][a-z_]*[0-9]+$/.test(n))) {
    ctx.addIssue({ code: 'custom', path: [name], message: 'must be a keyword of the template, such as thing1 or time2' });
  }
});
const schema = z.object({
  url: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]).optional(),
  unknownPerson: z.string().min(1),
  andOthers: z.string().min(1),
  beforeEnd: fields,
  nextWindow: fields,
});

export interface ReminderTemplates {
  /** What a tap on the message opens; absent: the message only shows in the account's chat. */
  readonly url?: string;
  /** The fields of one reminder, filled in: each within the limits. */
  fill(kind: ReminderKind, who: readonly { readonly maskedName?: string }[], vars: Vars): Record<string, string>;
}

const chars = (s: string) => [...s].length;
const shortName = (name: string) => {
  const c = [...name];
  return c.length <= NAME_MAX_CHARS ? name : `${c[0]}${'*'.repeat(NAME_MAX_CHARS - 2)}${c[c.length - 1]}`;
};

/** The words of templates/reminders.yaml that say who a reminder is about. */
export interface WhoWords {
  readonly unknownPerson: string;
  /** Several people: `{{who}}等{{count}}人`. */
  readonly andOthers: string;
}

/** Who a reminder is about: 乌***格, 乌***格等2人, or the template's word when no name was typed. */
export function whoOf(people: readonly { readonly maskedName?: string }[], words: WhoWords): string {
  const first = shortName(people.find((p) => p.maskedName)?.maskedName ?? words.unknownPerson);
  return people.length <= 1 ? first : render(words.andOthers, { who: first, count: String(Math.min(people.length, MAX_COUNT)) }, 'templates/reminders.yaml andOthers');
}

/**
 * Loads and checks templates/reminders.yaml. `longestDaysLeft` is the largest of
 * REMINDER_DAYS_BEFORE_END; `content` gives the facts (office names) as they are.
 */
export function loadReminderTemplates(dir: string, content: Pick<Content, 'vars'>, longestDaysLeft: number): ReminderTemplates {
  const file = path.join(dir, 'reminders.yaml');
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new TemplateError(`templates/reminders.yaml: ${(err as Error).message}`);
  }
  const t = schema.safeParse(raw);
  if (!t.success) throw new TemplateError(`templates/reminders.yaml: ${t.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const spec = t.data;
  const longestName = `阿${'*'.repeat(NAME_MAX_CHARS - 2)}提`;
  const longest: Vars = {
    'window.year': '2099', 'window.start': '12月31日', 'window.end': '12月31日', 'window.suspendFrom': '2099年12月',
    who: [[{ maskedName: longestName }], Array(MAX_COUNT).fill({ maskedName: longestName }), Array(MAX_COUNT).fill({})]
      .map((people) => whoOf(people, spec))
      .reduce((a, b) => (chars(b) > chars(a) ? b : a)),
    deadline: '2099年12月31日',
    start: '2099年12月31日',
    daysLeft: String(longestDaysLeft),
  };
  const kindVars = new Set(Object.values(KIND_VARS).flat());
  for (const kind of ['beforeEnd', 'nextWindow'] as const) {
    // A kind's fields may use its own values only: {{daysLeft}} means nothing when a window opens.
    const probe = { ...content.vars, ...Object.fromEntries(Object.entries(longest).filter(([k]) => !kindVars.has(k) || KIND_VARS[kind].includes(k))) };
    for (const [field, text] of Object.entries(spec[kind])) {
      const where = `templates/reminders.yaml ${kind}.${field}`;
      const value = render(text, probe, where);
      if (/[\r\n]/.test(value)) throw new TemplateError(`${where}: a template field holds no line break`);
      if (chars(value) > FIELD_MAX_CHARS) {
        throw new TemplateError(`${where}: "${value}" is ${chars(value)} characters with the longest values it may hold; WeChat shows at most ${FIELD_MAX_CHARS}`);
      }
    }
  }
  return {
    ...(spec.url ? { url: spec.url } : {}),
    fill(kind, people, vars) {
      const values = { ...content.vars, ...vars, who: whoOf(people, spec) };
      // Checked at start-up against the longest plausible values; a value past them is cut, never refused.
      return Object.fromEntries(Object.entries(spec[kind]).map(([field, text]) => [field, [...render(text, values, field)].slice(0, FIELD_MAX_CHARS).join('')]));
    },
  };
}
