import type { Store } from '../store';
import { tokenHash, type Layout } from '../store/layout';

/**
 * After a link, the follower's state keeps the person's entries, sealed, so that a failed face
 * check is tried again with one message (see dialogue/after-link.ts). A pass ends that need: the
 * entries are dropped here at once, not at the follower's next message. Only if the state is still
 * at this link and unchanged since read: a message answered meanwhile wins, and the dialogue drops
 * them itself at the next message, since it reads the link's verdict first.
 */
export async function dropKeptEntries(deps: { readonly store: Store; readonly layout: Layout }, openid: string, token: string): Promise<void> {
  const slot = deps.layout.follower(openid).state;
  const raw = await deps.store.get(slot.key);
  const state = raw === null ? null : slot.codec.decode(raw);
  const d = state?.dialogue;
  if (!state || !d || d.step !== 'linked' || d.masked?.link !== tokenHash(token) || Object.keys(d.draft).length === 0) return;
  await deps.store.compareAndSet(slot.key, raw, { value: slot.codec.encode({ ...state, dialogue: { ...d, draft: {} } }), ttlMs: slot.ttlMs });
}
