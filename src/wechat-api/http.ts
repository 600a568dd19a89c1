import { WechatApiError, WechatTransportError } from './errors';

export interface JsonRequest {
  readonly base: string;
  /** E.g. `/cgi-bin/menu/create`; it names the API in errors. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  /** Present: POST as JSON. Absent: GET. */
  readonly body?: unknown;
  readonly timeoutMs: number;
}

export type JsonObject = Record<string, unknown>;

/**
 * One call to WeChat's HTTP API. Resolves with the JSON object of a successful answer; rejects with
 * WechatApiError when WeChat answers a non-zero errcode and with WechatTransportError otherwise.
 * The URL (which may carry the secret or a token) never appears in an error.
 */
export async function requestJson(req: JsonRequest): Promise<JsonObject> {
  const url = new URL(req.base.replace(/\/+$/, '') + req.path);
  for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
  const post = req.body !== undefined;
  let text: string;
  let status: number;
  const signal = AbortSignal.timeout(req.timeoutMs);
  try {
    const res = await fetch(url, {
      method: post ? 'POST' : 'GET',
      ...(post ? { headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(req.body) } : {}),
      signal,
    });
    status = res.status;
    text = await res.text();
  } catch (err) {
    if (signal.aborted) {
      throw new WechatTransportError(req.path, 'timeout', `no answer within ${req.timeoutMs} ms`, { cause: err });
    }
    throw new WechatTransportError(req.path, 'network', 'request failed', { cause: err });
  }
  if (status < 200 || status > 299) throw new WechatTransportError(req.path, 'http_status', `HTTP status ${status}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new WechatTransportError(req.path, 'bad_response', 'answer is not JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new WechatTransportError(req.path, 'bad_response', 'answer is not a JSON object');
  }
  const body = parsed as JsonObject;
  const errcode = body['errcode'];
  if (typeof errcode === 'number' && errcode !== 0) {
    throw new WechatApiError(req.path, errcode, typeof body['errmsg'] === 'string' ? body['errmsg'] : '');
  }
  return body;
}
