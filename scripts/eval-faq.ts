/**
 * Measures the FAQ matcher on a labelled question set and prints every miss.
 *
 *   npm run build && node dist/scripts/eval-faq.js [--set path | --all] [--min 0.9]
 *
 * Strict: an item counts when the matcher answers with (one of) the expected id(s), or, for an
 * off-topic item (expect null), does not answer. Helpful also counts a suggestion list that holds
 * an expected id. Exit code 1 when strict accuracy is below --min.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { flattenVars, type Vars } from '../src/content/render';
import { loadKnowledgeBase, match, type KnowledgeBase, type MatchResult } from '../src/faq';

export interface EvalItem {
  readonly q: string;
  readonly expect: string | readonly string[] | null;
  readonly style?: string;
}

export interface Miss {
  readonly q: string;
  readonly expected: string;
  readonly got: string;
  readonly style?: string;
}

export interface EvalReport {
  readonly total: number;
  readonly strict: number;
  readonly helpful: number;
  /** Per expected id ('(none)' for off-topic items): [correct, total]. */
  readonly recall: ReadonlyMap<string, readonly [number, number]>;
  readonly byStyle: ReadonlyMap<string, readonly [number, number]>;
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

/** Facts from templates/facts.yaml plus a sample certification window (the app takes it from config). */
export function sampleVars(root = repoRoot()): Vars {
  const facts = flattenVars(parse(readFileSync(join(root, 'templates/facts.yaml'), 'utf8')));
  return { ...facts, 'window.year': '2024', 'window.start': '3月11日', 'window.end': '6月30日', 'window.suspendFrom': '2024年7月' };
}

export function loadSampleKb(root = repoRoot()): KnowledgeBase {
  return loadKnowledgeBase(join(root, 'templates/faq'), sampleVars(root));
}

export function readSet(path: string): EvalItem[] {
  const items = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  if (!Array.isArray(items)) throw new Error(`${path}: expected a JSON array of {q, expect, style}`);
  return items as EvalItem[];
}

function describeResult(r: MatchResult): string {
  switch (r.kind) {
    case 'answer':
      return `answer ${r.entry.id} (${r.score.toFixed(2)})`;
    case 'suggest':
      return `suggest [${r.entries.map((e) => e.id).join(', ')}]`;
    case 'none':
      return 'none';
  }
}

export function evaluate(kb: KnowledgeBase, items: readonly EvalItem[]): EvalReport {
  let strict = 0;
  let helpful = 0;
  const recall = new Map<string, [number, number]>();
  const byStyle = new Map<string, [number, number]>();
  const misses: Miss[] = [];
  const bump = (m: Map<string, [number, number]>, key: string, ok: boolean): void => {
    const cell = m.get(key) ?? [0, 0];
    cell[0] += ok ? 1 : 0;
    cell[1] += 1;
    m.set(key, cell);
  };
  for (const item of items) {
    const expected = item.expect === null ? [] : typeof item.expect === 'string' ? [item.expect] : [...item.expect];
    const r = match(kb, item.q);
    const ok = expected.length === 0 ? r.kind !== 'answer' : r.kind === 'answer' && expected.includes(r.entry.id);
    const useful = ok || (r.kind === 'suggest' && r.entries.some((e) => expected.includes(e.id)));
    strict += ok ? 1 : 0;
    helpful += useful ? 1 : 0;
    for (const id of expected.length ? expected : ['(none)']) bump(recall, id, ok);
    bump(byStyle, item.style ?? '(unstyled)', ok);
    if (!ok) misses.push({ q: item.q, expected: expected.join('|') || 'null', got: describeResult(r), style: item.style });
  }
  const total = items.length;
  return { total, strict: total ? strict / total : 1, helpful: total ? helpful / total : 1, recall, byStyle, misses };
}

function printReport(name: string, report: EvalReport, kb: KnowledgeBase): void {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  console.log(`\n== ${name}: ${report.total} items`);
  console.log(`strict accuracy : ${pct(report.strict)}`);
  console.log(`helpful (answer or suggestion holding the expected id): ${pct(report.helpful)}`);
  console.log('per-entry recall:');
  const known = new Set(kb.entries.map((e) => e.id));
  for (const id of [...kb.entries.map((e) => e.id), '(none)', ...[...report.recall.keys()].filter((k) => !known.has(k) && k !== '(none)')]) {
    const cell = report.recall.get(id);
    if (!cell) continue;
    const flag = id === '(none)' || known.has(id) ? '' : '  <- not an id in the knowledge base';
    console.log(`  ${id.padEnd(28)} ${cell[0]}/${cell[1]}${flag}`);
  }
  console.log('by style:');
  for (const [style, [ok, n]] of report.byStyle) console.log(`  ${style.padEnd(28)} ${ok}/${n}`);
  console.log(`misses (${report.misses.length}):`);
  for (const m of report.misses) console.log(`  - ${JSON.stringify(m.q)}  expected ${m.expected}, got ${m.got}${m.style ? `  [${m.style}]` : ''}`);
}

function main(argv: readonly string[]): number {
  const root = repoRoot();
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i === -1 ? undefined : argv[i + 1];
  };
  const min = Number(arg('--min') ?? '0');
  if (Number.isNaN(min)) throw new Error('--min needs a number, e.g. --min 0.9');
  const sets: [string, string][] = argv.includes('--all')
    ? [['dev', join(root, 'test/faq/dev-set.json')], ['holdout', join(root, 'test/faq/holdout-set.json')]]
    : [[arg('--set') ?? 'dev', arg('--set') === undefined ? join(root, 'test/faq/dev-set.json') : resolve(arg('--set')!)]];
  const kb = loadSampleKb(root);
  let failed = false;
  for (const [name, path] of sets) {
    const report = evaluate(kb, readSet(path));
    printReport(name, report, kb);
    if (report.strict < min) {
      console.log(`FAIL: ${name} strict accuracy ${report.strict.toFixed(3)} is below --min ${min}`);
      failed = true;
    }
  }
  return failed ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
