import { commandWord } from '../content';
import { MAX_CLAUSES, clauses } from './clauses';
import { GENERIC } from './evidence';
import { DEFAULT_THRESHOLDS, MAX_QUESTION_CHARS, decide, scoreNormalised, type MatchThresholds } from './match';
import { normalize } from './normalize';
import { isPleasantry, isStartRequest, type Words } from './requests';
import type { FaqEntry, KnowledgeBase } from './types';

export type { Words } from './requests';

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

export interface ClassifyOptions {
  readonly thresholds?: MatchThresholds;
  /** A half of a two-question message must clear the answer bar by this much more. */
  readonly halfBonus?: number;
}

/** A clause that stops before its point: 如果…, 我妈她…, 认证的时候…. */
const UNFINISHED = /(?:的时候|如果|要是|因为|但是|所以|还有|然后|就是|和|跟|她|他|我想|我要)$/u;

/**
 * Nothing to read a question from: at most `left` characters beyond generic words (人脸, 那个认证),
 * or a clause that stops before its point.
 */
function isFragment(core: string, left: number): boolean {
  return core.replace(GENERIC, '').length <= left || UNFINISHED.test(core);
}

export function classify(kb: KnowledgeBase, words: Words, message: string, o: ClassifyOptions = {}): Classified {
  const t = o.thresholds ?? DEFAULT_THRESHOLDS;
  // A question is a sentence or two; a pasted essay is cut so one message cannot cost much time.
  const text = message.length > MAX_QUESTION_CHARS ? message.slice(0, MAX_QUESTION_CHARS) : message;
  const w = commandWord(text);
  if (words.start.has(w)) return { kind: 'command', command: 'start' };
  if (words.help.has(w)) return { kind: 'command', command: 'help' };
  if (words.greet.has(w)) return { kind: 'command', command: 'greet' };
  if (isPleasantry(text, words)) return { kind: 'pleasantry' };
  if (isStartRequest(text, words)) return { kind: 'command', command: 'start' };

  const scores = scoreNormalised(kb, normalize(text), t);
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
 * A half must say what it asks on its own: 在外地 咋认证 is one question, and its 咋认证 alone
 * would read as "how does the APP work".
 */
const HALF_MIN_KEYWORD = 2.5;

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
  // A half already needs a strong keyword and a question of its own; it is short, so it explains little else.
  const strict: MatchThresholds = { ...t, answer: t.answer + bonus, minKeyword: Math.max(t.minKeyword, HALF_MIN_KEYWORD), oneWordGuard: false };
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
 * A half must also ask something: 楼里好多老人不会弄 or 我妈没有智能手机 is the situation of the
 * question that follows, not a second question. (Normalised text: 咋/如何 are 怎么, 啥 is 什么, a
 * clause-final 不/没 is 吗.) 收不收钱 and 是不是假的 ask too.
 */
const ASKING = /吗|怎么|什么|哪|几|谁|多少|多久|多长时间|多会儿|能不能|可不可以|要不要|是不是|行不行|有没有|会不会|用不用|算不算|中不中|对不对|真的假的|(\p{Script=Han})不\1/u;
/**
 * A report of something going wrong asks for help without a question word: 刷脸一直转圈, 提示未到
 * 认证周期, 字太小看不见. (A state of the person, 我妈没有智能手机, is not such a report.)
 */
const TROUBLE = /提示|显示|一直|老是|总是|失败|不了|不过|不上|过不去|进不去|打不开|不动|退出|用不了|看不清|看不见|太小|卡住|卡了|转圈|黑屏|闪退|没反应|不行|不成功|通不过/u;
function half(kb: KnowledgeBase, normalised: string, t: MatchThresholds) {
  if (!ASKING.test(normalised) && !TROUBLE.test(normalised)) return { kind: 'none' } as const;
  const scores = scoreNormalised(kb, normalised, t);
  // 我老伴走了怎么办 is a question even though its situation words leave little of it.
  return isFragment(normalised, 1) ? ({ kind: 'none' } as const) : decide(kb, scores, t);
}
