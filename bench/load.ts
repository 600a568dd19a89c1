import { buildPush, textXml } from '../src/wechat/client-sign';
import { gbCheckDigit } from '../src/dialogue/person';

/**
 * The pushes of the benchmark, every one with a fresh MsgId and a fresh signature, as WeChat sends
 * them. Two workloads:
 * - `faq`: the same FAQ question from each of F followers, over and over (what every contender of
 *   the comparison can answer: the app, both floors and the co-wechat peer);
 * - `dialogue`: each follower walks one script (an FAQ question, the whole certification dialogue
 *   up to the face-check link, a question inside it, then 退出); after a full script a follower is
 *   replaced by a new one. Only the app can do this.
 * Request n goes to follower n mod F, so with thousands of followers one follower never has two
 * pushes in flight.
 */
export const SCRIPT_LENGTH = 10;
const ACCOUNT = 'gh_benchaccount01';

/** A valid 18-digit ID number (the project's one GB 11643 check digit), different for each i. */
export function idNumberFor(i: number): string {
  const birth = `19${40 + (i % 20)}0${1 + (i % 9)}${10 + (i % 18)}`;
  const body = `110105${birth}${String(i % 1000).padStart(3, '0')}`;
  return body + gbCheckDigit(body);
}

/** The question of the `faq` workload; every contender must answer it with the same FAQ entry. */
export const FAQ_QUESTION = '每年要认证几次？';

function line(step: number, follower: number): string {
  switch (step) {
    case 0: return FAQ_QUESTION;
    case 1: return '认证';
    case 2: return '1'; // the notice: acknowledged
    case 3: return '1'; // category
    case 4: return idNumberFor(follower); // the step that prefetches the certification record
    case 5: return '王秀英';
    case 6: return '13912342345';
    case 7: return '1'; // confirm: the face-check link is issued
    case 8: return '在外地能认证吗';
    default: return '退出';
  }
}

const STEP_NAMES = ['FAQ question', '认证 (start)', 'notice: 1', 'category: 1', 'ID number', 'name', 'phone', 'confirm: 1 (link)', 'FAQ in dialogue', '退出'];
export const stepName = (step: number): string => STEP_NAMES[step] ?? String(step);

export interface PushSource {
  /** The n-th push: path with the signed query, and the XML body. */
  next(): { path: string; body: string; step: number };
  readonly issued: number;
}

export type Workload = 'faq' | 'dialogue';

export function pushSource(opts: { token: string; followers: number; prefix: string; workload: Workload }): PushSource {
  let n = 0;
  let msgSeq = 0;
  return {
    get issued() {
      return n;
    },
    next() {
      const i = n % opts.followers;
      const round = Math.floor(n / opts.followers);
      n++;
      const step = opts.workload === 'faq' ? 0 : round % SCRIPT_LENGTH;
      const generation = opts.workload === 'faq' ? 0 : Math.floor(round / SCRIPT_LENGTH);
      const openid = `o${opts.prefix}${generation}_${i}`;
      const seconds = Math.floor(Date.now() / 1000);
      const xml = textXml({ to: ACCOUNT, from: openid, createTime: seconds, content: line(step, i), msgId: `${seconds}${++msgSeq}` });
      const { query, body } = buildPush({ token: opts.token, xml, mode: 'plain', openid, timestampSeconds: seconds });
      return { path: `/wechat?${new URLSearchParams(query).toString()}`, body, step };
    },
  };
}

/** What a reply must look like: a text reply XML, not the 系统繁忙 fallback. */
export function isGoodReply(status: number, body: string): boolean {
  return status === 200 && body.startsWith('<xml>') && !body.includes('系统繁忙');
}
