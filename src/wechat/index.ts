/**
 * The WeChat protocol layer, framework-free: the HTTP route calls `verifyUrl` for GET,
 * `openPush` then `sealReply` for POST, and maps a thrown `ProtocolError` to its status.
 * The sending side (what WeChat's servers do) lives in `./client-sign` for tests and the simulator.
 */
export { ProtocolError, isProtocolError, type ProtocolReason, type ProtocolStatus } from './errors';
export { computeSignature, signaturesMatch } from './signature';
export { WechatCrypto, type Decrypted } from './crypto';
export { MAX_PUSH_BYTES, hasMarkupDeclaration, parseXmlFields, toInbound, type XmlFields } from './xml';
export {
  TEXT_CONTENT_MAX_BYTES,
  cdata,
  encryptedEnvelope,
  newsReplyXml,
  textReplyXml,
  truncateUtf8,
  type EnvelopeInput,
  type NewsArticle,
  type ReplyHeader,
} from './reply';
export {
  DEFAULT_MAX_SKEW_SECONDS,
  openPush,
  sealReply,
  verifyUrl,
  type OpenPushInput,
  type OpenedPush,
  type QueryLike,
  type SealOptions,
} from './protocol';
export type * from './types';
