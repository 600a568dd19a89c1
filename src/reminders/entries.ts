import { todayAt } from '../calendar';
import type { DecisionWrite } from '../dialogue/types';
import type { KeyedWrite, Store } from '../store';
import type { Layout, ReminderEntry } from '../store/layout';

/**
 * What the reminders keep, and how it changes: a follower's entry per cycle (whom they began or
 * certified), and the flags that say a follower must not be reminded (退订, unfollowed). Only the
 * masked name and the keyed hash of a person are kept, never what identifies them.
 */

type Person = ReminderEntry['people'][number];
const MAX_PEOPLE = 50;

/**
 * The entry with this person begun or certified. A pass is never undone by a later beginning; an
 * ID number typed makes the beginning that had none (the follower left at the ID step) this
 * person's. null when nothing changes.
 */
export function withPerson(entry: ReminderEntry | null, openid: string, person: Omit<Person, 'at'>, now: number): ReminderEntry | null {
  const people = entry?.people ?? [];
  let next: Person[];
  if (person.personKey === undefined) {
    if (people.some((p) => p.personKey === undefined)) return entry?.openid === openid ? null : { openid, people };
    next = [...people, { status: person.status, at: now, ...(person.maskedName ? { maskedName: person.maskedName } : {}) }];
  } else {
    const earlier = people.find((p) => p.personKey === person.personKey);
    const status = earlier?.status === 'pass' ? 'pass' : person.status;
    const maskedName = person.maskedName ?? earlier?.maskedName;
    const updated: Person = { personKey: person.personKey, status, at: earlier?.status === status ? earlier.at : now, ...(maskedName ? { maskedName } : {}) };
    // Typing an ID number makes a beginning without one this person's; a pass of a link opened
    // later says nothing about a beginning since.
    const keep = (p: Person) => p.personKey !== person.personKey && (p.personKey !== undefined || person.status === 'pass');
    next = [...people.filter(keep), updated];
  }
  // A helper certifying a whole village: the oldest beginnings give way, passes are kept longest.
  while (next.length > MAX_PEOPLE) {
    const i = next.findIndex((p) => p.status === 'began');
    next.splice(i >= 0 ? i : 0, 1);
  }
  const result: ReminderEntry = { openid, people: next };
  return entry !== null && JSON.stringify(entry) === JSON.stringify(result) ? null : result;
}

export interface WriteContext {
  readonly layout: Layout;
  readonly openid: string;
  /** The cycle in force now (the dialogue's). */
  readonly cycle: number;
  readonly now: number;
  /** The follower's entry of `cycle` as read with the state (null: none). */
  readonly entryRaw: string | null;
}

/**
 * The store writes of the core's reminder decisions, saved in the same compare-and-set as the
 * follower's state (every key is under the follower's hash tag). The entry's write is guarded by
 * the value it was computed from, so a pass recorded meanwhile is never overwritten.
 */
export function reminderWrites(writes: readonly DecisionWrite[], c: WriteContext): KeyedWrite[] {
  const keys = c.layout.follower(c.openid);
  const slot = keys.reminders(c.cycle);
  const out: KeyedWrite[] = [];
  let entry = c.entryRaw === null ? null : slot.codec.decode(c.entryRaw);
  let changed = false;
  for (const w of writes) {
    if (w.type === 'began') {
      const next = withPerson(entry, c.openid, { status: 'began', ...(w.personKey ? { personKey: w.personKey } : {}), ...(w.maskedName ? { maskedName: w.maskedName } : {}) }, c.now);
      if (next !== null) [entry, changed] = [next, true];
    } else if (w.type === 'reminders') {
      const flag = (s: typeof keys.remindersOff): KeyedWrite => ({ key: s.key, write: { value: s.codec.encode({ at: c.now }), ttlMs: s.ttlMs(c.now) } });
      switch (w.change) {
        case 'off':
          out.push(flag(keys.remindersOff));
          break;
        case 'on':
          out.push({ key: keys.remindersOff.key, write: null });
          break;
        case 'unfollowed':
          // Gone from the account: nothing is kept to remind them with.
          out.push(flag(keys.unfollowed), { key: slot.key, write: null }, { key: keys.reminders(c.cycle - 1).key, write: null });
          [entry, changed] = [null, false];
          break;
        case 'followed':
          out.push({ key: keys.unfollowed.key, write: null });
          break;
        default: {
          const never: never = w.change;
          throw new Error(`unhandled consent ${String(never)}`);
        }
      }
    }
  }
  if (changed && entry !== null) out.push({ key: slot.key, write: { value: slot.codec.encode(entry), ttlMs: slot.ttlMs(entry, c.now) }, expect: c.entryRaw });
  return out;
}

type Deps = { readonly store: Store; readonly layout: Layout };

/** Whether reminders may reach this follower: no 退订, not unfollowed. */
export async function remindersOn(deps: Deps, openid: string): Promise<boolean> {
  const keys = deps.layout.follower(openid);
  const [off, gone] = await deps.store.getMany([keys.remindersOff.key, keys.unfollowed.key]);
  return off == null && gone == null;
}

/**
 * A pass, kept for the reminder when the next window opens. A compare-and-set loop: the follower's
 * own next step may write the same entry meanwhile. Answers whether the follower will be reminded,
 * so the result message promises it only then.
 */
export async function recordPass(deps: Deps & { readonly now: () => number }, pass: { openid: string; cycle: number; personKey: string; maskedName: string }): Promise<boolean> {
  const slot = deps.layout.follower(pass.openid).reminders(pass.cycle);
  for (let race = 0; race < 8; race++) {
    const now = deps.now();
    const raw = await deps.store.get(slot.key);
    const next = withPerson(raw === null ? null : slot.codec.decode(raw), pass.openid, { personKey: pass.personKey, maskedName: pass.maskedName, status: 'pass' }, now);
    if (next === null || (await deps.store.compareAndSet(slot.key, raw, { value: slot.codec.encode(next), ttlMs: slot.ttlMs(next, now) }))) {
      return remindersOn(deps, pass.openid);
    }
  }
  throw new Error('reminder entry of a follower kept changing while recording a pass');
}

/**
 * WeChat said the follower left (43004): as after the unfollow event, they are not reminded and
 * nothing is kept to remind them with.
 */
export async function forgetFollower(deps: Deps & { readonly cert: Parameters<typeof todayAt>[0]; readonly now: () => number }, openid: string): Promise<void> {
  const now = deps.now();
  const cycle = todayAt(deps.cert, now).cert.cycle;
  const keys = deps.layout.follower(openid);
  // Each write is idempotent: a repeat (BullMQ tries a job again after a crash) changes nothing.
  await deps.store.set(keys.unfollowed.key, keys.unfollowed.codec.encode({ at: now }), keys.unfollowed.ttlMs(now));
  await deps.store.delete(keys.reminders(cycle).key);
  await deps.store.delete(keys.reminders(cycle - 1).key);
}
