import { randomInt } from 'node:crypto';
import type { WechatCrypto } from './crypto';
import { ProtocolError } from './errors';
import { newsReplyXml, textReplyXml, encryptedEnvelope, type ReplyHeader } from './reply';
import { computeSignature, signaturesMatch } from './signature';
import type { Envelope, InboundMessage, Reply } from './types';
import { MAX_PUSH_BYTES, parseXmlFields, toInbound } from './xml';

/** A parsed query string as Koa and node's querystring give it; repeated keys arrive as arrays. */
export type QueryLike = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Five minutes either way, the window WeChat's own samples and most SDKs use. */
export const DEFAULT_MAX_SKEW_SECONDS = 300;

/** A repeated parameter is treated as absent: two signatures to choose from is not a signature. */
function param(query: QueryLike, name: string): string | undefined {
  const value = query[name];
  return typeof value === 'string' ? value : undefined;
}

/** Checks `signature` over (token, timestamp, nonce) in constant time; returns the signed pair. */
function checkSignature(query: QueryLike, token: string): { timestamp: string; nonce: string } {
  const signature = param(query, 'signature');
  const timestamp = param(query, 'timestamp');
  const nonce = param(query, 'nonce');
  if (signature === undefined || timestamp === undefined || nonce === undefined) throw new ProtocolError('bad_signature', 'missing');
  if (!signaturesMatch(computeSignature(token, timestamp, nonce), signature)) throw new ProtocolError('bad_signature');
  return { timestamp, nonce };
}

/** A replayed capture carries a valid signature; only its age gives it away. */
function checkFresh(timestamp: string, nowSeconds: number, maxSkewSeconds: number): void {
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > maxSkewSeconds) {
    throw new ProtocolError('stale_timestamp');
  }
}

/**
 * Answers WeChat's GET that verifies the server URL: the `echostr`, unchanged, when the signature
 * matches and the timestamp is fresh (a captured verification URL is no use five minutes later).
 * An official account's echostr is never encrypted, in any mode.
 *
 * @throws ProtocolError 401 'bad_signature' | 'stale_timestamp', 400 'missing_field' when echostr is absent
 */
export function verifyUrl(query: QueryLike, token: string, nowSeconds: number, maxSkewSeconds = DEFAULT_MAX_SKEW_SECONDS): string {
  const { timestamp } = checkSignature(query, token);
  checkFresh(timestamp, nowSeconds, maxSkewSeconds);
  const echostr = param(query, 'echostr');
  if (echostr === undefined) throw new ProtocolError('missing_field', 'echostr');
  return echostr;
}

export interface OpenPushInput {
  readonly query: QueryLike;
  readonly body: string;
  readonly token: string;
  /** null when no EncodingAESKey is configured (plaintext mode only). */
  readonly crypto: WechatCrypto | null;
  readonly nowSeconds: number;
  readonly maxSkewSeconds?: number;
  /**
   * With an EncodingAESKey configured a plaintext push is refused unless this is true (a
   * switch-over aid). A push's signature covers only token, timestamp and nonce, never the body,
   * so one captured query would otherwise sign any body, for any follower, for five minutes.
   */
  readonly allowPlaintext?: boolean;
}

export interface OpenedPush {
  readonly message: InboundMessage;
  /** How the push came, so `sealReply` answers the same way and with the same key. */
  readonly envelope: Envelope;
}

/**
 * Authenticates and reads a POSTed push. Cheap checks on the query come before any parsing, and
 * `msg_signature` before any decryption, so an outsider never gets a parser or a padding oracle.
 * In compatible mode the body also carries plaintext fields; only the decrypted ones are trusted.
 *
 * @throws ProtocolError — 401 bad_signature | stale_timestamp | plaintext_refused | bad_msg_signature |
 *   appid_mismatch | decrypt_failed; 413 body_too_large; 400 for an unreadable body or an unusable encrypt_type
 */
export async function openPush(input: OpenPushInput): Promise<OpenedPush> {
  const { query, body, token, crypto, nowSeconds, maxSkewSeconds = DEFAULT_MAX_SKEW_SECONDS } = input;
  const { timestamp, nonce } = checkSignature(query, token);
  checkFresh(timestamp, nowSeconds, maxSkewSeconds);
  if (Buffer.byteLength(body, 'utf8') > MAX_PUSH_BYTES) throw new ProtocolError('body_too_large', `${MAX_PUSH_BYTES} bytes`);

  const encryptType = param(query, 'encrypt_type');
  if (encryptType === undefined || encryptType === 'raw') {
    // Refused before the body is parsed: an unsigned body never reaches the parser.
    if (crypto !== null && input.allowPlaintext !== true) throw new ProtocolError('plaintext_refused');
    return { message: toInbound(await parseXmlFields(body)), envelope: { mode: 'plain' } };
  }
  if (encryptType !== 'aes') throw new ProtocolError('unsupported_encrypt_type');
  if (crypto === null) throw new ProtocolError('aes_not_configured');

  const outer = await parseXmlFields(body);
  const encrypt = outer.Encrypt;
  if (encrypt === undefined || encrypt === '') throw new ProtocolError('missing_field', 'Encrypt');
  const msgSignature = param(query, 'msg_signature');
  if (msgSignature === undefined || !signaturesMatch(computeSignature(token, timestamp, nonce, encrypt), msgSignature)) {
    throw new ProtocolError('bad_msg_signature');
  }
  const { xml, keyIndex } = crypto.decrypt(encrypt);
  return { message: toInbound(await parseXmlFields(xml)), envelope: { mode: 'aes', keyIndex } };
}

export interface SealOptions {
  readonly token: string;
  readonly crypto: WechatCrypto | null;
  readonly nowSeconds: number;
  /** Fixed only in tests; WeChat's own nonces are 9–10 digit numbers. */
  readonly nonce?: string;
}

/**
 * Turns the core's reply into the HTTP response body: reply XML, encrypted under the key that
 * opened the push when it came encrypted, or the literal `success` when there is nothing to say.
 * A blank text also becomes `success`: WeChat shows "该公众号暂时无法提供服务" for an empty Content.
 */
export function sealReply(reply: Reply, message: InboundMessage, envelope: Envelope, options: SealOptions): string {
  const h: ReplyHeader = { toUser: message.fromUserName, fromUser: message.toUserName, createTime: Math.floor(options.nowSeconds) };
  let xml: string;
  switch (reply.kind) {
    case 'none':
      return 'success';
    case 'text':
      if (reply.content.trim() === '') return 'success';
      xml = textReplyXml(h, reply.content);
      break;
    case 'news':
      xml = newsReplyXml(h, reply.article);
      break;
    default:
      return assertNever(reply);
  }
  if (envelope.mode === 'plain') return xml;
  if (options.crypto === null) throw new Error('an encrypted push was opened, so its reply needs the crypto that opened it');
  return encryptedEnvelope({
    encrypt: options.crypto.encrypt(xml, envelope.keyIndex),
    token: options.token,
    timestampSeconds: options.nowSeconds,
    nonce: options.nonce ?? String(randomInt(100_000_000, 10_000_000_000)),
  });
}

function assertNever(value: never): never {
  throw new Error(`unhandled reply ${JSON.stringify(value)}`);
}
