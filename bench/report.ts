import { errorsOf, median, rps, type PhaseResult } from './fire';
import type { Contender } from './options';
import { percentile, type RateResult } from './rate';
import { tripsOf, type BatchTrips } from './round-trips';

/**
 * The benchmark's table: req/s per contender and round, the medians, the ratios against the
 * issue's targets, the open-loop latency, errors and Redis round trips per push. Missing a target
 * is reported, never an exit code: the harness fails only when it cannot measure.
 */
export type Priced = PhaseResult & { readonly cpu: Record<string, number> };

export interface ContenderResult {
  readonly id: Contender;
  readonly label: string;
  readonly rounds: readonly Priced[];
  /** FAQ question: a follower's first, then a repeat. */
  readonly trips: readonly BatchTrips[];
}

export interface Report {
  readonly contenders: readonly ContenderResult[];
  readonly dialogue: readonly Priced[];
  readonly rate: RateResult;
  readonly rateTarget: number;
  readonly dialogueTrips: readonly BatchTrips[];
}

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US').replace(/,/g, ' ') : '–');
const ms = (n: number) => `${n.toFixed(1)} ms`;
const usec = (n: number) => (Number.isFinite(n) ? `${(n * 1e6).toFixed(0)} µs` : '–');
const trips = (t: readonly BatchTrips[]) => (t.length ? t.map((b) => tripsOf(b).toFixed(2)).join(' / ') : 'not counted');
const detail = (t: BatchTrips | undefined) => (t ? [...t.perPush].map(([c, n]) => `${c} ${n.toFixed(2)}`).join(', ') : '');

function cpuPerPush(rounds: readonly Priced[]): string {
  const per = (key: string) => median(rounds.map((r) => (r.cpu[key] ?? NaN) / (r.good + r.bad)));
  const redis = per('redis');
  return Number.isFinite(redis) ? `${usec(per('server'))} + ${usec(redis)}` : usec(per('server'));
}

export function formatReport(r: Report): string[] {
  const lines: string[] = [];
  const n = Math.max(...r.contenders.map((c) => c.rounds.length));
  const head = Array.from({ length: n }, (_, i) => `#${i + 1}`.padStart(7)).join('');
  lines.push(`  ${'contender'.padEnd(40)}${head}   median   CPU/push (server + redis)   errors   round trips (first / repeat)`);
  const row = (label: string, rounds: readonly Priced[], t: string) =>
    `  ${label.padEnd(40)}${rounds.map((p) => int(rps(p)).padStart(7)).join('')}${' '.repeat(7 * (n - rounds.length))}` +
    `${int(median(rounds.map(rps))).padStart(9)}   ${cpuPerPush(rounds).padEnd(26)}${String(rounds.reduce((s, p) => s + errorsOf(p), 0)).padStart(7)}   ${t}`;
  for (const c of r.contenders) lines.push(row(c.label, c.rounds, trips(c.trips)));
  if (r.dialogue.length) lines.push(row('app, whole dialogue script', r.dialogue, 'by step below'));
  lines.push('  (req/s: autocannon, closed loop; each column one round, the contenders taking turns; CPU/push: medians)');

  const p50 = percentile(r.rate.latencies, 50);
  const p99 = percentile(r.rate.latencies, 99);
  lines.push(
    `  app at a fixed ${r.rateTarget} req/s (open loop, latency from when each push was due): ${int(r.rate.sent / r.rate.seconds)} req/s, ` +
      `p50 ${ms(p50)}, p99 ${ms(p99)}, max ${ms(r.rate.latencies.at(-1) ?? NaN)}, errors ${r.rate.errors}`,
  );
  // Latency counts from when a push was due, so a starved generator shows as latency too: say so.
  const kept = r.rate.sent / r.rate.seconds / r.rateTarget;
  if (kept < 0.95) lines.push(`  (the rate was not kept, ${(100 * kept).toFixed(0)} % of it: the machine is overloaded, so that latency is not the app's alone)`);

  const med = (id: Contender) => {
    const c = r.contenders.find((x) => x.id === id);
    return c ? median(c.rounds.map(rps)) : NaN;
  };
  /** Median CPU seconds a push costs its server and Redis together. */
  const cpuOf = (id: Contender) => {
    const c = r.contenders.find((x) => x.id === id);
    return c ? median(c.rounds.map((p) => ((p.cpu.server ?? NaN) + (p.cpu.redis ?? 0)) / (p.good + p.bad))) : NaN;
  };
  const app = med('app');
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const ratio = (name: string, id: Contender, target: number | null, of: Contender = 'app') => {
    const x = (of === 'app' ? app : med(of)) / med(id);
    if (!Number.isFinite(x)) return;
    const verdict = target === null ? '(for reference)' : `target ≥ ${target.toFixed(1)}: ${mark(x >= target)}`;
    // CPU per push is steadier than req/s when neighbours share the cores: the same ratio, priced in CPU.
    const byCpu = cpuOf(id) / cpuOf(of);
    lines.push(`  ${name.padEnd(28)} ${x.toFixed(2).padStart(6)}   ${verdict.padEnd(22)} by CPU per push (server + redis): ${byCpu.toFixed(2)}`);
  };
  lines.push('', 'against the targets (issue 11; medians of the rounds):');
  ratio('app / peer', 'peer', 1.0);
  ratio('app / (floor + store)', 'floor-store', 0.8);
  ratio('app / (Koa + store)', 'koa-store', null);
  ratio('Koa + store / floor + store', 'floor-store', null, 'koa-store');
  ratio('app / floor', 'floor', null);
  lines.push(`  ${`p99 at ${r.rateTarget} req/s`.padEnd(28)} ${ms(p99).padStart(9)}   target ≤ 50 ms: ${mark(p99 <= 50)}`);
  const errors = r.contenders.reduce((s, c) => s + c.rounds.reduce((t, p) => t + errorsOf(p), 0), 0) + r.dialogue.reduce((s, p) => s + errorsOf(p), 0) + r.rate.errors;
  lines.push(`  ${'errors'.padEnd(28)} ${String(errors).padStart(6)}   target 0: ${mark(errors === 0)} (connection errors, answers slower than 5 s, non-2xx, 系统繁忙 or empty replies)`);

  lines.push('', 'redis commands per push, FAQ question (first / repeat; Lua-internal commands not counted):');
  for (const c of r.contenders) {
    if (c.trips.length) lines.push(`  ${c.label.padEnd(40)} ${trips(c.trips).padEnd(12)} ${detail(c.trips[1] ?? c.trips[0])}`);
  }
  if (r.dialogueTrips.length) {
    lines.push('the app\'s redis commands per push, by step of the dialogue script:');
    r.dialogueTrips.forEach((t, step) => lines.push(`  ${String(step).padStart(2)}  ${tripsOf(t).toFixed(2)}  ${detail(t).padEnd(36)} ${t.name}`));
    const mean = r.dialogueTrips.reduce((s, t) => s + tripsOf(t), 0) / r.dialogueTrips.length;
    lines.push(`  mean over the script: ${mean.toFixed(2)} (the ID and confirm steps read the certification record by design; confirm also stores the face-check link)`);
  }
  return lines;
}
