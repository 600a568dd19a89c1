import { commandWord } from '../content';
import { clauses } from './clauses';

/**
 * Commands said in words rather than as a command word: a request to certify (帮我认证一下) and a
 * thank-you (谢谢你啊, 好的 知道了). Both are decided before any matching, from the command words of
 * templates/commands.yaml.
 */

/** Command words, each already in `commandWord` form (Content.commands holds them so). */
export interface Words {
  readonly start: ReadonlySet<string>;
  readonly help: ReadonlySet<string>;
  readonly greet: ReadonlySet<string>;
  readonly thanks: ReadonlySet<string>;
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

export function isStartRequest(text: string, words: Words): boolean {
  let w = commandWord(text);
  const polite = POLITE.exec(w);
  if (polite) w = polite[1]!;
  else if (ASKS.test(text)) return false;
  if (w.length > 20) return false;
  const rest = w.replace(START_AROUND, '');
  return rest !== w && words.start.has(rest);
}

/** Sounds at the end of a spoken thank-you: 谢谢你啊, 好的呀. */
const PARTICLES = /[啊呀啦哈哦嘛呢噢哇吧]+$/u;
/** Every clause thank-yous, OKs or greetings, even run together: 好的 知道了, 谢谢你啊, 懂了谢谢. */
export function isPleasantry(text: string, words: Words): boolean {
  const parts = clauses(text)
    .map((p) => commandWord(p).replace(PARTICLES, ''))
    .filter((p) => p.length > 0);
  const known = (w: string) => words.thanks.has(w) || words.greet.has(w);
  return parts.length > 0 && parts.every((p) => p.length <= 24 && madeOf(p, known));
}

/** Whether `s` splits into words that `known` accepts (a small dynamic programme over its positions). */
function madeOf(s: string, known: (w: string) => boolean): boolean {
  const ok = [true];
  for (let end = 1; end <= s.length; end++) {
    ok[end] = false;
    for (let start = Math.max(0, end - 8); start < end && !ok[end]; start++) ok[end] = ok[start] === true && known(s.slice(start, end).replace(PARTICLES, ''));
  }
  return ok[s.length] === true;
}
