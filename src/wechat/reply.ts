import { computeSignature } from './signature';

/**
 * WeChat refuses a passive text reply, or a customer-service text, whose Content exceeds 2048 bytes
 * (about 680 Chinese characters). The one copy of that cap: everything that sizes a text uses it.
 */
export const TEXT_CONTENT_MAX_BYTES = 2048;
/** What ends a text that `truncateUtf8` had to cut, so a follower sees it was cut (and tests can tell). */
export const CUT_MARK = '…';
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Characters XML 1.0 cannot carry at all, CDATA or not (controls, lone surrogates, U+FFFE/FFFF). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * Wraps text in CDATA, splitting any `]]>` across two sections so text can never close the section
 * early and inject elements, and dropping characters no XML document may contain (WeChat rejects
 * such a reply and the follower sees an error). We build XML by hand because xml2js's Builder
 * CDATA-wraps only values that need escaping, and WeChat's examples always use CDATA.
 */
export function cdata(value: string): string {
  return `<![CDATA[${value.replace(NOT_XML, '').replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

/**
 * Cuts text to at most `maxBytes` of UTF-8, ending with CUT_MARK when it had to cut. Cuts fall
 * between grapheme clusters, so no UTF-8 sequence, surrogate pair, emoji sequence or accent is
 * split. The one truncation function: anything else that must fit WeChat's cap calls this.
 */
export function truncateUtf8(text: string, maxBytes = TEXT_CONTENT_MAX_BYTES): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const budget = maxBytes - Buffer.byteLength(CUT_MARK, 'utf8');
  let used = 0;
  let kept = '';
  for (const { segment } of graphemes.segment(text)) {
    used += Buffer.byteLength(segment, 'utf8');
    if (used > budget) break;
    kept += segment;
  }
  return kept + CUT_MARK;
}

/** Who a passive reply goes to and from: the push's From and To, swapped. */
export interface ReplyHeader {
  /** The follower's openid. */
  readonly toUser: string;
  /** The account's gh_ id. */
  readonly fromUser: string;
  /** Seconds since the epoch (node-webot sent milliseconds and phones showed nothing). */
  readonly createTime: number;
}

function header(h: ReplyHeader, msgType: string): string {
  return (
    `<ToUserName>${cdata(h.toUser)}</ToUserName><FromUserName>${cdata(h.fromUser)}</FromUserName>` +
    `<CreateTime>${Math.floor(h.createTime)}</CreateTime><MsgType>${cdata(msgType)}</MsgType>`
  );
}

/** A passive text reply; the content is truncated to WeChat's byte cap rather than refused. */
export function textReplyXml(h: ReplyHeader, content: string): string {
  return `<xml>${header(h, 'text')}<Content>${cdata(truncateUtf8(content))}</Content></xml>`;
}

export interface NewsArticle {
  readonly title: string;
  readonly description: string;
  readonly picUrl?: string;
  readonly url: string;
}

/** A passive news reply with one article, the only count WeChat allows when answering a message. */
export function newsReplyXml(h: ReplyHeader, article: NewsArticle): string {
  const item =
    `<Title>${cdata(article.title)}</Title><Description>${cdata(article.description)}</Description>` +
    `<PicUrl>${cdata(article.picUrl ?? '')}</PicUrl><Url>${cdata(article.url)}</Url>`;
  return `<xml>${header(h, 'news')}<ArticleCount>1</ArticleCount><Articles><item>${item}</item></Articles></xml>`;
}

export interface EnvelopeInput {
  /** Base64 from `WechatCrypto.encrypt`. */
  readonly encrypt: string;
  readonly token: string;
  /** Seconds, as WeChat expects; milliseconds make phones drop the reply. */
  readonly timestampSeconds: number;
  readonly nonce: string;
}

/**
 * The reply envelope for safe and compatible mode, signed like a push:
 * MsgSignature = sha1(sort([token, TimeStamp, Nonce, Encrypt])).
 */
export function encryptedEnvelope({ encrypt, token, timestampSeconds, nonce }: EnvelopeInput): string {
  const timestamp = String(Math.floor(timestampSeconds));
  const signature = computeSignature(token, timestamp, nonce, encrypt);
  return (
    `<xml><Encrypt>${cdata(encrypt)}</Encrypt><MsgSignature>${cdata(signature)}</MsgSignature>` +
    `<TimeStamp>${timestamp}</TimeStamp><Nonce>${cdata(nonce)}</Nonce></xml>`
  );
}
