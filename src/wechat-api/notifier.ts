import type { Notifier, NotifyOutcome } from '../notify';
import type { WechatApiClient } from './client';
import { NOT_FOLLOWER_ERRCODE, RETRY_LATER_ERRCODES, WechatApiError, WechatTransportError, WINDOW_CLOSED_ERRCODE } from './errors';
import type { ApiLogger } from './types';

/**
 * The Notifier that reaches a follower through WeChat's customer-service API. It never throws: the
 * caller (the outbox) has nobody to show an error to, and needs only to know whether trying again
 * could help. A closed window (45015) or an unfollow (43004) is an expected outcome and logged as
 * such; a busy or unreachable WeChat is a warning (the outbox tries again); anything else is an error.
 */
export function createCustomerServiceNotifier(client: Pick<WechatApiClient, 'sendText' | 'sendTemplate'>, logger?: ApiLogger): Notifier {
  async function send(what: string, openid: string, f: () => Promise<void>): Promise<NotifyOutcome> {
    // The tail is enough to find the follower in WeChat's console; the full openid stays out of logs.
    const follower = `…${openid.slice(-6)}`;
    try {
      await f();
      logger?.debug({ follower }, `${what} sent`);
      return 'sent';
    } catch (err) {
      const outcome = classify(err);
      if (outcome === 'window_closed' || outcome === 'not_follower') {
        logger?.info({ follower, errcode: (err as WechatApiError).errcode }, `${what} not deliverable now`);
      } else if (outcome === 'retry') {
        logger?.warn({ follower, ...detail(err) }, `${what} refused for now; will try again`);
      } else {
        logger?.error({ follower, ...detail(err) }, `${what} failed`);
      }
      return outcome;
    }
  }
  return {
    sendText: (openid, text) => send('customer-service message', openid, () => client.sendText(openid, text)),
    sendTemplate: (openid, message) => send('template message', openid, () => client.sendTemplate(openid, message)),
  };
}

/** What an error of the API client means for a customer-service message. */
export function classify(err: unknown): Exclude<NotifyOutcome, 'sent'> {
  if (err instanceof WechatApiError) {
    if (err.errcode === WINDOW_CLOSED_ERRCODE) return 'window_closed';
    if (err.errcode === NOT_FOLLOWER_ERRCODE) return 'not_follower';
    return RETRY_LATER_ERRCODES.has(err.errcode) ? 'retry' : 'failed';
  }
  if (err instanceof WechatTransportError) return err.failure === 'bad_response' ? 'failed' : 'retry';
  // No access token for now (another instance held the refresh lock too long): try again later.
  return 'retry';
}

const detail = (err: unknown) =>
  err instanceof WechatApiError ? { api: err.api, errcode: err.errcode, errmsg: err.errmsg } : { err: { message: (err as Error)?.message } };
