import path from 'node:path';
import { faqPort } from '../src/compose';
import { todayAt } from '../src/calendar';
import { loadConfig, type Config } from '../src/config';
import { loadContent } from '../src/content';
import { numbered } from '../src/dialogue/choice';
import { loadKnowledgeBase } from '../src/faq';
import { TEMPLATES_DIR } from '../src/paths';

/**
 * The FAQ answer as the app words it, for the contenders that are not the app (the floor with a
 * store and the co-wechat peer): the project's own knowledge base and matcher, the same templates,
 * the same footer. So the answer work is equal and the comparison prices only what is around it;
 * run.ts checks, before timing, that every contender's reply to the question is the app's.
 * Read from the same environment as the app, so the window and its dates are the same too.
 */
export interface FaqAnswerer {
  readonly config: Config;
  /** The reply to a follower with no open dialogue who sends `text`. */
  answer(text: string): string;
}

export function createFaqAnswerer(env: NodeJS.ProcessEnv = process.env): FaqAnswerer {
  const config = loadConfig(env);
  const today = todayAt(config.cert, Date.now());
  const content = loadContent(TEMPLATES_DIR, today.cert);
  // Built once: a benchmark never runs across a phase of the window, which is when the app rebuilds it.
  const faq = faqPort(loadKnowledgeBase(path.join(TEMPLATES_DIR, 'faq'), content.vars, today.phase), content.commands);
  return {
    config,
    answer(text) {
      const m = faq.match(text);
      switch (m.kind) {
        case 'answer':
          return `${faq.answer(m.id, m.also) ?? ''}\n${content.text('answerFooter')}`;
        case 'suggest':
          return content.text('suggest', { list: numbered(m.options.map((t) => t.question)) });
        default:
          // The benchmark's question is answered; anything else would get the app's fallback.
          return content.text('fallback', { list: numbered(content.home) });
      }
    },
  };
}
