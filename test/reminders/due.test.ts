import { dueOn, nextRunAt } from '../../src/reminders';
import { testConfig } from '../helpers/config';
import { chinaAt } from '../helpers/reminders';

/** Which reminders fall on a China day, and when the daily job next runs. */
const cert = testConfig({ CERT_WINDOW_START: '2026-03-11', CERT_WINDOW_END: '2026-06-30' }).cert;
const ids = (date: string, days = [30, 10, 3], time = '09:00') => dueOn(cert, chinaAt(date, time), days).due.map((d) => d.id);

it.each([
  ['2026-05-31', ['2026:end-30']],
  ['2026-06-20', ['2026:end-10']],
  ['2026-06-27', ['2026:end-3']],
  ['2026-03-11', ['2026:start']],
  ['2026-06-28', []],
  ['2026-06-30', []],
  ['2026-07-01', []],
  ['2026-03-10', []],
])('on %s: %j', (date, expected) => {
  expect(ids(date)).toEqual(expected);
});

it('goes by the China day, not the server\'s: 23:30 UTC on 2026-05-30 is 2026-05-31 in China', () => {
  expect(dueOn(cert, Date.parse('2026-05-30T23:30:00Z'), [30]).due.map((d) => d.id)).toEqual(['2026:end-30']);
});

it('skips a day before the end that falls before the window opens', () => {
  expect(ids('2026-01-01', [180])).toEqual([]);
  expect(ids('2026-03-11', [111])).toEqual(['2026:start', '2026:end-111']);
});

it('reads last cycle\'s entries on the first day, this cycle\'s before the end', () => {
  expect(dueOn(cert, chinaAt('2026-03-11'), []).due[0]).toMatchObject({ kind: 'nextWindow', cycle: 2026, entriesOf: 2025 });
  expect(dueOn(cert, chinaAt('2026-06-27'), [3]).due[0]).toMatchObject({ kind: 'beforeEnd', cycle: 2026, entriesOf: 2026, daysLeft: 3 });
});

it.each([
  ['09:59', '2026-06-23T10:00:00+08:00'],
  ['10:00', '2026-06-24T10:00:00+08:00'],
  ['23:59', '2026-06-24T10:00:00+08:00'],
])('runs the daily job next at 10:00 China time, after %s', (time, next) => {
  expect(nextRunAt(chinaAt('2026-06-23', time), 10)).toBe(Date.parse(next));
});
