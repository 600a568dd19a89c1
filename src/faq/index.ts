/**
 * The FAQ: a knowledge base of questions and answers kept as YAML under templates/faq/, and a
 * matcher that picks the entry a follower's free text is about. Pure apart from the loader.
 */
import type { FaqEntry, KnowledgeBase } from './types';

export type { FaqEntry, KnowledgeBase, MatchResult } from './types';
export { loadKnowledgeBase, buildKnowledgeBase, FaqError, type FaqSource } from './load';
export { match, type MatchThresholds } from './match';
export { formatAnswer, MAX_REPLY_BYTES } from './format';
export { normalize } from './normalize';

/** Ids and questions in file order, for a topics menu. */
export function listTopics(kb: KnowledgeBase): ReadonlyArray<Pick<FaqEntry, 'id' | 'question'>> {
  return kb.entries.map(({ id, question }) => ({ id, question }));
}
