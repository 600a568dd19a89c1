import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time by function and by where the
 * code lives (a package, a file of ours, node's internals, GC, idle). Usage:
 *   node dist/bench/profile.js <file.cpuprofile | folder> [top]
 */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly byFunction: readonly { name: string; ms: number }[];
  readonly byPlace: readonly { name: string; ms: number }[];
}

function place(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const dist = url.indexOf('/dist/');
  return dist !== -1 ? url.slice(dist + 6) : path.basename(url);
}

export function summarise(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const fnMs = new Map<string, number>();
  const placeMs = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url ? `${place(url, functionName)}:${lineNumber + 1}` : ''}`.trim();
    fnMs.set(name, (fnMs.get(name) ?? 0) + ms);
    const where = place(url, functionName);
    placeMs.set(where, (placeMs.get(where) ?? 0) + ms);
    total += ms;
  });
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => ({ name, ms }));
  return { totalMs: total, byFunction: sorted(fnMs), byPlace: sorted(placeMs) };
}

export function formatSummary(s: ProfileSummary): string {
  const pct = (ms: number) => `${((100 * ms) / s.totalMs).toFixed(1).padStart(5)} %`;
  const busy = s.totalMs - (s.byPlace.find((p) => p.name === '(idle)')?.ms ?? 0);
  return [
    `profile: ${(s.totalMs / 1000).toFixed(1)} s sampled, ${(busy / 1000).toFixed(1)} s not idle`,
    'self time by place:',
    ...s.byPlace.map((p) => `  ${pct(p.ms)}  ${p.name}`),
    'self time by function:',
    ...s.byFunction.map((f) => `  ${pct(f.ms)}  ${f.name}`),
  ].join('\n');
}

/** The newest .cpuprofile in a folder. */
export function newestProfile(dir: string): string | null {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(dir, f));
  return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0] ?? null;
}

if (require.main === module) {
  const target = process.argv[2];
  if (!target) {
    process.stderr.write('usage: node dist/bench/profile.js <file.cpuprofile | folder> [top]\n');
    process.exit(2);
  }
  const file = statSync(target).isDirectory() ? newestProfile(target) : target;
  if (!file) throw new Error(`no .cpuprofile in ${target}`);
  process.stdout.write(`${file}\n${formatSummary(summarise(file, Number(process.argv[3] ?? 30)))}\n`);
}
