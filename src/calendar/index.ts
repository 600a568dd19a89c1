import type { Config } from '../config';

/**
 * The one calendar of the service: China's date (UTC+8, no summer time), the certification cycle
 * and window in force on a day, where a day stands against the window, and dates as a follower
 * reads them. Everything here is pure; "now" is always passed in.
 */
export type CertSettings = Config['cert'];

/** Where a day stands against the window: certify later, now, or now with payment paid back. */
export type Phase = 'before' | 'during' | 'after';

const CHINA_OFFSET_MS = 8 * 3600_000;

/** China's calendar date of `ms`, as YYYY-MM-DD. */
export const chinaDate = (ms: number): string => new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);

/** China's wall-clock time of `ms`, as HH:mm (a link's "valid until"). */
export const chinaTime = (ms: number): string => new Date(ms + CHINA_OFFSET_MS).toISOString().slice(11, 16);

/** China's date and time of `ms` to the second, as the office reads it: 2026-04-15 10:00:00. */
export const chinaDateTime = (ms: number): string => new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');

/** Midnight in China that starts the day `date` (YYYY-MM-DD), in epoch ms. */
export const chinaMidnight = (date: string): number => Date.parse(`${date}T00:00:00+08:00`);

/** The window and cycle in force at `ms`: a window that follows the clock moves to the new year. */
export function cycleAt(cert: CertSettings, ms: number): CertSettings {
  if (!cert.followsClock) return cert;
  const year = Number(chinaDate(ms).slice(0, 4));
  if (year === cert.cycle) return cert;
  return { ...cert, cycle: year, windowStart: `${year}${cert.windowStart.slice(4)}`, windowEnd: `${year}${cert.windowEnd.slice(4)}` };
}

/** One day in ms: China has no summer time, so every day is this long. */
export const DAY_MS = 24 * 3600_000;

/** The China date `n` days after `date` (before it when negative); both YYYY-MM-DD. */
export const addDays = (date: string, n: number): string => chinaDate(chinaMidnight(date) + n * DAY_MS);

/** Whole days from `from` to `to` (YYYY-MM-DD): 0 on the same day, negative when `to` is earlier. */
export const daysBetween = (from: string, to: string): number => Math.round((chinaMidnight(to) - chinaMidnight(from)) / DAY_MS);

/**
 * The window of any cycle: the one in force for its own year, the same days of the year for
 * another (what a window that follows the clock does, and the best guess for a year the office
 * has not set yet). Reminders use it to know how long what they keep is needed.
 */
export function windowOf(cert: CertSettings, cycle: number): { readonly windowStart: string; readonly windowEnd: string } {
  if (cycle === cert.cycle) return { windowStart: cert.windowStart, windowEnd: cert.windowEnd };
  return { windowStart: `${cycle}${cert.windowStart.slice(4)}`, windowEnd: `${cycle}${cert.windowEnd.slice(4)}` };
}

export function phaseOf(cert: CertSettings, today: string): Phase {
  if (today < cert.windowStart) return 'before';
  return today > cert.windowEnd ? 'after' : 'during';
}

/** Today as the dialogue and the knowledge base see it. */
export interface Today {
  /** YYYY-MM-DD in China. */
  readonly date: string;
  readonly cert: CertSettings;
  readonly phase: Phase;
}

/** The last day asked for: every push asks for today, several times, and today lasts a day. */
let lastDay: { readonly cert: CertSettings; readonly from: number; readonly to: number; readonly today: Today } | undefined;

export function todayAt(cert: CertSettings, ms: number): Today {
  const last = lastDay;
  if (last !== undefined && last.cert === cert && ms >= last.from && ms < last.to) return last.today;
  const c = cycleAt(cert, ms);
  const date = chinaDate(ms);
  const today: Today = Object.freeze({ date, cert: c, phase: phaseOf(c, date) });
  const from = chinaMidnight(date);
  lastDay = { cert, from, to: from + DAY_MS, today };
  return today;
}

/** 2024-03-11 → 3月11日. */
export const monthDay = (d: string) => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

/** 2024-03-11 → 2024年3月11日, as a follower reads a date. */
export const cnDate = (d: string) => `${d.slice(0, 4)}年${monthDay(d)}`;

/** What the window offers templates: year, start, end, and the month from which payment stops. */
export function windowVars(cert: CertSettings): Readonly<Record<string, string>> {
  const endMonth = Number(cert.windowEnd.slice(5, 7));
  const endYear = Number(cert.windowEnd.slice(0, 4));
  const suspendFrom = endMonth === 12 ? `${endYear + 1}年1月` : `${endYear}年${endMonth + 1}月`;
  return { 'window.year': String(cert.cycle), 'window.start': monthDay(cert.windowStart), 'window.end': monthDay(cert.windowEnd), 'window.suspendFrom': suspendFrom };
}

/** Minutes of a duration as a follower reads them: never "0分钟". */
export const minutesOf = (ms: number) => String(Math.max(1, Math.round(ms / 60_000)));
