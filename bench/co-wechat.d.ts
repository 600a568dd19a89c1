/** co-wechat 2.x ships no types; only what bench/peer-cowechat.ts uses. */
declare module 'co-wechat' {
  import type { Context, Middleware } from 'koa';

  /** A push as co-wechat hands it over: each XML element as a trimmed string, e.g. `Content`, `MsgId`. */
  export type WechatMessage = Readonly<Record<string, string | undefined>>;
  /** A string is a text reply; '' says nothing (co-wechat answers an empty body). */
  export type WechatHandler = (message: WechatMessage, ctx: Context) => Promise<string> | string;

  interface Wechat {
    middleware(handle: WechatHandler): Middleware;
  }
  function wechat(config: string | { token: string; appid?: string; encodingAESKey?: string }, isDebug?: boolean): Wechat;
  export default wechat;
}
