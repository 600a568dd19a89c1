/** The typed WeChat HTTP API client: shared access token, customer-service messages, menu. */
export { createWechatApiClient, type WechatApiClient, type WechatApiClientOptions } from './client';
export { classify, createCustomerServiceNotifier } from './notifier';
export { createTokenManager, tokenKey, type StoredToken, type TokenManager, type TokenManagerOptions } from './token';
export {
  NO_MENU_ERRCODE,
  NOT_FOLLOWER_ERRCODE,
  RETRY_LATER_ERRCODES,
  TOKEN_REJECTED_ERRCODES,
  WINDOW_CLOSED_ERRCODE,
  WechatApiError,
  WechatTokenError,
  WechatTransportError,
  type TransportFailure,
} from './errors';
export { isMenuParent, type ApiLogger, type ApiSettings, type MenuBody, type MenuButton, type MenuLeaf, type MenuParent } from './types';
