/**
 * What a real face-check provider does for us, in terms general enough for Tencent Cloud's
 * 人脸核身 (DetectAuth → the person on the provider's page → GetDetectInfoEnhanced) and, later,
 * WeChat's own 服务号人脸核身 (getVerifyId → wx.requestFacialVerify → queryVerifyInfo): open a
 * session for one person, send the browser to it, and on its return ask the provider — server to
 * server, never the browser — what happened.
 */

/**
 * Why a check failed, in the groups a follower gets one tip for (templates/face-check/tips.yaml)
 * and the counting of failures uses. `stubFail` is the stub's 模拟未通过.
 */
export const REASON_GROUPS = ['light', 'faceNotSeen', 'actions', 'mismatch', 'noPhoto', 'network', 'expired', 'stubFail', 'other'] as const;
export type ReasonGroup = (typeof REASON_GROUPS)[number];

/** The person a session is for, as the link record keeps them (clear values, sealed at rest). */
export interface SessionPerson {
  readonly idNumber: string;
  readonly name: string;
}

export interface BegunSession {
  /** The provider's handle of the session (Tencent: the BizToken). Kept sealed with the link. */
  readonly id: string;
  /** Where the browser goes: the provider's page. */
  readonly url: string;
  /** How long the provider keeps the session open for the person (Tencent: 7 200 s). */
  readonly lifeMs: number;
}

export type ProviderVerdict =
  | { readonly status: 'passed' }
  | { readonly status: 'failed'; readonly code: string; readonly group: ReasonGroup }
  | { readonly status: 'pending' };

export interface FaceCheckProvider {
  /** Names the provider in records and logs ('tencent'). */
  readonly name: string;
  /**
   * Where the provider's pages live, as CSP sources (`https://*.qq.com`): our page's form, and the
   * redirects that follow it, may lead only there. `begin` returns no URL outside them.
   */
  readonly pageSources: readonly string[];
  /** A fresh session for `person`; the provider sends the browser back to `returnUrl` when done. */
  begin(person: SessionPerson, opts: { readonly returnUrl: string }): Promise<BegunSession>;
  /**
   * The provider's own answer for a session. A pass counts only for the person the session was
   * opened for: the adapter compares the identity the provider checked with `person`.
   */
  verdict(sessionId: string, person: SessionPerson): Promise<ProviderVerdict>;
}

/**
 * The provider could not be asked (network, timeout, credentials, its own fault). `code` is the
 * provider's error code or a short word of ours; the message never holds a secret or a person's data.
 */
export class FaceProviderError extends Error {
  constructor(readonly code: string, options?: { cause?: unknown }) {
    super(`face-check provider error: ${code}`, options);
    this.name = 'FaceProviderError';
  }
}
