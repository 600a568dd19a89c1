/**
 * Typed failures of the WeChat HTTP API. Messages name the API (a path, never a full URL), so a
 * secret or an access token in a query string can never reach a log through an error message.
 */

/** Errcodes that mean "this access token is bad or expired": refresh once and retry once. */
export const TOKEN_REJECTED_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001]);

/** The customer-service window (48 hours after the follower last wrote) has closed. */
export const WINDOW_CLOSED_ERRCODE = 45015;

/** The follower no longer follows the account (43004): a message reaches them only if they come back. */
export const NOT_FOLLOWER_ERRCODE = 43004;

/** "System busy" (-1) and "API frequency limit" (45009): the same call may succeed a little later. */
export const RETRY_LATER_ERRCODES: ReadonlySet<number> = new Set([-1, 45009]);

/** Menu get: the account has no menu. */
export const NO_MENU_ERRCODE = 46003;

/** WeChat answered, with a non-zero errcode. */
export class WechatApiError extends Error {
  constructor(
    readonly api: string,
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeChat ${api} answered errcode ${errcode}: ${errmsg}`);
    this.name = 'WechatApiError';
  }

  get tokenRejected(): boolean {
    return TOKEN_REJECTED_ERRCODES.has(this.errcode);
  }
}

export type TransportFailure = 'timeout' | 'network' | 'http_status' | 'bad_response';

/** WeChat did not answer usefully: no answer in time, no connection, a non-2xx status, or not JSON. */
export class WechatTransportError extends Error {
  constructor(
    readonly api: string,
    readonly failure: TransportFailure,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`WeChat ${api}: ${detail}`, options);
    this.name = 'WechatTransportError';
  }
}

/** No access token could be had (e.g. another instance held the refresh lock for too long). */
export class WechatTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WechatTokenError';
  }
}
