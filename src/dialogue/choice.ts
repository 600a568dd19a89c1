import { commandWord } from '../content';

/** A numbered list, one option a line: `1. 养老资格认证`. */
export const numbered = (items: readonly string[]) => items.map((s, i) => `${i + 1}. ${s}`).join('\n');

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

/**
 * The number a follower chose: 1, １, 一, 第一个, 选1, 1号… Returns null when the text is not a number.
 */
export function parseNumber(input: string): number | null {
  const s = commandWord(input).replace(/^(第|选|选择|选第|回复)/, '').replace(/(个|号|项|条)$/, '');
  if (/^\d{1,2}$/.test(s)) return Number(s);
  if (/^十[一二三四五六七八九]$/.test(s)) return 10 + (CN_DIGITS[s[1]!] ?? 0);
  return CN_DIGITS[s] ?? null;
}

/**
 * Which of `options` the follower meant: by number, by the option's exact words, or by words that
 * only one option contains. Null when it is none of them or ambiguous.
 */
export function pickOption(input: string, options: readonly string[]): number | null {
  const n = parseNumber(input);
  if (n !== null) return n >= 1 && n <= options.length ? n - 1 : null;
  const w = commandWord(input);
  if (w.length < 2) return null;
  const words = options.map(commandWord);
  const exact = words.indexOf(w);
  if (exact >= 0) return exact;
  const containing = words.flatMap((o, i) => (o.includes(w) || w.includes(o) ? [i] : []));
  return containing.length === 1 ? containing[0]! : null;
}
