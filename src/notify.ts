/**
 * How the backend tells a follower something outside a passive reply (the face-check result, a reminder).
 * The WeChat customer-service API implements it; tests use a recording fake. It never throws: the
 * outbox (src/outbox/) decides from the outcome whether to try again or keep the message for the
 * follower's next reply.
 */
export interface Notifier {
  sendText(openid: string, text: string): Promise<NotifyOutcome>;
  /** A template message (the reminders): no 48-hour window, but the follower must still follow (43004). */
  sendTemplate(openid: string, message: TemplateMessageBody): Promise<NotifyOutcome>;
}

/**
 * A template message as the account sends it: the template the office picked, what a tap opens
 * (optional), and each field's value (at most 20 characters, no line breaks, since 2023).
 * `clientMsgId` lets WeChat drop a repeat of the same message to the same follower.
 */
export interface TemplateMessageBody {
  readonly templateId: string;
  readonly url?: string;
  readonly data: Readonly<Record<string, string>>;
  readonly clientMsgId?: string;
}

/**
 * - `sent`: WeChat took it.
 * - `retry`: WeChat was busy or did not answer (errcode -1 or 45009, a timeout, a network error,
 *   a 5xx): worth trying again later.
 * - `window_closed`: the follower's 48-hour customer-service window has passed (45015).
 * - `not_follower`: the follower no longer follows the account (43004).
 * - `failed`: any other refusal; trying again would get the same answer.
 */
export type NotifyOutcome = 'sent' | 'retry' | 'window_closed' | 'not_follower' | 'failed';
