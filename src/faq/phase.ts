import type { Phase } from './types';

/**
 * Where `today` (YYYY-MM-DD in China) falls against the window [start, end], both inclusive. Dates
 * in this form compare as strings, so no time zone can shift a day.
 */
export function phaseOf(today: string, window: { readonly windowStart: string; readonly windowEnd: string }): Phase {
  if (today < window.windowStart) return 'before';
  return today > window.windowEnd ? 'after' : 'during';
}
