import { loadConfig } from '../../src/config';
import { todayAt } from '../../src/calendar';

/**
 * `todayAt` is asked several times a push and keeps the last day it computed: what it keeps must
 * never outlive China's midnight, nor answer for another window's settings.
 */
const fixed = loadConfig({ NODE_ENV: 'test', CERT_WINDOW_START: '2026-03-11', CERT_WINDOW_END: '2026-06-30' }).cert;
const clock = loadConfig({ NODE_ENV: 'test' }).cert;
const at = (iso: string) => Date.parse(iso);

describe('today, as the dialogue sees it', () => {
  it('turns at midnight in China (16:00 UTC), not at midnight UTC', () => {
    expect(todayAt(fixed, at('2026-03-10T15:59:59.999Z'))).toMatchObject({ date: '2026-03-10', phase: 'before' });
    expect(todayAt(fixed, at('2026-03-10T16:00:00.000Z'))).toMatchObject({ date: '2026-03-11', phase: 'during' });
    // Back again: a clock set back (or a test) is answered for the day it names.
    expect(todayAt(fixed, at('2026-03-10T15:59:59.999Z'))).toMatchObject({ date: '2026-03-10', phase: 'before' });
  });

  it('answers each window setting for itself, asked in turns on the same day', () => {
    const ms = at('2027-04-01T02:00:00Z');
    expect(todayAt(fixed, ms)).toMatchObject({ date: '2027-04-01', phase: 'after', cert: { cycle: 2026 } });
    expect(todayAt(clock, ms)).toMatchObject({ date: '2027-04-01', phase: 'during', cert: { cycle: 2027, windowStart: '2027-03-11' } });
    expect(todayAt(fixed, ms).cert.cycle).toBe(2026);
  });

  it('moves a window that follows the clock to the new year at China\'s new year', () => {
    expect(todayAt(clock, at('2027-12-31T15:59:00Z')).cert.cycle).toBe(2027);
    expect(todayAt(clock, at('2027-12-31T16:00:00Z'))).toMatchObject({ date: '2028-01-01', phase: 'before', cert: { cycle: 2028 } });
  });
});
