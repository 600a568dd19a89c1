/**
 * Inbound pushes as a discriminated union on `msgType` (and `event` for events), so that a
 * `switch` over them is checked for exhaustiveness by the compiler.
 */
interface Common {
  /** The account's gh_ id. */
  readonly toUserName: string;
  /** The follower's openid. */
  readonly fromUserName: string;
  /** Seconds since the epoch. */
  readonly createTime: number;
}

/**
 * `msgId` is WeChat's MsgId (or MsgID), absent when the push has none: real pushes without one
 * exist, so deduplication must not rely on it alone.
 */
export type TextMessage = Common & { readonly msgType: 'text'; readonly msgId?: string; readonly content: string };
/** `recognition` is WeChat's speech-to-text; absent or empty when recognition is off or failed. */
export type VoiceMessage = Common & { readonly msgType: 'voice'; readonly msgId?: string; readonly mediaId: string; readonly format: string; readonly recognition?: string };
export type ImageMessage = Common & { readonly msgType: 'image'; readonly msgId?: string; readonly picUrl: string; readonly mediaId: string };
export type VideoMessage = Common & { readonly msgType: 'video' | 'shortvideo'; readonly msgId?: string; readonly mediaId: string; readonly thumbMediaId: string };
/** Coordinates are absent when the push's are missing or not numbers (the service never reads them). */
export type LocationMessage = Common & { readonly msgType: 'location'; readonly msgId?: string; readonly latitude?: number; readonly longitude?: number; readonly scale?: number; readonly label: string };
export type LinkMessage = Common & { readonly msgType: 'link'; readonly msgId?: string; readonly title: string; readonly description: string; readonly url: string };
/** A message type this backend does not know (WeChat adds new ones). */
export type OtherMessage = Common & { readonly msgType: 'other'; readonly rawType: string; readonly msgId?: string };

export type SubscribeEvent = Common & { readonly msgType: 'event'; readonly event: 'subscribe'; readonly eventKey?: string; readonly ticket?: string };
export type UnsubscribeEvent = Common & { readonly msgType: 'event'; readonly event: 'unsubscribe' };
export type ScanEvent = Common & { readonly msgType: 'event'; readonly event: 'SCAN'; readonly eventKey: string; readonly ticket?: string };
export type ClickEvent = Common & { readonly msgType: 'event'; readonly event: 'CLICK'; readonly eventKey: string };
export type ViewEvent = Common & { readonly msgType: 'event'; readonly event: 'VIEW'; readonly eventKey: string };
export type LocationEvent = Common & { readonly msgType: 'event'; readonly event: 'LOCATION'; readonly latitude?: number; readonly longitude?: number; readonly precision?: number };
export type OtherEvent = Common & { readonly msgType: 'event'; readonly event: 'other'; readonly rawEvent: string; readonly eventKey?: string };

export type InboundEvent = SubscribeEvent | UnsubscribeEvent | ScanEvent | ClickEvent | ViewEvent | LocationEvent | OtherEvent;
export type InboundMessage = TextMessage | VoiceMessage | ImageMessage | VideoMessage | LocationMessage | LinkMessage | OtherMessage | InboundEvent;

/** What the core answers with; the protocol layer turns it into reply XML (or `success`). */
export type Reply =
  | { readonly kind: 'text'; readonly content: string }
  | { readonly kind: 'news'; readonly article: { readonly title: string; readonly description: string; readonly picUrl?: string; readonly url: string } }
  | { readonly kind: 'none' };

/** How a push arrived, so that the reply goes back the same way. */
export type Envelope = { readonly mode: 'plain' } | { readonly mode: 'aes'; readonly keyIndex: number };
