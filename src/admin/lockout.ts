import type { Store } from '../store';
import type { Layout } from '../store/layout';

/** Wrong passwords in a row, for one name or from one address, before logins are refused. */
export const MAX_FAILURES = 12;

/**
 * Slows password guessing down to a dozen tries per lockout period, per typed name and per address,
 * shared by every instance through the store. A right password clears both counts; the lock,
 * once set, holds until it ends, right password or not.
 */
export interface Lockout {
  /** Milliseconds until a login for this name from this address may be tried again (0: now). */
  lockedFor(name: string, addr: string): Promise<number>;
  /** Counts a wrong password; resolves to the lock it led to (0: none yet). */
  failed(name: string, addr: string): Promise<number>;
  succeeded(name: string, addr: string): Promise<void>;
}

type Who = readonly ['name' | 'addr', string];

export function createLockout(deps: { store: Store; layout: Layout; lockoutMs: number; now: () => number }): Lockout {
  const { store, layout, lockoutMs } = deps;
  const both = (name: string, addr: string): Who[] => [['name', name], ['addr', addr]];
  const lock = ([kind, who]: Who) => layout.adminLock(kind, who, lockoutMs);
  return {
    async lockedFor(name, addr) {
      const slots = both(name, addr).map(lock);
      const until = (await store.getMany(slots.map((s) => s.key))).map((raw, i) => (raw === null ? 0 : (slots[i]!.codec.decode(raw) ?? 0)));
      return Math.max(0, ...until.map((u) => u - deps.now()));
    },
    async failed(name, addr) {
      const locks = await Promise.all(
        both(name, addr).map(async (w) => {
          const key = layout.adminFailures(...w);
          const { n = 0 } = await store.incrementFields(key, { n: 1 }, lockoutMs);
          if (n < MAX_FAILURES) return 0;
          const s = lock(w);
          await store.set(s.key, s.codec.encode(deps.now() + lockoutMs), lockoutMs);
          // After the lock, a fresh dozen: a lock that renewed itself on every try would never end.
          await store.delete(key);
          return lockoutMs;
        }),
      );
      return Math.max(...locks);
    },
    async succeeded(name, addr) {
      await Promise.all(both(name, addr).map((w) => store.delete(layout.adminFailures(...w))));
    },
  };
}
