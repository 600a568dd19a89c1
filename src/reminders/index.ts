import type { Config } from '../config';
import { createOutbox, type DeliverDeps, type Outbox } from '../outbox';
import { forgetFollower } from './entries';
import { runReminders, type RunDeps, type RunReport } from './run';
import { scheduleDaily, type DailyJob } from './schedule';

/**
 * Reminders that keep pensions flowing: a template message to followers who began a
 * certification and did not finish it, some days before the window ends, and to those who
 * certified someone, when the next window opens. What is kept for them and how it changes:
 * ./entries.ts; what is due on a day: ./due.ts; the run: ./run.ts; the fields: ./templates.ts.
 */
export { dueOn, nextRunAt, type Due } from './due';
export { forgetFollower, recordPass, remindersOn, reminderWrites, withPerson } from './entries';
export { runReminders, type RunDeps, type RunReport } from './run';
export { scheduleDaily, type DailyJob } from './schedule';
export { FIELD_MAX_CHARS, loadReminderTemplates, whoOf, type ReminderKind, type ReminderTemplates } from './templates';

/**
 * The reminders' outbox: a queue of its own (`tpl`) that sends one template message at a time
 * across all instances, at most REMINDER_SENDS_PER_SECOND, with the outbox's tries.
 */
export function createReminderOutbox(deps: DeliverDeps, config: Pick<Config, 'redis' | 'outbox' | 'reminders'>, opts: { work?: boolean } = {}): Outbox {
  return createOutbox(deps, {
    redis: config.redis, settings: config.outbox, pace: { name: 'tpl', perSecond: config.reminders.sendsPerSecond }, ...(opts.work === false ? { work: false } : {}),
  });
}

/** What WeChat's 43004 does to the reminders: the follower is forgotten, as after unfollowing. */
export const onNotFollower = (deps: Parameters<typeof forgetFollower>[0]) => (openid: string) => forgetFollower(deps, openid);

export interface Reminders {
  /** Today's reminders: counted (`dry`) or sent (`send`). */
  run(mode: 'dry' | 'send'): Promise<RunReport>;
  close(): Promise<void>;
}

/** The reminders of a server: today's run on demand, and the daily job when REMINDER_TEMPLATE_ID is set. */
export function createReminders(deps: RunDeps & { readonly config: Pick<Config, 'cert' | 'reminders' | 'redis'> }, opts: { schedule: boolean }): Reminders {
  const run = (mode: 'dry' | 'send') => runReminders(deps, mode);
  const enabled = deps.config.reminders.templateId !== null;
  const daily: DailyJob | null = opts.schedule
    ? scheduleDaily({ redis: deps.config.redis, hour: deps.config.reminders.hour, enabled, run: () => run('send'), logger: deps.logger, now: deps.now })
    : null;
  if (opts.schedule) {
    deps.logger.info(
      enabled ? { hour: deps.config.reminders.hour, daysBeforeEnd: deps.config.reminders.daysBeforeEnd } : {},
      enabled ? 'reminders: sent daily at REMINDER_HOUR, China time' : 'reminders off: REMINDER_TEMPLATE_ID is not set',
    );
  }
  return {
    run,
    async close() {
      await daily?.close();
    },
  };
}
