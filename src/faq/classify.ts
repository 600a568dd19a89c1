import { commandWord } from '../content';
import { MAX_CLAUSES, clauses } from './clauses';
import { DEFAULT_THRESHOLDS, decide, scoreAll, scoreNormalised, type MatchThresholds } from './match';
import { normalize } from './normalize';
import type { FaqEntry, KnowledgeBase } from './types';

/**
 * What a follower's text outside a dialogue step is, decided in one pure function so that the
 * dialogue and `npm run eval:faq` see exactly the same thing:
 *
 * - `command`: a command word (templates/commands.yaml), or a request to certify said in a sentence
 *   (帮我认证一下, 我要给我妈认证): start, help (the topics) or greet (the welcome).
 * - `pleasantry`: 谢谢, 好的, 知道了… — a short kind reply, never "I cannot answer that".
 * - `vague`: nothing a question can be read from (人脸, 请问一下, an unfinished sentence): the menu.
 * - `answer`: one entry, or two when the message asks two things (both answered, short).
 * - `suggest`: a close call between a few entries; `none`: not about certification.
 */
export type Classified =
  | { readonly kind: 'command'; readonly command: 'start' | 'help' | 'greet' }
  | { readonly kind: 'pleasantry' }
  | { readonly kind: 'vague' }
  | { readonly kind: 'answer'; readonly entries: readonly [FaqEntry] | readonly [FaqEntry, FaqEntry] }
  | { readonly kind: 'suggest'; readonly entries: readonly FaqEntry[] }
  | { readonly kind: 'none' };

/** Command words, each already in `commandWord` form (Content.commands holds them so). */
export interface Words {
  readonly start: ReadonlySet<string>;
  readonly help: ReadonlySet<string>;
  readonly greet: ReadonlySet<string>;
  readonly thanks: ReadonlySet<string>;
}

export interface ClassifyOptions {
  readonly thresholds?: MatchThresholds;
  /** A half of a two-question message must clear the answer bar by this much more. */
  readonly halfBonus?: number;
}

/**
 * Words around a request to certify that do not change it: who does it (帮我, 给我妈), wanting
 * (我要, 我想, 现在就) and softeners (一下, 吧). What is left must be a start word.
 */
const START_AROUND =
  /请|麻烦|帮忙|帮|给|替|为|我们|我|现在|马上|今天|就|想要|想|要|准备|做个|做|办理|办个|办|弄|搞|进行|一下|下|吧|呗|啊|呀|家里|家|妈妈|爸爸|妈|爸|爹|娘|老伴儿?|老人家?|父母|爸妈|婆婆|公公|爷爷|奶奶|姥姥|姥爷|岳父|岳母|老头子|老太太|老爷子|他|她|们/gu;
/** A question about certifying is not a request to do it: 怎么给我妈认证, 能帮我认证吗. */
const ASKS = /怎|如何|吗|么|能不能|可不可以|可以|行不行|行不|能否|什么|啥|哪|几|谁|多少|不|没|\?|？/u;

/** Asking the account itself to do it is a request, not a question: 能帮我认证吗, 可以给我妈认证不. */
const POLITE = /^(?:请问)?(?:你们?|您)?(?:能不能|可不可以|能否|能|可以)(?=帮|给|替|为)(.*?)(?:吗|么|不|没有?|呀|啊|\?)*$/u;

function isStartRequest(text: string, words: Words): boolean {
  let w = commandWord(text);
  const polite = POLITE.exec(w);
  if (polite) w = polite[1]!;
  else if (ASKS.test(text)) return false;
  if (w.length > 20) return false;
  const rest = w.replace(START_AROUND, '');
  return rest !== w && words.start.has(rest);
}

/** Sounds at the end of a spoken thank-you: 谢谢你啊, 好的呀. */
const PARTICLES = /[啊呀啦哈哦嘛呢噢哇]+$/u;
/** Every clause a thank-you, an OK or a greeting: 好的 知道了, 谢谢你啊. */
function isPleasantry(text: string, words: Words): boolean {
  const parts = clauses(text)
    .map((p) => commandWord(p).replace(PARTICLES, ''))
    .filter((p) => p.length > 0);
  return parts.length > 0 && parts.every((p) => words.thanks.has(p) || words.greet.has(p));
}

/** Words that say "certification" or "a question" and nothing about which question. */
const GENERIC = /认证|资格|待遇|养老金|养老|社保|手机|问题|事情|事儿?|那个|这个|一下|就是|怎么办|怎么|什么|我|的|了|吗/gu;
/** A clause that stops before its point: 如果…, 我妈她…, 认证的时候…. */
const UNFINISHED = /(?:的时候|如果|要是|因为|但是|所以|还有|然后|就是|和|跟|她|他|我想|我要)$/u;

/**
 * Nothing to read a question from: at most `left` characters beyond generic words (人脸, 那个认证),
 * or a clause that stops before its point.
 */
function isFragment(core: string, left: number): boolean {
  return core.replace(GENERIC, '').length <= left || UNFINISHED.test(core);
}

export function classify(kb: KnowledgeBase, words: Words, text: string, o: ClassifyOptions = {}): Classified {
  const t = o.thresholds ?? DEFAULT_THRESHOLDS;
  const w = commandWord(text);
  if (words.start.has(w)) return { kind: 'command', command: 'start' };
  if (words.help.has(w)) return { kind: 'command', command: 'help' };
  if (words.greet.has(w)) return { kind: 'command', command: 'greet' };
  if (isPleasantry(text, words)) return { kind: 'pleasantry' };
  if (isStartRequest(text, words)) return { kind: 'command', command: 'start' };

  const scores = scoreAll(kb, text, t);
  if (scores.normalised.length === 0) return { kind: 'vague' };
  const whole = decide(kb, scores, t);
  // Two answers need two entries with strong keywords in the whole text: most messages stop here.
  const pair = strongEntries(scores.keyword) >= 2 ? twoQuestions(kb, text, t, o.halfBonus ?? 0.1) : null;
  if (pair) return { kind: 'answer', entries: pair };
  if (whole.kind === 'answer') return { kind: 'answer', entries: [whole.entry] };
  // A guess at a fragment (人脸: a one-item list, or two random ones) helps less than the menu.
  if (isFragment(scores.core, 2)) return { kind: 'vague' };
  return whole.kind === 'suggest' && whole.entries.length > 0 ? whole : { kind: 'none' };
}

/**
 * The best way to cut the message in two so that each half is a confident answer on its own, about
 * different entries; null when there is none. Each half must clear the bar by `bonus` more than a
 * whole question, since a half is short and one strong word can carry it.
 */
function twoQuestions(kb: KnowledgeBase, text: string, t: MatchThresholds, bonus: number): [FaqEntry, FaqEntry] | null {
  const parts = clauses(text);
  if (parts.length < 2 || parts.length > MAX_CLAUSES) return null;
  const normalised = parts.map(normalize).filter((p) => p.length > 0);
  if (normalised.length < 2) return null;
  const strict: MatchThresholds = { ...t, answer: t.answer + bonus, minKeyword: Math.max(t.minKeyword, HALF_MIN_KEYWORD) };
  let best: [FaqEntry, FaqEntry] | null = null;
  let bestScore = 0;
  for (let i = 1; i < normalised.length; i++) {
    const a = half(kb, normalised.slice(0, i).join(''), strict);
    if (a.kind !== 'answer') continue;
    const b = half(kb, normalised.slice(i).join(''), strict);
    if (b.kind !== 'answer' || b.entry.id === a.entry.id) continue;
    const score = Math.min(a.score, b.score);
    if (score > bestScore) {
      best = [a.entry, b.entry];
      bestScore = score;
    }
  }
  return best;
}

function strongEntries(keyword: Float64Array): number {
  let n = 0;
  for (const k of keyword) if (k >= HALF_MIN_KEYWORD) n += 1;
  return n;
}

/**
 * A half must say what it asks on its own: 在外地 咋认证 is one question, and its 咋认证 alone
 * would read as "how does the APP work".
 */
const HALF_MIN_KEYWORD = 2.5;
/**
 * A half must also ask something: 楼里好多老人不会弄 or 我妈没有智能手机 is the situation of the
 * question that follows, not a second question. (Normalised text: 咋/如何 are 怎么, 啥 is 什么, a
 * clause-final 不/没 is 吗.)
 */
const ASKING = /吗|怎么|什么|哪|几|谁|多少|能不能|可不可以|要不要|是不是|行不行|有没有|会不会|用不用|算不算|中不中|对不对|真的假的/u;
function half(kb: KnowledgeBase, normalised: string, t: MatchThresholds) {
  if (!ASKING.test(normalised)) return { kind: 'none' } as const;
  const scores = scoreNormalised(kb, normalised, t);
  return isFragment(scores.core, 1) ? ({ kind: 'none' } as const) : decide(kb, scores, t);
}
