import { randomBytes } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { z } from 'zod';
import { DEFAULT_FACEID_ENDPOINT } from '../config';
import { sameIdentity } from './identity';
import { FaceProviderError, type BegunSession, type FaceCheckProvider, type ProviderVerdict, type SessionPerson } from './provider';
import { NOT_FINISHED, groupOfCode } from './tencent-codes';

/**
 * Tencent Cloud 人脸核身 (FaceID, 慧眼) in its WeChat-H5 flow, through Tencent's own SDK (which
 * signs with TC3-HMAC-SHA256; we never hand-write the signature).
 * DetectAuth (doc api/1007/31816) opens a session; GetDetectInfoEnhanced (api/1007/41957) with
 * InfoType 1 (text only: no photos or video ever reach us) says how it ended.
 */

export const FACEID_VERSION = '2018-03-01';
/** A BizToken lives 7 200 s (DetectAuth's documentation). */
export const BIZ_TOKEN_LIFE_MS = 7200_000;
/** The person waits on the tap and on the return: a slow answer becomes a kind "try again" page. */
const TIMEOUT_MS = 8000;
/**
 * Where DetectAuth's Url leads: WeChat's OAuth page (open.weixin.qq.com) first, which redirects to
 * Tencent's H5 pages; the browser's CSP checks every hop of that chain against our page's
 * form-action, so Tencent's domains are allowed as a whole (https only). With FACEID_ENDPOINT
 * pointed elsewhere (the local fake), that origin serves the provider's page too.
 */
const TENCENT_DOMAINS = ['qq.com', 'tencent.com', 'tencentcloudapi.com', 'qcloud.com'];
const isTencentPage = (u: URL) => u.protocol === 'https:' && TENCENT_DOMAINS.some((d) => u.hostname === d || u.hostname.endsWith(`.${d}`));

export interface TencentSettings {
  readonly secretId: string;
  readonly secretKey: string;
  readonly ruleId: string;
  /** The API's base URL, e.g. https://faceid.tencentcloudapi.com or http://127.0.0.1:3002. */
  readonly endpoint: string;
}

const detectAuthAnswer = z.object({ BizToken: z.string().min(1).max(256), Url: z.url() });
const detectInfoAnswer = z.object({
  Text: z
    .object({
      ErrCode: z.number().int().nullish(),
      IdCard: z.string().nullish(),
      Name: z.string().nullish(),
    })
    .nullish(),
});

/** The SDK's error (TencentCloudSDKHttpException) reduced to its code: never its message or request. */
function providerError(err: unknown): FaceProviderError {
  const e = err as { code?: unknown; httpCode?: unknown; name?: unknown };
  const code = typeof e?.code === 'string' && /^[A-Za-z][\w.]{0,80}$/.test(e.code) ? e.code : typeof e?.httpCode === 'number' ? `http_${e.httpCode}` : 'unreachable';
  return new FaceProviderError(code);
}

export function createTencentFaceCheck(s: TencentSettings): FaceCheckProvider {
  const base = new URL(s.endpoint);
  const https = base.protocol === 'https:';
  // An explicit agent: the SDK would otherwise send through whatever http_proxy the environment
  // names, and these requests carry an ID number and a name.
  const agent = https ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const client = new CommonClient(base.host, FACEID_VERSION, {
    credential: { secretId: s.secretId, secretKey: s.secretKey },
    profile: { httpProfile: { endpoint: base.host, protocol: `${base.protocol}//`, reqTimeout: Math.ceil(TIMEOUT_MS / 1000), agent } },
  });
  const call = async (action: string, params: Record<string, unknown>): Promise<unknown> => {
    try {
      return await client.request(action, params, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (err) {
      throw providerError(err);
    }
  };
  const own = s.endpoint.replace(/\/+$/, '') === DEFAULT_FACEID_ENDPOINT ? null : base.origin;
  const pageSources = [...TENCENT_DOMAINS.flatMap((d) => [`https://${d}`, `https://*.${d}`]), ...(own ? [own] : [])];

  return {
    name: 'tencent',
    pageSources,
    async begin(person: SessionPerson, opts): Promise<BegunSession> {
      if (opts.returnUrl.length > 1024) throw new FaceProviderError('redirect_url_too_long');
      const answer = detectAuthAnswer.safeParse(
        await call('DetectAuth', {
          RuleId: s.ruleId,
          IdCard: person.idNumber,
          Name: person.name,
          RedirectUrl: opts.returnUrl,
          // Extra comes back in results and may end up in URLs: a random attempt id, nothing else.
          Extra: randomBytes(8).toString('hex'),
        }),
      );
      if (!answer.success) throw new FaceProviderError('bad_answer');
      const url = new URL(answer.data.Url);
      if (!isTencentPage(url) && url.origin !== own) throw new FaceProviderError('unexpected_page_origin');
      return { id: answer.data.BizToken, url: url.toString(), lifeMs: BIZ_TOKEN_LIFE_MS };
    },
    async verdict(sessionId: string, person: SessionPerson): Promise<ProviderVerdict> {
      let raw: unknown;
      try {
        raw = await call('GetDetectInfoEnhanced', { BizToken: sessionId, RuleId: s.ruleId, InfoType: '1' });
      } catch (err) {
        // A token past its life (or one Tencent no longer knows) is a session to start afresh.
        if (err instanceof FaceProviderError && /^InvalidParameterValue\.BizToken(Expired|Illegal)$/.test(err.code)) {
          return { status: 'failed', code: err.code, group: 'expired' };
        }
        throw err;
      }
      const answer = detectInfoAnswer.safeParse(raw);
      if (!answer.success) throw new FaceProviderError('bad_answer');
      const text = answer.data.Text;
      const code = text?.ErrCode;
      if (code === null || code === undefined || NOT_FINISHED.has(code)) return { status: 'pending' };
      if (code !== 0) return { status: 'failed', code: String(code), group: groupOfCode(code) };
      // A pass is for the identity Tencent checked: it must be the person this link is for.
      if (!sameIdentity({ idNumber: text?.IdCard, name: text?.Name }, person)) return { status: 'failed', code: 'identity', group: 'mismatch' };
      return { status: 'passed' };
    },
  };
}
