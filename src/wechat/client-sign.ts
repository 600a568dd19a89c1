import { randomInt } from 'node:crypto';
import type { WechatCrypto } from './crypto';
import { ProtocolError } from './errors';
import { cdata } from './reply';
import { computeSignature, signaturesMatch } from './signature';
import { parseXmlFields } from './xml';

/**
 * WeChat's side of the wire: builds pushes exactly as WeChat's servers sign them, and opens the
 * replies we send back. Tests and the terminal simulator use it; production code never should.
 */

/** plain: no encryption; compat: plaintext fields plus Encrypt; safe: only ToUserName and Encrypt. */
export type PushMode = 'plain' | 'compat' | 'safe';

export interface PushInput {
  readonly token: string;
  /** The inner message XML, e.g. from `textXml`. */
  readonly xml: string;
  readonly mode: PushMode;
  /** Required for compat and safe. */
  readonly crypto?: WechatCrypto;
  /** Seal under another appid than the crypto's own, to play a push meant for another account. */
  readonly appId?: string;
  /** Which configured key seals it (1 = the previous key, for rotation). */
  readonly keyIndex?: number;
  readonly timestampSeconds?: number;
  readonly nonce?: string;
  readonly openid: string;
}

export interface SignedPush {
  readonly query: Record<string, string>;
  readonly body: string;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const randomNonce = (): string => String(randomInt(100_000_000, 10_000_000_000));
let msgSeq = 0;
/** Unique within a process, so deduplication in HTTP tests never swallows a fresh message. */
const nextMsgId = (): string => `${Date.now()}${String(++msgSeq % 100_000).padStart(5, '0')}`;

/** A signed POST as WeChat sends it: query with signature, timestamp, nonce, openid (and AES params). */
export function buildPush(input: PushInput): SignedPush {
  const timestamp = String(input.timestampSeconds ?? nowSeconds());
  const nonce = input.nonce ?? randomNonce();
  const query: Record<string, string> = { signature: computeSignature(input.token, timestamp, nonce), timestamp, nonce, openid: input.openid };
  if (input.mode === 'plain') return { query, body: input.xml };
  if (input.crypto === undefined) throw new Error(`a ${input.mode} mode push needs crypto`);
  const sealer = input.appId !== undefined && input.appId !== input.crypto.appId ? input.crypto.forAppId(input.appId) : input.crypto;
  const encrypt = sealer.encrypt(input.xml, input.keyIndex ?? 0);
  const encrypted = { ...query, encrypt_type: 'aes', msg_signature: computeSignature(input.token, timestamp, nonce, encrypt) };
  const encryptElement = `<Encrypt>${cdata(encrypt)}</Encrypt>`;
  if (input.mode === 'compat') {
    const close = input.xml.lastIndexOf('</xml>');
    if (close === -1) throw new Error('the message XML has no closing </xml>');
    return { query: encrypted, body: `${input.xml.slice(0, close)}${encryptElement}</xml>` };
  }
  const to = /<ToUserName>\s*(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))\s*<\/ToUserName>/.exec(input.xml);
  return { query: encrypted, body: `<xml><ToUserName>${cdata(to?.[1] ?? to?.[2] ?? '')}</ToUserName>${encryptElement}</xml>` };
}

/** The GET WeChat sends to verify the server URL. */
export function buildVerifyQuery(token: string, echostr: string, timestampSeconds?: number): Record<string, string> {
  const timestamp = String(timestampSeconds ?? nowSeconds());
  const nonce = randomNonce();
  return { signature: computeSignature(token, timestamp, nonce), timestamp, nonce, echostr };
}

/**
 * Reads a reply as WeChat would: verifies an encrypted envelope's MsgSignature and decrypts it, or
 * parses a plaintext reply. `success` and an empty body (nothing to say) give `{}`.
 */
export async function openReply(body: string, keys: { token: string; crypto: WechatCrypto | null }): Promise<Record<string, string>> {
  if (body.trim() === '' || body.trim() === 'success') return {};
  const outer = await parseXmlFields(body);
  const encrypt = outer.Encrypt;
  if (encrypt === undefined) return { ...outer };
  if (keys.crypto === null) throw new Error('the reply is encrypted but no crypto was given');
  const expected = computeSignature(keys.token, outer.TimeStamp ?? '', outer.Nonce ?? '', encrypt);
  if (!signaturesMatch(expected, outer.MsgSignature ?? '')) throw new ProtocolError('bad_msg_signature');
  return { ...(await parseXmlFields(keys.crypto.decrypt(encrypt).xml)) };
}

/** Builds `<xml>` from fields: strings in CDATA, numbers bare, undefined left out — as WeChat writes. */
export function xmlOf(fields: Readonly<Record<string, string | number | undefined>>): string {
  const parts = Object.entries(fields).map(([name, value]) =>
    value === undefined ? '' : `<${name}>${typeof value === 'number' ? value : cdata(value)}</${name}>`,
  );
  return `<xml>${parts.join('')}</xml>`;
}

/** Who sent a test message to whom, and when; msgId and createTime default to fresh values. */
export interface MessageBase {
  /** The account's gh_ id. */
  readonly to: string;
  /** The follower's openid. */
  readonly from: string;
  readonly createTime?: number;
}

const head = (m: MessageBase, msgType: string) => ({
  ToUserName: m.to,
  FromUserName: m.from,
  CreateTime: m.createTime ?? nowSeconds(),
  MsgType: msgType,
});

export function textXml(m: MessageBase & { content: string; msgId?: string }): string {
  return xmlOf({ ...head(m, 'text'), Content: m.content, MsgId: m.msgId ?? nextMsgId() });
}

/** `recognition` undefined leaves the element out, as when the account has speech recognition off. */
export function voiceXml(m: MessageBase & { recognition?: string; mediaId?: string; format?: string; msgId?: string }): string {
  return xmlOf({
    ...head(m, 'voice'),
    MediaId: m.mediaId ?? 'media_voice_1',
    Format: m.format ?? 'amr',
    Recognition: m.recognition,
    MsgId: m.msgId ?? nextMsgId(),
  });
}

export function imageXml(m: MessageBase & { picUrl?: string; mediaId?: string; msgId?: string }): string {
  return xmlOf({ ...head(m, 'image'), PicUrl: m.picUrl ?? 'http://mmbiz.qpic.cn/test.jpg', MediaId: m.mediaId ?? 'media_image_1', MsgId: m.msgId ?? nextMsgId() });
}

/** `event` as WeChat spells it: 'subscribe', 'unsubscribe', 'CLICK', 'VIEW', 'SCAN', 'LOCATION'. */
export function eventXml(
  m: MessageBase & { event: string; eventKey?: string; ticket?: string; latitude?: number; longitude?: number; precision?: number },
): string {
  return xmlOf({
    ...head(m, 'event'),
    Event: m.event,
    EventKey: m.eventKey,
    Ticket: m.ticket,
    Latitude: m.latitude,
    Longitude: m.longitude,
    Precision: m.precision,
  });
}
