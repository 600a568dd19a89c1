import { ConfigError } from '../../src/config';
import { testConfig } from '../helpers/config';

/** The REMINDER_* settings: defaults, and a bad value stops start-up naming the setting. */
it('defaults to 30, 10 and 3 days before the end, at 10:00, and sends nothing without a template', () => {
  expect(testConfig().reminders).toEqual({ daysBeforeEnd: [30, 10, 3], hour: 10, templateId: null, sendsPerSecond: 20 });
});

it('reads the days in any order, once each, largest first', () => {
  expect(testConfig({ REMINDER_DAYS_BEFORE_END: ' 3, 30,7,3 ' }).reminders.daysBeforeEnd).toEqual([30, 7, 3]);
});

it.each([
  ['REMINDER_DAYS_BEFORE_END', '30,ten'],
  ['REMINDER_DAYS_BEFORE_END', '0'],
  ['REMINDER_DAYS_BEFORE_END', '400'],
  ['REMINDER_DAYS_BEFORE_END', ','],
  ['REMINDER_HOUR', '24'],
  ['REMINDER_HOUR', '9.5'],
  ['REMINDER_TEMPLATE_ID', 'has spaces in it'],
  ['REMINDER_SENDS_PER_SECOND', '0'],
])('stops start-up naming %s for %j', (name, value) => {
  expect(() => testConfig({ [name]: value })).toThrow(ConfigError);
  expect(() => testConfig({ [name]: value })).toThrow(name);
});
