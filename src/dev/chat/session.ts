import { assertNever } from '../../never';
import { randomBytes } from 'node:crypto';
import type { CustomMessage } from '../fake-wechat-api';
import { buildPush, eventXml, openReply, textXml, voiceXml, type PushMode } from '../../wechat/client-sign';
import type { WechatCrypto } from '../../wechat/crypto';
import type { MenuBody, MenuLeaf } from '../../wechat-api/types';
import { formatCustomerService, formatFailure, formatReply } from './format';
import { CLOSED, menuBar, press, type MenuNav } from './menu-view';

/**
 * One follower talking to the account, as WeChat's servers would carry it: every action becomes a
 * push signed (and in safe mode sealed) exactly as WeChat does, and every answer is opened and
 * turned into the lines a terminal prints. Tests drive it the same way a person does.
 */
export interface ChatSession {
  readonly openid: string;
  /** The menu bar (and the open sub-menu). */
  menuLines(): string[];
  /** Taps button `n` of the bar or of the open sub-menu (0 closes it). */
  tap(n: number): Promise<string[]>;
  say(text: string): Promise<string[]>;
  /** A voice message; `recognition` is WeChat's speech-to-text (undefined: recognition off). */
  voice(recognition: string | undefined): Promise<string[]>;
  /** Follows the account (the subscribe event). */
  subscribe(): Promise<string[]>;
  /** Lines for a customer-service message, or null when it is for another follower. */
  customerService(m: CustomMessage): string[] | null;
}

export interface ChatOptions {
  /** The server's push endpoint, e.g. http://localhost:3000/wechat. */
  readonly url: string;
  readonly token: string;
  readonly menu: MenuBody;
  /** Default 'plain'; 'safe' and 'compat' need `crypto`. */
  readonly mode?: PushMode;
  readonly crypto?: WechatCrypto;
  readonly openid?: string;
  /** The account's gh_ id (ToUserName of every push). */
  readonly account?: string;
  /** WeChat gives up on a push after 5 seconds. */
  readonly timeoutMs?: number;
}

export function createChatSession(opts: ChatOptions): ChatSession {
  const openid = opts.openid ?? `o_chat_${randomBytes(8).toString('hex')}`;
  const account = opts.account ?? 'gh_simulator0001';
  const mode = opts.mode ?? 'plain';
  const timeoutMs = opts.timeoutMs ?? 5000;
  const who = { to: account, from: openid };
  let nav: MenuNav = CLOSED;

  async function push(xml: string): Promise<string[]> {
    const { query, body } = buildPush({ token: opts.token, xml, mode, openid, ...(opts.crypto ? { crypto: opts.crypto } : {}) });
    const url = new URL(opts.url);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    let status: number;
    let text: string;
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' }, body, signal: AbortSignal.timeout(timeoutMs) });
      status = res.status;
      text = await res.text();
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      if (cause?.code === 'ECONNREFUSED') return formatFailure(`nothing listens at ${opts.url} (is the server started? npm start)`);
      if ((err as { name?: string }).name === 'TimeoutError') return formatFailure(`no answer within ${timeoutMs} ms (WeChat gives up after 5 s)`);
      return formatFailure(`request failed: ${cause?.message ?? String(err)}`);
    }
    if (status !== 200) return formatFailure(`the server answered HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`);
    try {
      return formatReply(await openReply(text, { token: opts.token, crypto: mode === 'plain' ? null : (opts.crypto ?? null) }), { openid, account });
    } catch (err) {
      return formatFailure(`the reply cannot be read as WeChat would: ${(err as Error).message}`);
    }
  }

  async function act(leaf: MenuLeaf, path: string): Promise<string[]> {
    const heading = `你 › 点击菜单「${path}」`;
    switch (leaf.type) {
      case 'click':
        return [heading, ...(await push(eventXml({ ...who, event: 'CLICK', eventKey: leaf.key })))];
      case 'view':
        return [heading, `(opens ${leaf.url})`, ...(await push(eventXml({ ...who, event: 'VIEW', eventKey: leaf.url })))];
      case 'miniprogram':
        return [heading, `(opens mini program ${leaf.appid} ${leaf.pagepath}; nothing is sent to the server)`];
      case 'article_id':
      case 'article_view_limited':
        return [heading, `(opens article ${leaf.article_id}; nothing is sent to the server)`];
      default:
        return assertNever(leaf);
    }
  }

  return {
    openid,
    menuLines: () => menuBar(opts.menu, nav),
    async tap(n) {
      const result = press(opts.menu, nav, n);
      nav = result.nav;
      switch (result.kind) {
        case 'opened':
        case 'closed':
          return menuBar(opts.menu, nav);
        case 'none':
          return [`! ${result.why}`, ...menuBar(opts.menu, nav)];
        case 'leaf':
          return act(result.leaf, result.path);
        default:
          return assertNever(result);
      }
    },
    async say(text) {
      nav = CLOSED;
      return [`你 › ${text}`, ...(await push(textXml({ ...who, content: text })))];
    },
    async voice(recognition) {
      nav = CLOSED;
      const heard = recognition === undefined ? '(语音识别关闭 recognition off)' : `「${recognition}」`;
      return [`你 › [语音 voice] ${heard}`, ...(await push(voiceXml({ ...who, ...(recognition !== undefined ? { recognition } : {}) })))];
    },
    async subscribe() {
      return ['你 › [关注公众号 subscribe]', ...(await push(eventXml({ ...who, event: 'subscribe' })))];
    },
    customerService: (m) => (m.touser === openid ? formatCustomerService(m) : null),
  };
}
