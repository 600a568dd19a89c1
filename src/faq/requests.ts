import { commandWord } from '../content';
import { clauses } from './clauses';
import { withoutPeople } from './situation';

/**
 * Commands said in words rather than as a command word: a request to certify (帮我认证一下, 给俺爸弄个
 * 认证) and a thank-you (谢谢你啊, 好的 知道了, 行嘞 那我回头让我儿子弄). Both are decided before any
 * matching, from the command words of templates/commands.yaml.
 */

/** Command words, each already in `commandWord` form (Content.commands holds them so). */
export interface Words {
  readonly start: ReadonlySet<string>;
  readonly help: ReadonlySet<string>;
  readonly greet: ReadonlySet<string>;
  readonly thanks: ReadonlySet<string>;
}

/**
 * Words around a request to certify that do not change it: who does it (帮, 给, 替 and the person,
 * whoever it is: see situation.ts), wanting (我要, 我想, 现在就) and softeners (一下, 吧). What is left
 * must be a start word.
 */
const START_AROUND =
  /请|麻烦|帮忙|帮|给|替|为|你们|你|您|我们|我来|我|现在|马上|今天|就|想要|想|要|准备|做个|做|办理|办个|办|弄个|弄|搞个|搞|进行|一下|下|个|吧|呗|啊|呀|家里|家|(?:楼里|村里|院里|小区里?|社区里?|这些|那几个|这几个|几个|两个)的?|老人家?|父母|爸妈|俩人|两人|两个人|两位|几个人|俩|他|她|们/gu;
/** Doing something for someone, said without what: 给…办一下, 帮…弄. */
const FOR_SOMEONE = /[给帮替].*[弄办做搞认]/u;
/** A question about certifying is not a request to do it: 怎么给我妈认证, 能帮我认证吗. */
const ASKS = /怎|如何|吗|么|能不能|可不可以|可以|行不行|行不|能否|什么|啥|哪|几|谁|多少|多久|不|没|\?|？/u;

/** Asking the account itself to do it is a request, not a question: 能帮我认证吗, 可以给我妈认证不. */
const POLITE = /^(?:请问)?(?:你们?|您)?(?:能不能|可不可以|能否|能|可以)(?=帮|给|替|为)(.*?)(?:吗|么|不|没有?|呀|啊|\?)*$/u;

export function isStartRequest(text: string, words: Words): boolean {
  return isStartClause(text, words) || isStartClause(afterThanks(text, words), words);
}

/** 好的，帮我认证一下: the request after an OK. */
function afterThanks(text: string, words: Words): string {
  const parts = clauses(text);
  let i = 0;
  while (i < parts.length - 1 && isThanks(commandWord(parts[i]!).replace(PARTICLES, ''), words)) i += 1;
  return i === 0 ? '' : parts.slice(i).join('');
}

function isStartClause(text: string, words: Words): boolean {
  let w = commandWord(text).replace(/俺|咱/gu, '我');
  const polite = POLITE.exec(w);
  if (polite) w = polite[1]!;
  else if (ASKS.test(text)) return false;
  if (w.length > 20) return false;
  // 你帮我给我爸弄一下这个认证吧: 这个 and 那个 point at the certification once someone is named.
  if (FOR_SOMEONE.test(w)) w = w.replace(/那个|这个/gu, '');
  const rest = withoutPeople(w).replace(START_AROUND, '');
  // 给我岳母办一下, 帮我弄一下, 帮俺认一下: doing it for someone is the one thing this account does.
  if ((rest === '' || rest === '认') && FOR_SOMEONE.test(w)) return true;
  return rest !== w && words.start.has(rest);
}

/** A clause that is only a speaker's hesitation, and the sounds that may be one too. */
const HESITATION = /^(?:那个|这个|就是说?|那|呃|哎|唉|了)+$/u;
const SOUND = /^(?:嗯|哦|噢)+$/u;

/** Sounds at the end of a spoken thank-you: 谢谢你啊, 好的呀, 行嘞, 好哩. */
const PARTICLES = /[啊呀啦哈哦嘛呢噢哇吧嘞咧呗哩]+$/u;

/**
 * What a follower says after a thank-you about what they will do next: 那我回头让我儿子弄, 我明天再弄,
 * 我试试. Such a clause asks nothing, and answering it as a question ("I cannot answer that") is rude.
 */
const NEXT_STEP = /回头|回来|等我|等他|等她|等孩子|明天|后天|改天|等会|等一会|一会儿?|过会|待会|晚点|晚上|下午|再|试试|试一下|试一试|让|叫|我去|去弄|去办|去问|问问|自己弄/u;
const NEXT_STEP_MAX = 20;
const KNOWS_NOW = /^我?(?:知道|晓得|会|懂|明白)了?(?:怎么|咋|如何)\p{Script=Han}{0,6}$/u;

/**
 * Every clause thank-yous, OKs or greetings, even run together (好的 知道了, 谢谢你啊, 懂了谢谢); or
 * such a clause followed by what the follower will do next (行嘞，那我回头让我儿子弄).
 */
export function isPleasantry(text: string, words: Words): boolean {
  // 嗯，那个，行，好的…: a spoken 那个 between the OKs neither thanks nor asks (nor a 了 cut off at 怎么弄).
  const all = clauses(text)
    .map((p) => commandWord(p).replace(PARTICLES, ''))
    .filter((p) => p.length > 0);
  const parts = all.filter((p) => !HESITATION.test(p));
  const kind = parts.map((p) => isThanks(p, words));
  if (parts.length === 0 || !kind.some(Boolean)) return false;
  // 嗯，就是那个，那个: a 嗯 among hesitations is someone about to ask, not an OK.
  if (parts.length < all.length && parts.every((p, i) => !kind[i] || SOUND.test(p))) return false;
  return parts.every((p, i) => kind[i] || isNextStep(p, words));
}

/** A clause (in commandWord form) made of thank-yous, OKs and greetings only. */
function isThanks(clause: string, words: Words): boolean {
  return clause.length > 0 && clause.length <= 24 && madeOf(clause, (w) => words.thanks.has(w) || words.greet.has(w));
}

function isNextStep(clause: string, words: Words): boolean {
  if (clause.length > NEXT_STEP_MAX) return false;
  // 我知道怎么弄了: 怎么 here says what the follower now knows, it asks nothing.
  if (KNOWS_NOW.test(clause)) return true;
  return NEXT_STEP.test(clause) && !ASKS.test(clause) && !isStartRequest(clause, words);
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
