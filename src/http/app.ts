import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import Koa from 'koa';
import { mountAdmin } from '../admin';
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
  /** templates/admin: the office's console, mounted only when ADMIN_USERS is set. */
  readonly adminDir: string;
  /** True once shutdown began: /readyz turns red so a load balancer drains this instance. */
  readonly shuttingDown?: () => boolean;
};

/**
 * Builds the public app and never listens: main.ts listens, tests drive `app.callback()`. Metrics
 * are not served here but on a listener of their own (./server). Routes match exactly — case and
 * trailing slash included — so that a proxy rule written for one spelling covers every request.
 */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  app.proxy = true;
  app.silent = true;
  const router = new Router({ strict: true, sensitive: true });

  app.use(async (ctx, next) => {
    const given = ctx.get('x-request-id');
    const requestId = /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    ctx.set('x-request-id', requestId);
    // Most requests never log, and a child logger serialises its bindings: made on first use.
    let log: Logger | undefined;
    Object.defineProperty(ctx.state, 'log', { get: () => (log ??= deps.logger.child({ requestId })), enumerable: true });
    try {
      await next();
    } catch (err) {
      // The one error path: a protocol refusal says its short reason; anything else says nothing useful to an attacker.
      if (isProtocolError(err)) {
        ctx.status = err.status;
        ctx.body = err.reason;
        // A body that never arrived leaves the connection mid-request: close it after the answer.
        if (err.reason === 'body_timeout') ctx.set('Connection', 'close');
        deps.metrics.errors.inc({ reason: err.reason });
        // Refusals are counted; at info level a flood of forged requests would flood the logs too.
        ctx.state.log.debug({ status: err.status, reason: err.reason, path: routeOf(ctx.path) }, 'request refused');
      } else {
        ctx.status = 500;
        ctx.body = 'internal error';
        deps.metrics.errors.inc({ reason: 'internal' });
        ctx.state.log.error({ err: { message: (err as Error).message, stack: (err as Error).stack }, path: routeOf(ctx.path) }, 'request failed');
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
  const push = mountWechat(router, deps);
  mountFaceCheck(router, deps);
  // Without ADMIN_USERS there is no console at all: /admin and everything under it is 404.
  if (deps.config.admin) mountAdmin(router, deps, deps.config.admin);
  // The hot path skips the router's matching (about a tenth of a push's time): every WeChat push
  // is a POST to exactly /wechat, the one spelling the strict router accepts too.
  app.use((ctx, next) => (ctx.method === 'POST' && ctx.path === '/wechat' ? push(ctx) : next()));
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

/** A face-check path carries a live token: logs name the route instead. */
const routeOf = (p: string) => (p.startsWith('/face-check/') ? '/face-check/:token' : p.slice(0, 64));
