import { assertNever, type Input } from './dialogue/types';
import type { InboundMessage } from './wechat/types';

/**
 * A push as the core and the delivery cache see it: what was said, and which delivery it was.
 * WeChat delivers a push up to three times; `deliveryId` identifies one delivery's retries. A message
 * without a MsgId (some senders leave it out) is told apart by its time, type and body: a retry
 * carries the same body, two messages in one second do not. Such an id, which may hold the text,
 * is only ever stored keyed-hashed (store/layout.ts `delivery`).
 */
export function deliveryId(m: InboundMessage): string {
  if (m.msgType === 'event') return `e:${m.createTime}:${m.event === 'other' ? m.rawEvent : m.event}:${'eventKey' in m ? (m.eventKey ?? '') : ''}`;
  if (m.msgId) return `m:${m.msgId}:${m.createTime}:${m.msgType}`;
  return `n:${m.createTime}:${m.msgType}:${bodyOf(m)}`;
}

function bodyOf(m: Exclude<InboundMessage, { msgType: 'event' }>): string {
  switch (m.msgType) {
    case 'text':
      return m.content;
    case 'voice':
      return `${m.mediaId}:${m.recognition ?? ''}`;
    case 'image':
    case 'video':
    case 'shortvideo':
      return m.mediaId;
    case 'location':
    case 'link':
    case 'other':
      return JSON.stringify(m);
    default:
      return assertNever(m);
  }
}

export function toInput(m: InboundMessage): Input {
  switch (m.msgType) {
    case 'text':
      return { kind: 'text', text: m.content };
    case 'voice':
      return m.recognition?.trim() ? { kind: 'text', text: m.recognition } : { kind: 'voiceUnclear' };
    case 'image':
    case 'video':
    case 'shortvideo':
    case 'location':
    case 'link':
    case 'other':
      return { kind: 'unsupported' };
    case 'event':
      switch (m.event) {
        case 'subscribe':
          return { kind: 'subscribe' };
        case 'unsubscribe':
          return { kind: 'unsubscribe' };
        case 'CLICK':
          return { kind: 'click', key: m.eventKey };
        case 'SCAN':
        case 'VIEW':
        case 'LOCATION':
        case 'other':
          return { kind: 'silent' };
        default:
          return assertNever(m);
      }
    default:
      return assertNever(m);
  }
}
