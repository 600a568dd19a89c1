import { addDays, daysBetween, type Today } from '../calendar';
import type { Store } from '../store';
import type { Layout } from '../store/layout';
import { FAIL_REASONS, type FailReason } from './fields';

/** One China day's counters, as numbers. */
export interface Day {
  readonly date: string;
  readonly counts: Readonly<Record<string, number>>;
}

/** Counters are looked for from a month before the cycle's year on; a cycle never spans more days than this. */
const MAX_DAYS = 800;

/** Every day of `cycle` up to `today` that has counters, read in one pipelined round trip. */
export async function readCycle(store: Store, layout: Layout, cycle: number, today: string): Promise<Day[]> {
  const span = Math.min(daysBetween(`${cycle - 1}-12-01`, today) + 1, MAX_DAYS);
  const dates = Array.from({ length: Math.max(0, span) }, (_, i) => addDays(today, i - span + 1));
  const hashes = await Promise.all(dates.map((d) => store.readHash(layout.stats(cycle, d).key)));
  return dates.flatMap((date, i) => {
    const counts = Object.fromEntries(Object.entries(hashes[i] ?? {}).map(([f, v]) => [f, Number(v)]).filter(([, n]) => Number.isFinite(n)));
    return Object.keys(counts).length ? [{ date, counts }] : [];
  });
}

/** The stages of the funnel, in order; labels come from templates/admin/labels.yaml. */
export const FUNNEL = ['began', 'step:category', 'step:id', 'step:name', 'step:phone', 'step:confirm', 'linkIssued', 'linkOpened', 'providerStarted', 'passed'] as const;
export type FunnelStage = (typeof FUNNEL)[number];

export interface SummaryLabels {
  readonly funnel: Readonly<Record<FunnelStage, string>>;
  readonly reasons: Readonly<Record<FailReason, string>>;
  readonly unknownCategory: string;
}

export interface SummaryOptions {
  readonly today: Today;
  /** Category names in the order of templates/messages.yaml. */
  readonly categories: readonly string[];
  /** The question of a knowledge-base entry, by id. */
  readonly question: (id: string) => string | undefined;
  readonly labels: SummaryLabels;
}

export type Summary = ReturnType<typeof summarize>;

/**
 * The cycle's numbers as the console shows them and /admin/api/summary answers them: counts only,
 * under labels from the templates. Pure.
 */
export function summarize(days: readonly Day[], o: SummaryOptions) {
  const total = (field: string) => days.reduce((sum, d) => sum + (d.counts[field] ?? 0), 0);
  const { cert } = o.today;
  const totals = {
    started: total('began'),
    linkIssued: total('linkIssued'),
    linkOpened: total('linkOpened'),
    passed: total('passed'),
    failed: total('failed'),
    alreadyCertified: total('alreadyCertified'),
    notFinished: 0,
  };
  totals.notFinished = Math.max(0, totals.started - totals.passed - totals.failed - totals.alreadyCertified);

  const stages = FUNNEL.filter((s) => s !== 'providerStarted' || total(s) > 0);
  const funnel = stages.map((stage, i) => {
    const count = total(stage);
    const next = stages[i + 1];
    return {
      stage, label: o.labels.funnel[stage], count,
      percentOfStarted: totals.started ? Math.round((count / totals.started) * 1000) / 10 : null,
      stoppedHere: next === undefined ? null : Math.max(0, count - total(next)),
    };
  });

  const countingSince = days[0]?.date ?? null;
  const first = countingSince !== null && countingSince < cert.windowStart ? countingSince : cert.windowStart;
  const last = o.today.date > cert.windowEnd ? o.today.date : cert.windowEnd;
  const byDate = new Map(days.map((d) => [d.date, d.counts]));
  const byDay = Array.from({ length: Math.min(daysBetween(first, last) + 1, MAX_DAYS) }, (_, i) => {
    const date = addDays(first, i);
    const c = byDate.get(date) ?? {};
    return { date, future: date > o.today.date, started: c.began ?? 0, linkIssued: c.linkIssued ?? 0, passed: c.passed ?? 0, failed: c.failed ?? 0 };
  });

  const categoryRow = (ref: number | 'x', label: string) => ({
    index: ref, label,
    reachedId: total(`cat:${ref}:step:id`), linkIssued: total(`cat:${ref}:linkIssued`), linkOpened: total(`cat:${ref}:linkOpened`),
    passed: total(`cat:${ref}:passed`), failed: total(`cat:${ref}:failed`), alreadyCertified: total(`cat:${ref}:alreadyCertified`),
  });
  const unknown = categoryRow('x', o.labels.unknownCategory);
  const seen = (r: typeof unknown) => r.reachedId + r.linkIssued + r.linkOpened + r.passed + r.failed + r.alreadyCertified > 0;
  // A category renamed in the templates mid-cycle keeps its earlier counts under 'x'.
  const byCategory = [...o.categories.map((name, i) => categoryRow(i, name)), ...(seen(unknown) ? [unknown] : [])];

  const entries = new Map<string, number>();
  for (const d of days) for (const [field, n] of Object.entries(d.counts)) if (field.startsWith('faq:entry:')) entries.set(field.slice(10), (entries.get(field.slice(10)) ?? 0) + n);

  return {
    cycle: cert.cycle,
    today: o.today.date,
    window: {
      start: cert.windowStart, end: cert.windowEnd, phase: o.today.phase,
      daysLeft: Math.max(0, daysBetween(o.today.date, cert.windowEnd) + 1),
      daysToStart: Math.max(0, daysBetween(o.today.date, cert.windowStart)),
    },
    countingSince,
    totals,
    funnel,
    byDay,
    byCategory,
    failures: FAIL_REASONS.map((reason) => ({ reason, label: o.labels.reasons[reason], count: total(`fail:${reason}`) })).filter((f) => f.count > 0),
    questions: {
      answered: total('faq:answered'), suggested: total('faq:suggested'), unanswered: total('faq:unanswered'),
      entries: [...entries].map(([id, count]) => ({ id, question: o.question(id) ?? id, count })).sort((a, b) => b.count - a.count || a.id.localeCompare(b.id)),
    },
  };
}
