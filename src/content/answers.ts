import { z } from 'zod';
import { TemplateError } from './render';

/**
 * The word lists of templates/answers.yaml (how a step reads what people send) and the FAQ groups
 * of templates/topics.yaml, checked once at start-up. Words are kept as `commandWord` folds them
 * (no spaces, punctuation or case), so a list entry and a follower's text compare as equals.
 */

const words = z.array(z.union([z.string(), z.number()]).transform(String)).min(1);
export const FIELDS = ['category', 'id', 'name', 'phone'] as const;
export type Field = (typeof FIELDS)[number];

const answersSchema = z.object({
  namePrefixes: words,
  labels: words,
  notNames: words,
  notNameChars: z.string().min(1),
  notNameWords: words,
  categoryWords: z.array(words).length(5),
  fieldWords: z.object({ category: words, id: words, name: words, phone: words }),
  wrongWords: words,
  retryWords: words,
  faceTroubleWords: words,
});

export interface AnswerWords {
  /** Longest first, so 我的名字叫 is stripped before 我. */
  readonly namePrefixes: readonly string[];
  readonly labels: readonly string[];
  readonly notNames: ReadonlySet<string>;
  readonly notNameChars: ReadonlySet<string>;
  readonly notNameWords: readonly string[];
  /** Per category (in the order of messages.yaml), its words, its own name among them. */
  readonly categoryWords: readonly (readonly string[])[];
  readonly fieldWords: Readonly<Record<Field, readonly string[]>>;
  readonly wrongWords: readonly string[];
  readonly retryWords: readonly string[];
  readonly faceTroubleWords: readonly string[];
}

const topicsSchema = z.object({
  groups: z.array(z.object({ title: z.string().min(1), entries: z.array(z.string().min(1)).min(1) })).min(1),
});
/** One group of the 常见问题 list: a title and the ids of its FAQ entries, in order. */
export interface TopicGroup {
  readonly title: string;
  readonly entries: readonly string[];
}

const longestFirst = (list: readonly string[]) => [...new Set(list)].sort((a, b) => b.length - a.length);

export function parseAnswers(raw: unknown, fold: (s: string) => string, categoryNames: readonly string[]): AnswerWords {
  const r = answersSchema.safeParse(raw);
  if (!r.success) throw new TemplateError(`templates/answers.yaml: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const a = r.data;
  const folded = (list: readonly string[]) => longestFirst(list.map(fold).filter((w) => w !== ''));
  return Object.freeze({
    namePrefixes: folded(a.namePrefixes),
    labels: folded(a.labels),
    notNames: new Set(folded(a.notNames)),
    notNameChars: new Set([...a.notNameChars]),
    notNameWords: folded(a.notNameWords),
    categoryWords: a.categoryWords.map((list, i) => folded([...list, categoryNames[i] ?? ''])),
    fieldWords: { category: folded(a.fieldWords.category), id: folded(a.fieldWords.id), name: folded(a.fieldWords.name), phone: folded(a.fieldWords.phone) },
    wrongWords: folded(a.wrongWords),
    retryWords: folded(a.retryWords),
    faceTroubleWords: folded(a.faceTroubleWords),
  });
}

export function parseTopics(raw: unknown): readonly TopicGroup[] {
  const r = topicsSchema.safeParse(raw);
  if (!r.success) throw new TemplateError(`templates/topics.yaml: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const seen = new Set<string>();
  for (const id of r.data.groups.flatMap((g) => g.entries)) {
    if (seen.has(id)) throw new TemplateError(`templates/topics.yaml: ${id} is listed twice`);
    seen.add(id);
  }
  return Object.freeze(r.data.groups);
}

/**
 * Checks the groups against the knowledge base: an id it does not have stops start-up (the list
 * would offer a question with no answer). Returns the entries no group lists, to be warned about.
 */
export function checkTopics(groups: readonly TopicGroup[], known: readonly string[]): string[] {
  const ids = new Set(known);
  const missing = groups.flatMap((g) => g.entries).filter((id) => !ids.has(id));
  if (missing.length) throw new TemplateError(`templates/topics.yaml: no FAQ entry with id ${missing.join(', ')}`);
  const listed = new Set(groups.flatMap((g) => g.entries));
  return known.filter((id) => !listed.has(id));
}
