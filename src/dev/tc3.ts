import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checking a TC3-HMAC-SHA256 signature as Tencent Cloud documents it (API 3.0, 签名方法 v3), for
 * the local fake of FaceID: the fake refuses what the real API would, so a test that passes
 * against it says our requests are signed right. Not used by the service itself, which signs
 * through Tencent's SDK.
 */

export interface SignedRequest {
  readonly method: string;
  /** Path and query as received, e.g. `/`. */
  readonly url: string;
  /** Header names in lower case, as node:http gives them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export type Tc3Refusal = { readonly code: string; readonly message: string };

const sha256hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const header = (req: SignedRequest, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : (v ?? '');
};

/**
 * The credential scope's service is the product's name (`faceid`). Tencent's SDK derives it from
 * the endpoint's first label, so a client pointed at this fake by IP signs with `127`: the service
 * the request's host would name is accepted too, as the real gateway sees only its own host.
 */
const servicesFor = (host: string) => new Set(['faceid', host.split('.')[0] ?? '']);

/** Null when `req` is signed with `secretKey` by `secretId` within five minutes of `nowMs`; else why not. */
export function checkTc3(req: SignedRequest, credentials: { readonly secretId: string; readonly secretKey: string }, nowMs: number): Tc3Refusal | null {
  const auth = /^TC3-HMAC-SHA256 Credential=([^/\s]+)\/(\d{4}-\d{2}-\d{2})\/([^/\s]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(header(req, 'authorization'));
  if (!auth) return { code: 'AuthFailure.InvalidAuthorization', message: 'Authorization header is not TC3-HMAC-SHA256' };
  const [, secretId, date, service, signedHeaders, signature] = auth as unknown as [string, string, string, string, string, string];
  if (secretId !== credentials.secretId) return { code: 'AuthFailure.SecretIdNotFound', message: 'The SecretId is not found' };
  const timestamp = header(req, 'x-tc-timestamp');
  if (!/^\d{1,12}$/.test(timestamp)) return { code: 'MissingParameter', message: 'X-TC-Timestamp is missing' };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > 300) return { code: 'AuthFailure.SignatureExpire', message: 'Signature expired: the timestamp is more than 5 minutes off' };
  if (new Date(Number(timestamp) * 1000).toISOString().slice(0, 10) !== date) return { code: 'AuthFailure.SignatureFailure', message: 'The credential date is not the timestamp’s date' };
  // The host is signed as its name alone: the SDK drops the port from what it signs.
  const host = header(req, 'host').toLowerCase().replace(/:\d+$/, '');
  if (!servicesFor(host).has(service)) return { code: 'AuthFailure.SignatureFailure', message: `The service ${service} is not this API's` };
  const names = signedHeaders.split(';');
  if (!names.includes('content-type') || !names.includes('host')) return { code: 'AuthFailure.SignatureFailure', message: 'content-type and host must be signed' };
  const canonicalHeaders = names.map((n) => `${n}:${(n === 'host' ? host : header(req, n)).trim().toLowerCase()}\n`).join('');
  const [path = '/', query = ''] = req.url.split('?', 2);
  const canonical = [req.method.toUpperCase(), path, query, canonicalHeaders, signedHeaders, sha256hex(req.body)].join('\n');
  const scope = `${date}/${service}/tc3_request`;
  const toSign = ['TC3-HMAC-SHA256', timestamp, scope, sha256hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(`TC3${credentials.secretKey}`, date), service), 'tc3_request');
  const expected = createHmac('sha256', key).update(toSign).digest('hex');
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
    return { code: 'AuthFailure.SignatureFailure', message: 'The provided credentials could not be validated' };
  }
  return null;
}

/**
 * Signs a request the way the SDK does, for tests of the fake's own refusals. `signedHost` is
 * signed as given: the SDK signs the host's name without a port.
 */
export function signTc3(
  req: { readonly signedHost: string; readonly action: string; readonly version: string; readonly body: string; readonly contentType?: string },
  credentials: { readonly secretId: string; readonly secretKey: string },
  opts: { readonly timestamp: number; readonly service?: string },
): Record<string, string> {
  const contentType = req.contentType ?? 'application/json';
  const date = new Date(opts.timestamp * 1000).toISOString().slice(0, 10);
  const service = opts.service ?? 'faceid';
  const canonical = ['POST', '/', '', `content-type:${contentType}\nhost:${req.signedHost}\n`, 'content-type;host', sha256hex(req.body)].join('\n');
  const toSign = ['TC3-HMAC-SHA256', String(opts.timestamp), `${date}/${service}/tc3_request`, sha256hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(`TC3${credentials.secretKey}`, date), service), 'tc3_request');
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return {
    Authorization: `TC3-HMAC-SHA256 Credential=${credentials.secretId}/${date}/${service}/tc3_request, SignedHeaders=content-type;host, Signature=${signature}`,
    'Content-Type': contentType,
    'X-TC-Action': req.action,
    'X-TC-Timestamp': String(opts.timestamp),
    'X-TC-Version': req.version,
  };
}
