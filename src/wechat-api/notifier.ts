import type { Notifier, NotifyOutcome } from '../notify';
import type { WechatApiClient } from './client';
import { WechatApiError, WINDOW_CLOSED_ERRCODE } from './errors';
import type { ApiLogger } from './types';

/**
 * The Notifier that reaches a follower through WeChat's customer-service API. It never throws: the
 * caller (the face-check result) has nobody to show an error to. A closed 48-hour window (45015) is
 * an expected outcome and logged as such; anything else is logged as a failure.
 */
export function createCustomerServiceNotifier(client: Pick<WechatApiClient, 'sendText'>, logger?: ApiLogger): Notifier {
  return {
    async sendText(openid: string, text: string): Promise<NotifyOutcome> {
      // The tail is enough to find the follower in WeChat's console; the full openid stays out of logs.
      const follower = `…${openid.slice(-6)}`;
      try {
        await client.sendText(openid, text);
        logger?.debug({ follower }, 'customer-service message sent');
        return 'sent';
      } catch (err) {
        if (err instanceof WechatApiError && err.errcode === WINDOW_CLOSED_ERRCODE) {
          logger?.info({ follower, errcode: err.errcode }, 'customer-service window closed; message not delivered');
          return 'window_closed';
        }
        if (err instanceof WechatApiError) {
          logger?.error({ follower, api: err.api, errcode: err.errcode, errmsg: err.errmsg }, 'customer-service message failed');
        } else {
          logger?.error({ follower, err }, 'customer-service message failed');
        }
        return 'failed';
      }
    },
  };
}
