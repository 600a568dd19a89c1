/**
 * Measures what a follower gets for each question of a labelled set, and prints every miss.
 *
 *   npm run eval:faq [-- --set FILE [--set FILE…] | --all] [--min 0.9] [--phase during]
 *
 * Each text goes through `classify` — the one function the dialogue uses outside a step — so
 * command words, pleasantries, fragments, two-question messages and the matcher are measured
 * together. Strict: an item counts when
 *   expect: id | [ids]    one answer, or two that are all among the ids;
 *   expect: null          no answer of this account's (the honest "not here" reply is fine);
 *   expectAll: [a, b]     both answered in the one reply;
 *   expectKind            start (the certification begins), pleasantry, or menu (a fragment).
 * Helpful also counts a suggestion list that holds an expected id. Exit code 1 when strict
 * accuracy of any set is below --min.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Config } from '../src/config';
import { loadContent } from '../src/content';
import { flattenVars, type Vars } from '../src/content/render';
import { classify, loadKnowledgeBase, type Classified, type KnowledgeBase, type Phase, type Words } from '../src/faq';

const ids = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const itemSchema = z
  .object({
    q: z.string(),
    pattern: z.enum(['single', 'situation', 'two-in-one', 'vague', 'off-topic', 'new-topic']).optional(),
    style: z.string().optional(),
    expect: ids.nullable().optional(),
    expectAll: z.array(z.string().min(1)).min(2).optional(),
    expectKind: z.enum(['start', 'pleasantry', 'menu']).optional(),
  })
  .refine((i) => [i.expect !== undefined, i.expectAll !== undefined, i.expectKind !== undefined].filter(Boolean).length === 1, {
    message: 'needs exactly one of expect, expectAll, expectKind',
  });
export type EvalItem = z.infer<typeof itemSchema>;

export interface Miss {
  readonly q: string;
  readonly expected: string;
  readonly got: string;
  readonly pattern?: string;
  readonly style?: string;
}

type Cells = ReadonlyMap<string, readonly [number, number]>;
export interface EvalReport {
  readonly total: number;
  readonly strict: number;
  readonly helpful: number;
  /** Per expected id ('(none)' for off-topic items, 'kind:…' for expectKind): [correct, total]. */
  readonly recall: Cells;
  readonly byPattern: Cells;
  readonly byStyle: Cells;
  readonly misses: readonly Miss[];
}

/** The repository root, found from this file whether it runs from scripts/ (jest) or dist/scripts/. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

/** The notice's window (2024-03-11 to 2024-06-30), as the app would take it from config. */
export const SAMPLE_CERT: Config['cert'] = {
  windowStart: '2024-03-11',
  windowEnd: '2024-06-30',
  cycle: 2024,
  followsClock: false,
  dialogueIdleMs: 30 * 60_000,
  faceCheckTokenMs: 15 * 60_000,
};

/** Facts from templates/facts.yaml plus the sample window's values. */
export function sampleVars(root = repoRoot()): Vars {
  const facts = flattenVars(parse(readFileSync(join(root, 'templates/facts.yaml'), 'utf8')));
  return { ...facts, 'window.year': '2024', 'window.start': '3月11日', 'window.end': '6月30日', 'window.suspendFrom': '2024年7月' };
}

export function loadSampleKb(root = repoRoot(), phase: Phase = 'during'): KnowledgeBase {
  return loadKnowledgeBase(join(root, 'templates/faq'), sampleVars(root), phase);
}

/** The command words of templates/commands.yaml, as the app loads them. */
export function loadSampleWords(root = repoRoot()): Words {
  const { commands } = loadContent(join(root, 'templates'), SAMPLE_CERT);
  return { start: commands.start, help: commands.help, greet: commands.greet, thanks: commands.thanks };
}

export function readSet(path: string): EvalItem[] {
  const parsed = z.array(itemSchema).safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((i) => `[${i.path.join('.')}] ${i.message}`).join('; ')}`);
  return parsed.data;
}

export function describeResult(c: Classified): string {
  switch (c.kind) {
    case 'command':
      return `command ${c.command}`;
    case 'answer':
      return `answer ${c.entries.map((e) => (e.scope === 'elsewhere' ? `${e.id} (not ours)` : e.id)).join(' + ')}`;
    case 'suggest':
      return `suggest [${c.entries.map((e) => e.id).join(', ')}]`;
    case 'pleasantry':
    case 'vague':
    case 'none':
      return c.kind;
  }
}

const answered = (c: Classified): string[] => (c.kind === 'answer' ? c.entries.filter((e) => e.scope === 'faq').map((e) => e.id) : []);

/** Whether the follower got what the item asks for (strict), and whether a suggestion at least held it. */
export function judge(item: EvalItem, c: Classified): { ok: boolean; helpful: boolean } {
  const got = answered(c);
  if (item.expectKind !== undefined) {
    const ok =
      item.expectKind === 'start'
        ? c.kind === 'command' && c.command === 'start'
        : item.expectKind === 'pleasantry'
          ? c.kind === 'pleasantry' || (c.kind === 'command' && c.command === 'greet')
          : c.kind === 'vague' || (c.kind === 'command' && c.command !== 'start');
    return { ok, helpful: ok };
  }
  if (item.expectAll !== undefined) {
    const ok = item.expectAll.every((id) => got.includes(id)) && got.every((id) => item.expectAll!.includes(id));
    return { ok, helpful: ok || got.some((id) => item.expectAll!.includes(id)) };
  }
  if (item.expect === null || item.expect === undefined) {
    const ok = got.length === 0;
    return { ok, helpful: ok };
  }
  const expected: readonly string[] = typeof item.expect === 'string' ? [item.expect] : item.expect;
  const ok = got.length > 0 && got.every((id) => expected.includes(id));
  return { ok, helpful: ok || (c.kind === 'suggest' && c.entries.some((e) => expected.includes(e.id))) };
}

const expectedOf = (item: EvalItem): string =>
  item.expectKind !== undefined
    ? `kind:${item.expectKind}`
    : item.expectAll !== undefined
      ? item.expectAll.join(' + ')
      : item.expect === null || item.expect === undefined
        ? 'null'
        : typeof item.expect === 'string'
          ? item.expect
          : item.expect.join('|');

export function evaluate(kb: KnowledgeBase, words: Words, items: readonly EvalItem[]): EvalReport {
  let strict = 0;
  let helpful = 0;
  const recall = new Map<string, [number, number]>();
  const byPattern = new Map<string, [number, number]>();
  const byStyle = new Map<string, [number, number]>();
  const misses: Miss[] = [];
  const bump = (m: Map<string, [number, number]>, key: string, ok: boolean): void => {
    const cell = m.get(key) ?? [0, 0];
    cell[0] += ok ? 1 : 0;
    cell[1] += 1;
    m.set(key, cell);
  };
  for (const item of items) {
    const c = classify(kb, words, item.q);
    const j = judge(item, c);
    strict += j.ok ? 1 : 0;
    helpful += j.helpful ? 1 : 0;
    const keys =
      item.expectKind !== undefined
        ? [`kind:${item.expectKind}`]
        : (item.expectAll ?? (item.expect === null || item.expect === undefined ? ['(none)'] : typeof item.expect === 'string' ? [item.expect] : item.expect));
    for (const id of keys) bump(recall, id, j.ok);
    bump(byPattern, item.pattern ?? '(no pattern)', j.ok);
    bump(byStyle, item.style ?? '(unstyled)', j.ok);
    if (!j.ok) misses.push({ q: item.q, expected: expectedOf(item), got: describeResult(c), pattern: item.pattern, style: item.style });
  }
  const total = items.length;
  return { total, strict: total ? strict / total : 1, helpful: total ? helpful / total : 1, recall, byPattern, byStyle, misses };
}

/**
 * Mean CPU time to classify one question, in milliseconds, over `rounds` passes after a warm-up
 * pass. CPU time rather than wall time, so that other work on a shared machine does not count.
 */
export function timePerQuestion(kb: KnowledgeBase, words: Words, items: readonly EvalItem[], rounds = 20): number {
  for (const item of items) classify(kb, words, item.q);
  const start = process.cpuUsage();
  for (let r = 0; r < rounds; r++) for (const item of items) classify(kb, words, item.q);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / Math.max(1, rounds * items.length);
}

const pct = (ok: number, n: number): string => `${ok}/${n} ${(n ? (100 * ok) / n : 100).toFixed(1)}%`;

function printReport(name: string, report: EvalReport, kb: KnowledgeBase): void {
  console.log(`\n== ${name}: ${report.total} items`);
  console.log(`strict accuracy : ${(report.strict * 100).toFixed(1)}%`);
  console.log(`helpful (answer or suggestion holding the expected id): ${(report.helpful * 100).toFixed(1)}%`);
  console.log('by pattern:');
  for (const [p, [ok, n]] of report.byPattern) console.log(`  ${p.padEnd(28)} ${pct(ok, n)}`);
  console.log('by style:');
  for (const [s, [ok, n]] of report.byStyle) console.log(`  ${s.padEnd(28)} ${pct(ok, n)}`);
  console.log('per-entry recall:');
  const known = new Set(kb.entries.map((e) => e.id));
  const rest = [...report.recall.keys()].filter((k) => !known.has(k)).sort();
  for (const id of [...kb.entries.map((e) => e.id), ...rest]) {
    const cell = report.recall.get(id);
    if (!cell) continue;
    const flag = known.has(id) || id === '(none)' || id.startsWith('kind:') ? '' : '  <- not an id in the knowledge base';
    console.log(`  ${id.padEnd(28)} ${cell[0]}/${cell[1]}${flag}`);
  }
  console.log(`misses (${report.misses.length}):`);
  for (const m of report.misses) {
    const tags = [m.pattern, m.style].filter(Boolean).join(', ');
    console.log(`  - ${JSON.stringify(m.q)}  expected ${m.expected}, got ${m.got}${tags ? `  [${tags}]` : ''}`);
  }
}

function main(argv: readonly string[]): number {
  const root = repoRoot();
  const { values } = parseArgs({
    args: [...argv],
    options: {
      set: { type: 'string', multiple: true },
      all: { type: 'boolean', default: false },
      min: { type: 'string', default: '0' },
      phase: { type: 'string', default: 'during' },
    },
    strict: true,
  });
  const min = Number(values.min);
  if (Number.isNaN(min)) throw new Error('--min needs a number, e.g. --min 0.9');
  const phase = z.enum(['before', 'during', 'after']).parse(values.phase);
  const faqSets = (...names: string[]) => names.map((n): [string, string] => [n, join(root, `test/faq/${n}-set.json`)]);
  const sets: [string, string][] = [
    ...(values.all ? faqSets('dev', 'holdout', 'tuning') : []),
    ...(values.set ?? []).map((f): [string, string] => [f, resolve(f)]),
  ];
  if (sets.length === 0) sets.push(...faqSets('dev'));
  const kb = loadSampleKb(root, phase);
  const words = loadSampleWords(root);
  let failed = false;
  const everything: EvalItem[] = [];
  for (const [name, path] of sets) {
    const items = readSet(path);
    everything.push(...items);
    const report = evaluate(kb, words, items);
    printReport(name, report, kb);
    if (report.strict < min) {
      console.log(`FAIL: ${name} strict accuracy ${report.strict.toFixed(3)} is below --min ${min}`);
      failed = true;
    }
  }
  const ms = timePerQuestion(kb, words, everything);
  console.log(`\ntime per question: ${(ms * 1000).toFixed(1)} µs of CPU (mean over ${everything.length} questions × 20, phase ${phase})`);
  return failed ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
