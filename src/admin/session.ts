import { randomBytes } from 'node:crypto';
import type { Store } from '../store';
import type { AdminSession, Layout } from '../store/layout';

/**
 * Staff sessions, in the store so that every instance knows them. The cookie carries a random id
 * (256 bits); the store keeps the session under a hash of it, so reading the store (or a backup)
 * gives no one a way in. A session ends a fixed time after login, whatever is done meanwhile.
 */
export interface Sessions {
  /** A new session for `user`: the cookie's value and what the store keeps. */
  start(user: string): Promise<{ id: string; session: AdminSession }>;
  /** The live session of a cookie's value; null when there is none or it has ended. */
  find(id: string | undefined): Promise<AdminSession | null>;
  end(id: string | undefined): Promise<void>;
}

const ID_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function createSessions(deps: { store: Store; layout: Layout; ttlMs: number; now: () => number }): Sessions {
  const slot = (id: string) => deps.layout.adminSession(id, deps.ttlMs);
  return {
    async start(user) {
      const id = randomBytes(32).toString('base64url');
      const session: AdminSession = { user, csrf: randomBytes(24).toString('base64url'), expiresAt: deps.now() + deps.ttlMs };
      const s = slot(id);
      await deps.store.set(s.key, s.codec.encode(session), s.ttlMs);
      return { id, session };
    },
    async find(id) {
      if (!id || !ID_SHAPE.test(id)) return null;
      const s = slot(id);
      const raw = await deps.store.get(s.key);
      const session = raw === null ? null : s.codec.decode(raw);
      // The store's TTL ends it too; this check makes the end exact whatever the store's clock.
      return session && session.expiresAt > deps.now() ? session : null;
    },
    async end(id) {
      if (id && ID_SHAPE.test(id)) await deps.store.delete(slot(id).key);
    },
  };
}
