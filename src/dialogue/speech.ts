import type { Content } from '../content';
import type { FaqPort, Line, Speech } from './types';

/** Renders the core's reply, data until here, into the text a follower reads. null: say nothing. */
export function renderSpeech(speech: Speech, content: Pick<Content, 'text'>, faq: Pick<FaqPort, 'answer'>): string | null {
  if (!('say' in speech)) return null;
  const line = (l: Line) => ('faq' in l ? (faq.answer(l.faq, l.also) ?? '') : content.text(l.key, l.vars));
  return speech.say.map((p) => p.map(line).join('\n')).join('\n\n');
}

/** Whether a reply holds a live face-check link: such a reply is sealed before it is cached. */
export const holdsLink = (speech: Speech): boolean => 'say' in speech && speech.say.some((p) => p.some((l) => 'key' in l && l.vars?.link !== undefined));
