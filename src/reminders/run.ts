import { cnDate } from '../calendar';
import type { Config } from '../config';
import type { Content } from '../content';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { Outbox } from '../outbox';
import type { Store } from '../store';
import type { Layout, ReminderEntry } from '../store/layout';
import { dueOn, type Due } from './due';
import type { ReminderTemplates } from './templates';

export interface RunDeps {
  readonly store: Store;
  readonly layout: Layout;
  readonly config: Pick<Config, 'cert' | 'reminders'>;
  readonly content: Pick<Content, 'vars'>;
  readonly templates: ReminderTemplates;
  /** The reminders' own outbox: one sender at a time across instances, rate-limited. */
  readonly outbox: Outbox;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  readonly now: () => number;
}

export interface RunReport {
  /** The China day the run was for. */
  readonly date: string;
  /** Each reminder due that day, and how many followers it reached (dry run: would reach). */
  readonly due: readonly { readonly due: Due; readonly followers: number }[];
}

/** Entries handled at once: enough to keep Redis busy, few enough to bound memory and connections. */
const BATCH = 200;
type Person = ReminderEntry['people'][number];

/**
 * Today's reminders. Whom: for a reminder before the end, followers who began this cycle and have
 * a person not certified by anyone yet; when a window opens, followers who certified someone last
 * cycle who is not certified again yet; never one who sent 退订 or left the account. Once: the
 * reminder and the day are claimed together, atomically, under the follower's hash tag before the
 * message is queued, so two runs (two instances, a repeated job, `npm run reminders -- --send`) never
 * send twice and a follower gets at most one reminder a day. A dry run claims and sends nothing.
 */
export async function runReminders(deps: RunDeps, mode: 'dry' | 'send'): Promise<RunReport> {
  const now = deps.now();
  const { date, due } = dueOn(deps.config.cert, now, deps.config.reminders.daysBeforeEnd);
  const templateId = deps.config.reminders.templateId;
  if (mode === 'send' && due.length > 0 && templateId === null) throw new Error('REMINDER_TEMPLATE_ID is not set: no reminder can be sent');
  // A dry run claims nothing, so it keeps the one-a-day rule itself.
  const counted = new Set<string>();
  const report: RunReport['due'][number][] = [];
  for (const d of due) {
    let followers = 0;
    for await (const batch of deps.store.scan(deps.layout.reminderPattern(d.entriesOf), BATCH)) {
      const reached = await Promise.all(batch.map(([key, value]) => consider(deps, d, date, now, key, value, mode === 'dry' ? counted : null, templateId ?? '')));
      followers += reached.filter(Boolean).length;
    }
    deps.metrics?.reminders.inc({ kind: d.kind }, mode === 'send' ? followers : 0);
    deps.logger.info({ reminder: d.id, followers, mode }, mode === 'send' ? 'reminders queued' : 'reminders counted (dry run)');
    report.push({ due: d, followers });
  }
  return { date, due: report };
}

/** One follower's entry: whether this reminder reaches them (and, sending, queues it). */
async function consider(deps: RunDeps, d: Due, date: string, now: number, key: string, value: string, dry: Set<string> | null, templateId: string): Promise<boolean> {
  const { layout, store } = deps;
  const tag = layout.tagInKey(key);
  const entry = tag === null ? null : layout.codecs.reminders.decode(value);
  if (entry === null || layout.tagOf(entry.openid) !== tag) return false;
  const keys = layout.follower(entry.openid);
  const entrySlot = keys.reminders(d.entriesOf);
  const sent = keys.reminded(d.cycle, d.id, now);
  const day = keys.remindedOn(date);
  // Last cycle's entry has no use after its one reminder, whether it is sent or not: it goes.
  const done = async () => {
    if (!dry && d.kind === 'nextWindow') await store.delete(entrySlot.key);
    return false;
  };
  const [off, gone, sentAlready, dayUsed] = await store.getMany([keys.remindersOff.key, keys.unfollowed.key, sent.key, day.key]);
  if (off != null || gone != null) return done();
  const people = await stillToDo(deps, d, entry.people);
  if (people.length === 0) return done();
  if (sentAlready != null || dayUsed != null) return false;
  if (dry) {
    if (dry.has(tag!)) return false;
    dry.add(tag!);
    return true;
  }
  const flag = sent.codec.encode({ at: now });
  const claimed = await store.compareAndSet(day.key, null, { value: flag, ttlMs: day.ttlMs }, [{ key: sent.key, write: { value: flag, ttlMs: sent.ttlMs }, expect: null }]);
  if (!claimed) return false;
  const vars: Readonly<Record<string, string>> = d.kind === 'beforeEnd'
    ? { deadline: cnDate(d.windowEnd), daysLeft: String(d.daysLeft ?? 0) }
    : { start: cnDate(d.windowStart), deadline: cnDate(d.windowEnd) };
  const id = `rm:${d.id}:${tag}`;
  try {
    await deps.outbox.enqueue({
      kind: 'template', openid: entry.openid, id,
      message: { templateId, data: deps.templates.fill(d.kind, people, vars), clientMsgId: id.replace(/:/g, '-'), ...(deps.templates.url ? { url: deps.templates.url } : {}) },
    });
  } catch (err) {
    // Not queued: give the claim back, so that the next run (or the next try of the job) sends it.
    await Promise.all([store.delete(day.key), store.delete(sent.key)]).catch(() => undefined);
    throw err;
  }
  await done();
  return true;
}

/**
 * The people this reminder is about. Before the end: those begun and not certified by anyone; a
 * beginning without an ID number counts only when there is no such person (it is most likely one
 * of them). When a window opens: those certified last cycle and not yet again.
 */
async function stillToDo(deps: RunDeps, d: Due, people: readonly Person[]): Promise<Person[]> {
  const wanted = people.filter((p) => (d.kind === 'beforeEnd' ? p.status === 'began' : p.status === 'pass' && p.personKey !== undefined));
  const named = wanted.filter((p) => p.personKey !== undefined);
  // Marks live in slots of their own (not the follower's): read one by one, pipelined by the client.
  const marks = await Promise.all(named.map((p) => deps.store.get(deps.layout.mark(d.cycle, p.personKey!).key)));
  const open = named.filter((_, i) => marks[i] == null);
  if (open.length > 0 || d.kind === 'nextWindow') return open;
  return wanted.filter((p) => p.personKey === undefined).slice(0, 1);
}
