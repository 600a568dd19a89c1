import { createHmac } from 'node:crypto';

/**
 * Reading what a follower types for the person to certify: old people and their relatives type
 * full-width digits, spaces, hyphens and a lower-case x. Each parser says why it refused, so the
 * reply can name the reason.
 */
export type Parsed<T, R extends string> = { ok: true; value: T } | { ok: false; reason: R; count?: number };

const fold = (s: string) => s.normalize('NFKC');

/**
 * An ID number, a name or a phone number is short, even typed with spaces and hyphens or read out
 * by speech recognition with a comma between groups. A longer text is not one of them: it is
 * refused before any pattern looks at it, so one long message costs nothing (a 60 000-space push
 * once held the server for seconds).
 */
export const MAX_ANSWER_CHARS = 64;
const tooLong = (s: string) => s.length > MAX_ANSWER_CHARS;

const TRAILING = new Set([...'。．.，,、！!；;']);
const isTrailing = (c: string) => TRAILING.has(c) || /^\s$/u.test(c);
/**
 * WeChat's speech recognition ends a sentence with 。 and people end one with 。 or ，: not part of
 * the answer. A loop from the end, not an end-anchored regex: `/[…]+$/` retries every start of a
 * long run that is followed by anything else, which is quadratic.
 */
function trimEnd(s: string): string {
  let end = s.length;
  while (end > 0 && isTrailing(s[end - 1]!)) end--;
  return s.slice(0, end);
}
const SPOKEN: Readonly<Record<string, string>> = { 零: '0', 〇: '0', 洞: '0', 一: '1', 幺: '1', 二: '2', 两: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 拐: '7', 八: '8', 九: '9', 勾: '9', 叉: 'X' };
/**
 * Speech recognition writes a spoken number in words (一五零一…, 幺三九…, a final 叉 for X):
 * read such a string as the digits it means. Anything with other characters is left alone.
 */
function spokenDigits(s: string): string {
  if (!/^[\d零〇洞一幺二两三四五六七拐八九勾叉Xx\s\-]+$/u.test(s) || !/[零〇洞一幺二两三四五六七拐八九勾叉]/u.test(s)) return s;
  return s.replace(/[零〇洞一幺二两三四五六七拐八九勾叉]/gu, (c) => SPOKEN[c] ?? c);
}
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/**
 * The GB 11643-1999 check character (0–9 or X) of an ID number's first 17 digits: computed here
 * only, so the parser, the tests' fixtures and the benchmark's followers cannot disagree on it.
 */
export function gbCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('gbCheckDigit needs exactly 17 digits');
  return CHECK[WEIGHTS.reduce((acc, w, i) => acc + w * Number(first17[i]), 0) % 11]!;
}

export type IdReason = 'length' | 'chars' | 'date' | 'checksum';

/** GB 11643-1999: 17 digits and a check digit (0–9 or X), with a real birth date. */
export function parseIdNumber(input: string, today = new Date()): Parsed<string, IdReason> {
  // The reply names how many characters came, as it does for a short number: far more than 18.
  if (tooLong(input)) return { ok: false, reason: 'length', count: Array.from(input).length };
  const s = spokenDigits(trimEnd(fold(input))).replace(/[\s\-_]+/g, '').toUpperCase();
  if (!/^[0-9X]*$/.test(s) || /X./.test(s)) return { ok: false, reason: 'chars' };
  if (s.length !== 18) return { ok: false, reason: 'length', count: s.length };
  if (!/^\d{17}[\dX]$/.test(s)) return { ok: false, reason: 'chars' };
  const y = Number(s.slice(6, 10));
  const m = Number(s.slice(10, 12));
  const d = Number(s.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1890 || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d || birth.getTime() > today.getTime()) {
    return { ok: false, reason: 'date' };
  }
  if (gbCheckDigit(s.slice(0, 17)) !== s[17]) return { ok: false, reason: 'checksum' };
  return { ok: true, value: s };
}

const DOTS = /[·•・．.。\u00B7\u2027\u30FB\uFF65\u2022]/g;
/**
 * Words no name contains but questions do (需要本人吗, 要带什么, 认证要多久, 不会): a question typed
 * at the name step must never become someone's name, even when the FAQ has no answer for it.
 */
const QUESTION = /[吗呢吧么]$|怎|什么|啥|如何|为何|哪|谁|多久|多少|能不能|可不可以|是不是|要不要|有没有|行不行|不会|不懂|不知道|不清楚|不明白/u;

/** Chinese names, minority names with a middle dot included (阿卜杜拉·买买提). */
export function parseName(input: string): Parsed<string, 'invalid'> {
  if (tooLong(input)) return { ok: false, reason: 'invalid' };
  const s = trimEnd(fold(input)).replace(/\s+/g, '').replace(DOTS, '·');
  const han = s.replace(/·/g, '');
  if (han.length < 2 || s.length > 20 || !/^\p{Script=Han}+$/u.test(han) || QUESTION.test(han)) return { ok: false, reason: 'invalid' };
  if (s.startsWith('·') || s.endsWith('·') || s.includes('··')) return { ok: false, reason: 'invalid' };
  return { ok: true, value: s };
}

/** A mainland mobile number; a +86 or 86 prefix is dropped. */
export function parseMobile(input: string): Parsed<string, 'invalid'> {
  if (tooLong(input)) return { ok: false, reason: 'invalid' };
  let s = spokenDigits(trimEnd(fold(input))).replace(/[\s\-()]+/g, '');
  if (/^\+?86\d{11}$/.test(s)) s = s.replace(/^\+?86/, '');
  return /^1[3-9]\d{9}$/.test(s) ? { ok: true, value: s } : { ok: false, reason: 'invalid' };
}

export const maskId = (id: string) => `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
export const maskPhone = (p: string) => `${p.slice(0, 3)}****${p.slice(-4)}`;
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 2) return `${chars[0] ?? ''}*`;
  return `${chars[0]}${chars.slice(1, -1).map((c) => (c === '·' ? '·' : '*')).join('')}${chars[chars.length - 1]}`;
}

/** The record key of a person: a keyed hash, so records never hold or reveal an ID number. */
export function personKey(secret: string, idNumber: string): string {
  return createHmac('sha256', secret).update(idNumber).digest('hex').slice(0, 32);
}
