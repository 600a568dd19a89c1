import { commandWord, type AnswerWords } from '../content';
import { findNumbers } from './numbers';
import { isQuestion, parseIdNumber, parseName, type IdReason } from './person';

/**
 * What one message holds for the form, however it was written: 我叫王建国, 姓名：刘秀英, voice with
 * commas, 身份证号码是…, or everything in one line (张桂兰 150102… 13847110000) in any order. Each
 * step reads its answer through this, so a line with several items fills every field it can.
 */
export interface Found {
  readonly category?: number;
  readonly id?: string;
  readonly name?: string;
  readonly phone?: string;
  /** An ID-shaped number that is wrong (a typo): why, so the reply can say it. */
  readonly idError?: { readonly reason: IdReason; readonly count?: number };
  /** A part that looked like a name but is a pleasantry, a command or a sentence (好的, 谢谢, 帮我妈认证). */
  readonly notAName?: true;
}

export interface ReadCtx {
  readonly words: AnswerWords;
  readonly today: Date;
}

/**
 * Longer than any line of name, ID number and phone with labels and commas (about 60 characters):
 * not read at all, so that a long message costs nothing (see MAX_ANSWER_CHARS).
 */
export const MAX_LINE_CHARS = 128;
/** A part naming a category is short (我是退休工人); a longer one is a sentence about something else. */
const MAX_CATEGORY_PART = 10;

/** Splits parts of a line; not at spaces (王 秀 英 is one name) nor at the dots of minority names. */
const PART_BREAK = /[,，、;；:：!！?？。"“”'‘’()（）【】[\]<>《》/|~～\n]+/u;
const DIGIT = /[0-9]/;

export const fieldsOf = (f: Found) => (['category', 'id', 'name', 'phone'] as const).filter((k) => f[k] !== undefined);

/**
 * A message is read by the store prefetch, by the step and by the question guard: the reading of
 * the last few texts is kept (the function is pure), so each message is read once. Only a few,
 * so that what followers sent does not linger in memory beyond the messages being answered.
 */
const recent = new WeakMap<AnswerWords, Map<string, Found>>();
const RECENT_MAX = 8;

export function readLine(text: string, ctx: ReadCtx): Found {
  if (text.length > MAX_LINE_CHARS) return {};
  let seen = recent.get(ctx.words);
  if (!seen) recent.set(ctx.words, (seen = new Map()));
  const key = `${ctx.today.getTime()}|${text}`;
  const known = seen.get(key);
  if (known) return known;
  if (seen.size >= RECENT_MAX) seen.delete(seen.keys().next().value!);
  const found = Object.freeze(readAfresh(text, ctx));
  seen.set(key, found);
  return found;
}

function readAfresh(text: string, ctx: ReadCtx): Found {
  const s = text.normalize('NFKC');
  const numbers = findNumbers(s, ctx.today);
  let words = '';
  let at = 0;
  for (const span of numbers.spans) {
    words += `${s.slice(at, span.start)}，`;
    at = span.end;
  }
  words += s.slice(at);

  const names = new Set<string>();
  const categories = new Set<number>();
  let notAName = false;
  for (const raw of words.split(PART_BREAK)) {
    // Digits that are no number we know, apart from the words (张桂兰 1501021945…): the words still count;
    // digits glued to them (王秀英2) make the whole part no name.
    const tokens = raw.split(/\s+/).filter((w) => w !== '' && !DIGIT.test(w));
    // 养老 李秀英 is a category word and a name; 领 养老金 together names a category.
    const perWord = tokens.map((w) => categoryIn(w, ctx));
    const whole = perWord.every((c) => c === null) && tokens.length > 0 ? categoryIn(tokens.join(''), ctx) : null;
    for (const c of [...perWord, whole]) if (c !== null) categories.add(c);
    const left = whole !== null ? [] : tokens.filter((_, i) => perWord[i] === null);
    if (left.length === 0) continue;
    const name = nameIn(left.join(' '), ctx.words);
    if (name === 'notAName') notAName = true;
    else if (name !== null) names.add(name);
  }
  // Two different names (or ID numbers…) in one line: which is meant is unknown, so neither is taken.
  const one = <T>(values: readonly T[]): T | undefined => (new Set(values).size === 1 ? values[0] : undefined);
  const category = one([...categories]);
  const id = one(numbers.spans.filter((n) => n.kind === 'id').map((n) => n.value));
  const name = one([...names]);
  const phone = one(numbers.spans.filter((n) => n.kind === 'phone').map((n) => n.value));
  return {
    ...(category !== undefined ? { category } : {}),
    ...(id !== undefined ? { id } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(phone !== undefined ? { phone } : {}),
    ...(numbers.idError ? { idError: numbers.idError } : {}),
    ...(notAName && names.size === 0 ? { notAName: true as const } : {}),
  };
}

/** The category a short part names (养老, 我是退休工人, 工伤遗属): the longest word found wins; a tie is no answer. */
export function categoryIn(part: string, ctx: ReadCtx): number | null {
  const w = commandWord(part);
  if (w === '' || w.length > MAX_CATEGORY_PART || isQuestion(part)) return null;
  let best: { i: number; len: number } | null = null;
  let tie = false;
  ctx.words.categoryWords.forEach((list, i) => {
    for (const word of list) {
      if (!w.includes(word)) continue;
      if (!best || word.length > best.len) [best, tie] = [{ i, len: word.length }, false];
      else if (word.length === best.len && best.i !== i) tie = true;
    }
  });
  const b = best as { i: number; len: number } | null;
  return b && !tie ? b.i : null;
}

/** A name in a part, stripped of labels and of 我叫/她叫/老人叫; 'notAName' for 好的, 谢谢 and sentences. */
export function nameIn(part: string, words: AnswerWords): string | 'notAName' | null {
  const whole = part.replace(/\s+/g, '');
  const tries = [whole, ...(/\s/.test(part.trim()) ? part.trim().split(/\s+/) : [])];
  let refused = false;
  for (const t of tries) {
    const r = oneName(t, words);
    if (r === 'notAName') refused = true;
    else if (r !== null) return r;
  }
  return refused ? 'notAName' : null;
}

const withoutPrefix = (s: string, words: AnswerWords) => {
  const prefix = words.namePrefixes.find((p) => s.startsWith(p) && s.length > p.length);
  return prefix ? s.slice(prefix.length) : s;
};

function oneName(t: string, words: AnswerWords): string | 'notAName' | null {
  // 我的名字叫… is a prefix before 名字 is a label; 姓名刘秀英 has only the label.
  let s = withoutPrefix(t, words);
  for (const label of words.labels) if (s.includes(label)) s = s.split(label).join('');
  s = withoutPrefix(s, words);
  if (s === '') return null;
  const w = commandWord(s);
  const parsed = parseName(s);
  if (words.notNames.has(w) || words.notNameWords.some((x) => w.includes(x)) || [...w].some((c) => words.notNameChars.has(c))) {
    // Only a text a name check would have let through needs saying "that is no name".
    return parsed.ok || words.notNames.has(w) ? 'notAName' : null;
  }
  return parsed.ok ? parsed.value : null;
}

/**
 * Why a text is no ID number, for the ID step's reply: labels dropped and the groups of a number
 * joined, so that 身份证号：15010219490101001 is told "17位" rather than "只能是数字".
 */
export function idReasonOf(text: string, found: Found, words: AnswerWords, today: Date): { reason: IdReason; count?: number } {
  if (found.idError) return found.idError;
  if (text.length > MAX_LINE_CHARS) {
    const long = parseIdNumber(text, today);
    return long.ok ? { reason: 'chars' } : { reason: long.reason, ...(long.count !== undefined ? { count: long.count } : {}) };
  }
  let s = text.normalize('NFKC');
  for (const label of words.labels) if (s.includes(label)) s = s.split(label).join('');
  const joined = s.replace(/[,，、;；:：。]+/gu, '');
  const id = parseIdNumber(joined, today);
  return id.ok ? { reason: 'chars' } : { reason: id.reason, ...(id.count !== undefined ? { count: id.count } : {}) };
}

/** A long number (six digits or more, groups joined): an attempt at an answer, never a question for the FAQ. */
export const holdsNumber = (text: string) => text.length <= MAX_LINE_CHARS && /\d{6}/.test(text.normalize('NFKC').replace(/[\s,，、\-]+/gu, ''));

/**
 * Words besides labels, and a long number, in one message: most likely a whole line in which the
 * ID step found no ID number; the reply then says that one item at a time is fine.
 */
export function wordsAndDigits(text: string, words: AnswerWords): boolean {
  if (text.length > MAX_LINE_CHARS) return false;
  let s = text.normalize('NFKC');
  for (const label of words.labels) if (s.includes(label)) s = s.split(label).join('');
  return /\d{6}/.test(s.replace(/[\s,，、\-]+/gu, '')) && /[\p{Script=Han}]/u.test(s.replace(/[零〇洞一幺二两三四五六七拐八九勾叉]/gu, ''));
}
