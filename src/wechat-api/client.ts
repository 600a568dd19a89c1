import type { TemplateMessageBody } from '../notify';
import type { Store } from '../store/types';
import { NO_MENU_ERRCODE, WechatApiError, WechatTransportError } from './errors';
import { requestJson, type JsonObject } from './http';
import { createTokenManager, type TokenManager } from './token';
import type { ApiLogger, ApiSettings, MenuBody } from './types';

/** The typed WeChat API this backend uses. Every method rejects with WechatApiError or WechatTransportError. */
export interface WechatApiClient {
  /** The shared access token (fetched once for all instances). */
  accessToken(): Promise<string>;
  /**
   * Calls an API that takes `access_token` in its query (GET without a body, POST with one). When
   * WeChat rejects the token (40001/40014/42001) the token is refreshed once and the call retried
   * once; a second rejection is thrown, so a broken setup never loops.
   */
  call(path: string, body?: unknown): Promise<JsonObject>;
  /** A customer-service text message (`message/custom/send`); 45015 means the window has closed. */
  sendText(openid: string, content: string): Promise<void>;
  /** A template message (`message/template/send`); 43004 means the follower left. */
  sendTemplate(openid: string, message: TemplateMessageBody): Promise<void>;
  createMenu(menu: MenuBody): Promise<void>;
  /** The published menu, or null when the account has none (46003). */
  getMenu(): Promise<MenuBody | null>;
  deleteMenu(): Promise<void>;
}

export interface WechatApiClientOptions {
  /** `config.wechat` fits. */
  readonly settings: ApiSettings;
  /** Shared by every instance: the access token and its refresh lock live here. */
  readonly store: Store;
  readonly logger?: ApiLogger;
  /** Refresh the token this long before it expires (default 5 minutes). */
  readonly refreshAheadMs?: number;
  readonly now?: () => number;
}

export function createWechatApiClient(opts: WechatApiClientOptions): WechatApiClient {
  const { settings, logger } = opts;
  const tokens: TokenManager = createTokenManager({
    store: opts.store,
    settings,
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.refreshAheadMs !== undefined ? { refreshAheadMs: opts.refreshAheadMs } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });

  const once = (path: string, token: string, body: unknown): Promise<JsonObject> =>
    requestJson({ base: settings.apiBase, path, query: { access_token: token }, body, timeoutMs: settings.apiTimeoutMs });

  async function call(path: string, body?: unknown): Promise<JsonObject> {
    const token = await tokens.get();
    try {
      return await once(path, token, body);
    } catch (err) {
      if (!(err instanceof WechatApiError && err.tokenRejected)) throw err;
      logger?.warn({ api: path, errcode: err.errcode }, 'wechat rejected the access token; refreshing once and retrying once');
      return once(path, await tokens.replace(token), body);
    }
  }

  return {
    accessToken: () => tokens.get(),
    call,
    async sendText(openid, content) {
      await call('/cgi-bin/message/custom/send', { touser: openid, msgtype: 'text', text: { content } });
    },
    async sendTemplate(openid, m) {
      await call('/cgi-bin/message/template/send', {
        touser: openid,
        template_id: m.templateId,
        ...(m.url ? { url: m.url } : {}),
        data: Object.fromEntries(Object.entries(m.data).map(([k, value]) => [k, { value }])),
        ...(m.clientMsgId ? { client_msg_id: m.clientMsgId } : {}),
      });
    },
    async createMenu(menu) {
      await call('/cgi-bin/menu/create', menu);
    },
    async getMenu() {
      try {
        const answer = await call('/cgi-bin/menu/get');
        const menu = answer['menu'];
        if (menu === null || typeof menu !== 'object' || !Array.isArray((menu as { button?: unknown }).button)) {
          throw new WechatTransportError('/cgi-bin/menu/get', 'bad_response', 'no menu.button in the answer');
        }
        return menu as MenuBody;
      } catch (err) {
        if (err instanceof WechatApiError && err.errcode === NO_MENU_ERRCODE) return null;
        throw err;
      }
    },
    async deleteMenu() {
      await call('/cgi-bin/menu/delete');
    },
  };
}
