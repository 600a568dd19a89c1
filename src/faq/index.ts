/**
 * The FAQ: a knowledge base of questions and answers kept as YAML under templates/faq/, and a
 * classifier that decides what a follower's free text is (a command, a thank-you, a fragment, one
 * or two questions). Pure apart from the loader.
 */
import type { FaqEntry, KnowledgeBase } from './types';

export type { FaqEntry, KnowledgeBase, MatchResult, Phase, Scope } from './types';
export { PHASES } from './types';
export { loadKnowledgeBase, buildKnowledgeBase, FaqError, MAX_SHORT_BYTES, type FaqSource } from './load';
export { match, type MatchThresholds } from './match';
export { classify, type Classified, type Words } from './classify';
export { formatAnswer, formatTwo, MAX_REPLY_BYTES } from './format';
export { normalize } from './normalize';

/** Ids and questions in file order, for a topics menu (only this account's own questions). */
export function listTopics(kb: KnowledgeBase): ReadonlyArray<Pick<FaqEntry, 'id' | 'question'>> {
  return kb.entries.filter((e) => e.scope === 'faq').map(({ id, question }) => ({ id, question }));
}
