import path from 'node:path';
import { todayAt } from '../../src/calendar';
import { faqPort } from '../../src/compose';
import { loadContent } from '../../src/content';
import { respond } from '../../src/dialogue/respond';
import { renderSpeech } from '../../src/dialogue/speech';
import type { Ctx, FollowerState, Input, Outcome } from '../../src/dialogue/types';
import { loadKnowledgeBase } from '../../src/faq';
import { testConfig } from './config';

/**
 * The dialogue's pure core with real templates and the real knowledge base, and no store, HTTP
 * or clock: a test sends a text and reads the state and the reply as data.
 */
export const TEMPLATES = path.join(__dirname, '../../templates');
const config = testConfig({ CERT_WINDOW_START: '2026-03-11', CERT_WINDOW_END: '2026-06-30' });
export const content = loadContent(TEMPLATES, config.cert);
export const faq = faqPort(loadKnowledgeBase(path.join(TEMPLATES, 'faq'), content.vars), content.commands);
export const NOW = Date.parse('2026-04-15T10:00:00+08:00');

export function ctxAt(over: Partial<Ctx> = {}, now = NOW): Ctx {
  return {
    openid: 'opn_core', follower: 'tag_core', content, faq, today: todayAt(config.cert, now), now,
    dialogueIdleMs: 30 * 60_000, linkMs: 15 * 60_000, lookupsPerDay: 3, faceCheckMaxAttempts: 3,
    personKey: (id) => `pk:${id}`, nameKey: (id, name) => `nk:${id}|${name}`,
    token: 'T0KEN', linkUrl: (t) => `https://x.test/face-check/${t}`,
    known: { marks: new Map(), lookups: 0 }, expired: false, ...over,
  };
}
export const text = (t: string): Input => ({ kind: 'text', text: t });
/** The reply as the follower reads it. */
export const said = (o: Outcome) => renderSpeech(o.reply, content, faq) ?? '';
/** The reply's lines as their template keys (`faq:<id>` for an answer). */
export const keysOf = (o: Outcome) => ('say' in o.reply ? o.reply.say.flat().map((l) => ('key' in l ? l.key : `faq:${l.faq}`)) : []);

/** The writes of the certification itself: the reminders' entry (`began`, tested in test/reminders) left out. */
export const formWrites = (o: Outcome) => o.writes.filter((w) => w.type !== 'began');

/** Runs several texts through the core, as the caller would: each outcome's state feeds the next. */
export function walk(texts: readonly string[], start: FollowerState | null = null, ctx = ctxAt()): { state: FollowerState | null; last: Outcome } {
  let state = start;
  let last: Outcome | undefined;
  for (const t of texts) {
    last = respond(state, text(t), ctx);
    state = last.state;
  }
  return { state, last: last! };
}
