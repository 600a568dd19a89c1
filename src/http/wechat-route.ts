import { parse as parseQuery } from 'node:querystring';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { readPushBody } from './push-body';
import { ContentionError, handle, type HandleDeps } from '../handle';
import { StoreUnavailableError } from '../store';
import { openPush, sealReply, verifyUrl, type WechatCrypto } from '../wechat';
import type { InboundMessage, Reply } from '../wechat/types';
import type { Metrics } from '../metrics';

export interface WechatRouteDeps extends HandleDeps {
  readonly crypto: WechatCrypto | null;
  readonly metrics: Metrics;
}


/**
 * GET verifies the URL; POST opens a push, hands it to the core, and seals the reply. A problem of
 * ours (the store down, a bug) never reaches WeChat as a 5xx: the follower reads 系统繁忙 instead.
 * Returns the POST handler, so the app can route the hot path to it without the router.
 */
export function mountWechat(router: Router, deps: WechatRouteDeps): (ctx: Context) => Promise<void> {
  const token = deps.config.wechat.token;
  const allowPlaintext = deps.config.wechat.allowPlaintext;
  if (allowPlaintext && deps.crypto !== null) {
    deps.logger.warn('WECHAT_ALLOW_PLAINTEXT=true: plaintext pushes are accepted although an EncodingAESKey is set, and no signature covers their bodies; turn it off once the account is in safe mode');
  }

  router.get('/wechat', (ctx) => {
    ctx.type = 'text/plain';
    ctx.body = verifyUrl(ctx.query, token, Math.floor(deps.now() / 1000));
  });

  const push = async (ctx: Context): Promise<void> => {
    const started = process.hrtime.bigint();
    const body = await readPushBody(ctx, deps.config.pushReadTimeoutMs);
    const nowSeconds = Math.floor(deps.now() / 1000);
    // node's querystring rather than ctx.query (URLSearchParams and a property defined per key):
    // the same object, repeated keys as arrays, a few µs less on every push.
    const query = parseQuery(ctx.querystring);
    const { message, envelope } = await openPush({ query, body, token, crypto: deps.crypto, nowSeconds, allowPlaintext });
    deps.metrics.pushes.inc({ type: message.msgType === 'event' ? `event:${message.event}` : message.msgType });

    const reply = await answer(message, deps, () => ctx.state.log);
    // XML's own default is UTF-8; said in the header too, for any proxy on the way.
    ctx.type = 'application/xml; charset=utf-8';
    ctx.body = sealReply(reply, message, envelope, { token, crypto: deps.crypto, nowSeconds });
    deps.metrics.replies.inc({ kind: reply.kind });
    deps.metrics.latency.observe(Number(process.hrtime.bigint() - started) / 1e9);
  };
  router.post('/wechat', push);
  return push;
}

async function answer(message: InboundMessage, deps: WechatRouteDeps, log: () => WechatRouteDeps['logger']): Promise<Reply> {
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

