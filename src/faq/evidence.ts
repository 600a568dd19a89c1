import { keywordCoverage } from './keywords';
import { bigram } from './terms';
import type { KnowledgeBase } from './types';

/**
 * How much of a question its best entry explains. One shared word made confident wrong answers:
 * 社区 in 社区医院几点开门, 免费 in 老年人坐公交免费吗, 工伤 in 工伤怎么鉴定. Such a question names
 * nothing of certification, and most of it is words the entry knows nothing about.
 */

/** Words that say "certification" or "a question" and nothing about which question. */
export const GENERIC = /人脸识别|人脸|刷脸|认证|资格|待遇|养老金|养老|社保|手机|问题|事情|事儿?|那块儿?|这块儿?|方面|那个|这个|一下|就是|怎么办|怎么|什么|我|的|了|吗/gu;

/** A question that names certification (the app, the face check, a date) is about it; 实名认证 alone does not (手机卡实名认证). */
const DOMAIN = /(?<!实名)认证|资格|刷脸|人脸|识别|APP|周期|须知|类别|冒领|养老金|[0-9]+[月日]/u;

/** This many character pairs the knowledge base has never seen make everyday keywords too little evidence. */
const FOREIGN_PAIRS = 2;

/**
 * True when entry `doc` is the best only on the strength of everyday keywords (`alone: false` in
 * templates/faq: 社区, 免费, 北京, 结果), in a question that does not name certification and goes on
 * about things no entry knows (医院, 几点开门, 坐公交, 体检). 能上门吗 still gets its answer: it
 * says nothing else.
 */
export function oneWordOnly(kb: Pick<KnowledgeBase, 'keywords' | 'bm25'>, doc: number, normalised: string): boolean {
  if (DOMAIN.test(normalised)) return false;
  const { covered, counted } = keywordCoverage(kb.keywords, doc, normalised);
  if (counted.some((k) => k.alone)) return false;
  let foreign = 0;
  let checked = 0;
  for (let i = 0; i + 1 < normalised.length; i++) {
    if (covered[i] === 1 || covered[i + 1] === 1) continue;
    checked += 1;
    if (!kb.bm25.postings.has(bigram(normalised[i]!, normalised[i + 1]!))) foreign += 1;
  }
  // A short question is foreign when all it says beyond the keyword is: 刷脸支付安全吗 is about paying.
  return foreign >= FOREIGN_PAIRS || (foreign > 0 && foreign === checked);
}
