import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import Koa from 'koa';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { Store } from '../store';
import { isProtocolError } from '../wechat';
import { mountFaceCheck, type FaceCheckRouteDeps } from './face-check-route';
import { mountWechat, type WechatRouteDeps } from './wechat-route';

export type AppDeps = WechatRouteDeps & FaceCheckRouteDeps & {
  readonly store: Store;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** True once shutdown began: /readyz turns red so a load balancer drains this instance. */
  readonly shuttingDown?: () => boolean;
};

/** Builds the app and never listens: main.ts listens, tests drive `app.callback()`. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  app.proxy = true;
  app.silent = true;
  const router = new Router();

  app.use(async (ctx, next) => {
    const requestId = /^[\w-]{1,64}$/.test(ctx.get('x-request-id')) ? ctx.get('x-request-id') : randomUUID();
    ctx.set('x-request-id', requestId);
    ctx.state.log = deps.logger.child({ requestId });
    try {
      await next();
    } catch (err) {
      // The one error path: a protocol refusal says its short reason; anything else says nothing useful to an attacker.
      if (isProtocolError(err)) {
        ctx.status = err.status;
        ctx.body = err.reason;
        deps.metrics.errors.inc({ reason: err.reason });
        ctx.state.log.info({ status: err.status, reason: err.reason, path: ctx.path }, 'request refused');
      } else {
        ctx.status = 500;
        ctx.body = 'internal error';
        deps.metrics.errors.inc({ reason: 'internal' });
        ctx.state.log.error({ err: { message: (err as Error).message, stack: (err as Error).stack }, path: ctx.path }, 'request failed');
      }
      ctx.type = 'text/plain';
    }
  });

  router.get('/healthz', (ctx) => {
    ctx.body = { ok: true };
  });
  router.get('/readyz', async (ctx) => {
    const ready = !deps.shuttingDown?.() && (await withTimeout(deps.store.ping(), 500));
    ctx.status = ready ? 200 : 503;
    ctx.body = { ready };
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metrics.registry.metrics();
  });
  mountWechat(router, deps);
  mountFaceCheck(router, deps);
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

async function withTimeout(p: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([p.then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
