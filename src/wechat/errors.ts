/**
 * Why a push or a verification was refused, as a short code that is safe to show WeChat, a log or
 * a dashboard: it never carries a secret, a body or a stack. The HTTP layer maps `status` straight
 * onto the response; koa exposes `message` (the code alone) because `expose` is true.
 */
export type ProtocolReason =
  | 'bad_signature'
  | 'stale_timestamp'
  | 'bad_msg_signature'
  | 'appid_mismatch'
  | 'decrypt_failed'
  | 'malformed_xml'
  | 'doctype_refused'
  | 'missing_field'
  | 'bad_field'
  | 'unsupported_encrypt_type'
  | 'aes_not_configured'
  | 'body_too_large'
  | 'body_timeout'
  | 'plaintext_refused';

export type ProtocolStatus = 400 | 401 | 408 | 413;

/**
 * 401 for anything that says "this did not come from WeChat" (a plaintext push to an account that
 * has an EncodingAESKey included: WeChat encrypts every push of such an account), 400 for a body we
 * cannot read, 408 for a body that did not arrive in time.
 */
const STATUS: Readonly<Record<ProtocolReason, ProtocolStatus>> = {
  bad_signature: 401,
  stale_timestamp: 401,
  bad_msg_signature: 401,
  appid_mismatch: 401,
  decrypt_failed: 401,
  malformed_xml: 400,
  doctype_refused: 400,
  missing_field: 400,
  bad_field: 400,
  unsupported_encrypt_type: 400,
  aes_not_configured: 400,
  body_too_large: 413,
  body_timeout: 408,
  plaintext_refused: 401,
};

/** A request the protocol layer refuses; the one error type the HTTP layer has to know about. */
export class ProtocolError extends Error {
  readonly status: ProtocolStatus;
  /** Tells koa's `ctx.onerror` that `message` (only the reason code) may be shown. */
  readonly expose = true;

  /** `detail` names a field or a limit for the logs; it must never hold a secret or user text. */
  constructor(
    readonly reason: ProtocolReason,
    readonly detail?: string,
  ) {
    super(reason);
    this.name = 'ProtocolError';
    this.status = STATUS[reason];
  }
}

/** Narrowing helper for `catch (e: unknown)` blocks at the edge. */
export function isProtocolError(e: unknown): e is ProtocolError {
  return e instanceof ProtocolError;
}
