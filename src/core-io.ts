import { assertNever, type Ctx, type DecisionWrite, type LinkState, type Need } from './dialogue/types';
import type { KeyedWrite } from './store';
import type { CertMark, Layout, LinkRecord } from './store/layout';
import type { HandleDeps } from './handle';

/**
 * The core's reads and writes as store keys: what it asked to know before deciding (`Need`), read
 * in one round trip, and the writes of its decision, made into keyed writes for the compare-and-set.
 */

export type FollowerKeys = ReturnType<Layout['follower']>;

/** Reads what the core asked for, in one round trip. */
export async function load(needs: readonly Need[], today: Ctx['today'], keys: FollowerKeys, deps: Pick<HandleDeps, 'store' | 'layout'>): Promise<Ctx['known']> {
  if (needs.length === 0) return nothingKnown();
  const marks = new Map<string, CertMark | null>();
  let link: LinkState | undefined;
  const { layout } = deps;
  const slotOf = (n: Need) => {
    switch (n.type) {
      case 'mark':
        return layout.mark(today.cert.cycle, n.personKey).key;
      case 'lookups':
        return keys.lookups(today.date).key;
      case 'link':
        return layout.linkByHash(keys.tag, n.hash).key;
      case 'faceFailures':
        return layout.faceFailures(today.date, n.personKey).key;
      default:
        return assertNever(n);
    }
  };
  const values = await deps.store.getMany(needs.map(slotOf));
  let lookups = 0;
  let faceFailures: number | undefined;
  needs.forEach((n, i) => {
    const raw = values[i] ?? null;
    if (n.type === 'mark') marks.set(n.personKey, raw === null ? null : layout.codecs.mark.decode(raw));
    else if (n.type === 'lookups') lookups = raw === null ? 0 : (layout.codecs.lookups.decode(raw) ?? 0);
    else if (n.type === 'faceFailures') faceFailures = raw === null ? 0 : (layout.codecs.lookups.decode(raw) ?? 0);
    else link = linkState(raw === null ? null : layout.codecs.link.decode(raw));
  });
  return { marks, lookups, ...(link ? { link } : {}), ...(faceFailures !== undefined ? { faceFailures } : {}) };
}

/** What the core knows when it asked for nothing. */
export const nothingKnown = (): Ctx['known'] => ({ marks: new Map(), lookups: 0 });

/** Only where the link stands reaches the core; its sealed personal data stays here. */
function linkState(r: LinkRecord | null): LinkState {
  if (r === null) return { status: 'gone' };
  if (r.status === 'issued') return { status: 'issued', expiresAt: r.expiresAt };
  return r.doneAt === undefined ? { status: r.status } : { status: r.status, doneAt: r.doneAt };
}

/** The core's own writes; the reminders' (`began`, `reminders`) are mapped by reminders/entries.ts. */
export function decisionWrite(w: Exclude<DecisionWrite, { type: 'began' | 'reminders' }>, keys: FollowerKeys, deps: Pick<HandleDeps, 'store' | 'layout'>): KeyedWrite {
  switch (w.type) {
    case 'link': {
      const slot = deps.layout.link(keys.tag, w.token);
      return { key: slot.key, write: { value: slot.codec.encode(w.record), ttlMs: slot.ttlMs } };
    }
    case 'lookups': {
      const slot = keys.lookups(w.day);
      return { key: slot.key, write: { value: slot.codec.encode(w.count), ttlMs: slot.ttlMs } };
    }
    default:
      return assertNever(w);
  }
}
