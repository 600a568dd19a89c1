import type { Logger } from 'pino';

/** The logging the API client needs; a pino logger fits, and so does a test spy. */
export type ApiLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

/** Where tokens come from; `Config['wechat']` fits. */
export interface ApiSettings {
  readonly apiBase: string;
  readonly appId: string;
  readonly appSecret: string;
  /** `stable`: POST /cgi-bin/stable_token. `legacy`: GET /cgi-bin/token (each fetch voids the last). */
  readonly tokenMode: 'stable' | 'legacy';
  readonly apiTimeoutMs: number;
}

/** A menu button as WeChat's `menu/create` takes it: a leaf with a type, or a parent with sub-buttons. */
export type MenuLeaf =
  | { readonly type: 'click'; readonly name: string; readonly key: string }
  | { readonly type: 'view'; readonly name: string; readonly url: string }
  | { readonly type: 'miniprogram'; readonly name: string; readonly url: string; readonly appid: string; readonly pagepath: string }
  | { readonly type: 'article_id' | 'article_view_limited'; readonly name: string; readonly article_id: string };

export interface MenuParent {
  readonly name: string;
  readonly sub_button: readonly MenuLeaf[];
}

export type MenuButton = MenuLeaf | MenuParent;

/** The body of `POST /cgi-bin/menu/create`. */
export interface MenuBody {
  readonly button: readonly MenuButton[];
}

export function isMenuParent(b: MenuButton): b is MenuParent {
  return 'sub_button' in b;
}
