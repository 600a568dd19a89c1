/**
 * How the backend tells a follower something outside a passive reply (the face-check result).
 * The WeChat customer-service API implements it; tests use a recording fake.
 */
export interface Notifier {
  sendText(openid: string, text: string): Promise<NotifyOutcome>;
}

/** `window_closed`: WeChat's 48-hour window has passed (errcode 45015): expected, not an error. */
export type NotifyOutcome = 'sent' | 'window_closed' | 'failed';
