import { addDays, chinaDate, chinaMidnight, DAY_MS, todayAt, type CertSettings } from '../calendar';
import type { ReminderKind } from './templates';

/**
 * Which reminders fall on a China day: the window's first day reminds last cycle's certifiers;
 * each of REMINDER_DAYS_BEFORE_END days before its last day reminds those who began this cycle.
 */
export interface Due {
  /** Unique per cycle and reminder (`2026:end-7`, `2026:start`): each follower gets each once. */
  readonly id: string;
  readonly kind: ReminderKind;
  /** The cycle in force: its window, and its marks say who is already certified. */
  readonly cycle: number;
  /** The cycle whose entries say whom to remind (the one before, when a window opens). */
  readonly entriesOf: number;
  /** Days from this day to the window's last day (beforeEnd only). */
  readonly daysLeft?: number;
  readonly windowStart: string;
  readonly windowEnd: string;
}

export function dueOn(cert: CertSettings, now: number, daysBeforeEnd: readonly number[]): { date: string; due: Due[] } {
  const today = todayAt(cert, now);
  const c = today.cert;
  const window = { windowStart: c.windowStart, windowEnd: c.windowEnd };
  const due: Due[] = [];
  if (today.date === c.windowStart) due.push({ id: `${c.cycle}:start`, kind: 'nextWindow', cycle: c.cycle, entriesOf: c.cycle - 1, ...window });
  for (const days of daysBeforeEnd) {
    const on = addDays(c.windowEnd, -days);
    if (on === today.date && on >= c.windowStart) due.push({ id: `${c.cycle}:end-${days}`, kind: 'beforeEnd', cycle: c.cycle, entriesOf: c.cycle, daysLeft: days, ...window });
  }
  return { date: today.date, due };
}

/** The next time the daily job runs: `hour`:00 China time, today if it is still ahead, else tomorrow. */
export function nextRunAt(now: number, hour: number): number {
  const today = chinaMidnight(chinaDate(now)) + hour * 3600_000;
  return today > now ? today : today + DAY_MS;
}
