import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { ContentionError, handle, type HandleDeps } from '../handle';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import { StoreUnavailableError } from '../store';
import { isProtocolError, openPush, sealReply, type WechatCrypto } from '../wechat';
import type { InboundMessage, Reply } from '../wechat/types';
import { readPushBody } from './push-body';

export interface PushDeps extends HandleDeps {
  readonly crypto: WechatCrypto | null;
  readonly metrics: Metrics;
}

/** A response as both listeners write it: Koa for every other route, node:http for the pushes. */
export interface Answer {
  readonly status: number;
  readonly type: 'application/xml' | 'text/plain';
  readonly body: string;
  /** Close the connection after this answer (a body that never arrived leaves it mid-request). */
  readonly close: boolean;
}

/** A caller's request id when it looks like one, else a fresh one: every answer carries it back. */
export const requestIdOf = (given: string | string[] | undefined): string => (typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID());

/**
 * The one error path of both listeners: a protocol refusal says its short reason (counted, and
 * logged only at debug, so a flood of forged requests does not flood the logs); anything else says
 * nothing useful to an attacker.
 */
export function refusal(err: unknown, metrics: Metrics, log: () => Logger, path: string): Answer {
  if (isProtocolError(err)) {
    metrics.errors.inc({ reason: err.reason });
    log().debug({ status: err.status, reason: err.reason, path: routeOf(path) }, 'request refused');
    return { status: err.status, type: 'text/plain', body: err.reason, close: err.reason === 'body_timeout' };
  }
  metrics.errors.inc({ reason: 'internal' });
  log().error({ err: { message: (err as Error).message, stack: (err as Error).stack }, path: routeOf(path) }, 'request failed');
  return { status: 500, type: 'text/plain', body: 'internal error', close: false };
}

/** A face-check path carries a live token: logs name the route instead. */
const routeOf = (p: string) => (p.startsWith('/face-check/') ? '/face-check/:token' : p.slice(0, 64));

/**
 * The hot path: every WeChat push is a POST to exactly /wechat, and it is served here on plain
 * node:http, ahead of Koa (about a sixth of a push's time, measured with `npm run bench`'s Koa
 * reference). Every other request — GET /wechat, the pages, the console, a POST to any other
 * spelling — goes to `rest` (the Koa app), whose routes match exactly as before.
 */
export function frontListener(rest: RequestListener, deps: PushDeps): RequestListener {
  const push = pushListener(deps);
  return (req, res) => {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    if (req.method === 'POST' && (q === -1 ? url : url.slice(0, q)) === '/wechat') push(req, res, q === -1 ? '' : url.slice(q + 1));
    else void rest(req, res);
  };
}

function pushListener(deps: PushDeps): (req: IncomingMessage, res: ServerResponse, querystring: string) => void {
  const token = deps.config.wechat.token;
  const allowPlaintext = deps.config.wechat.allowPlaintext;
  if (allowPlaintext && deps.crypto !== null) {
    deps.logger.warn('WECHAT_ALLOW_PLAINTEXT=true: plaintext pushes are accepted although an EncodingAESKey is set, and no signature covers their bodies; turn it off once the account is in safe mode');
  }
  const answerPush = async (req: IncomingMessage, querystring: string, log: () => Logger): Promise<Answer> => {
    const started = process.hrtime.bigint();
    const body = await readPushBody(req, deps.config.pushReadTimeoutMs);
    const nowSeconds = Math.floor(deps.now() / 1000);
    const { message, envelope } = await openPush({ query: parseQuery(querystring), body, token, crypto: deps.crypto, nowSeconds, allowPlaintext });
    deps.metrics.pushes.inc({ type: message.msgType === 'event' ? `event:${message.event}` : message.msgType });
    const reply = await answer(message, deps, log);
    const sealed = sealReply(reply, message, envelope, { token, crypto: deps.crypto, nowSeconds });
    deps.metrics.replies.inc({ kind: reply.kind });
    deps.metrics.latency.observe(Number(process.hrtime.bigint() - started) / 1e9);
    return { status: 200, type: 'application/xml', body: sealed, close: false };
  };
  return (req, res, querystring) => {
    const requestId = requestIdOf(req.headers['x-request-id']);
    // Most pushes never log, and a child logger serialises its bindings: made on first use.
    let logger: Logger | undefined;
    const log = () => (logger ??= deps.logger.child({ requestId }));
    answerPush(req, querystring, log)
      .catch((err: unknown) => refusal(err, deps.metrics, log, '/wechat'))
      .then((a) => write(res, requestId, a))
      .catch(() => res.destroy());
  };
}

function write(res: ServerResponse, requestId: string, a: Answer): void {
  const headers: Record<string, string | number> = {
    'content-type': `${a.type}; charset=utf-8`,
    'content-length': Buffer.byteLength(a.body),
    'x-request-id': requestId,
  };
  if (a.close) headers.connection = 'close';
  res.writeHead(a.status, headers).end(a.body);
}

/** A problem of ours (the store down, a bug) never reaches WeChat as a 5xx: the follower reads 系统繁忙 instead. */
async function answer(message: InboundMessage, deps: PushDeps, log: () => Logger): Promise<Reply> {
  try {
    return await handle(message, deps);
  } catch (err) {
    const reason = err instanceof StoreUnavailableError ? 'store_unavailable' : err instanceof ContentionError ? 'contention' : 'internal';
    deps.metrics.errors.inc({ reason });
    if (reason === 'internal') log().error({ err: { message: (err as Error).message, stack: (err as Error).stack } }, 'push handling failed');
    else log().warn({ reason, err: (err as Error).message }, 'push answered with busy');
    return { kind: 'text', content: deps.content.text('busy') };
  }
}
