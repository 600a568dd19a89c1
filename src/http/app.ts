import type { RequestListener } from 'node:http';
import Router from '@koa/router';
import Koa from 'koa';
import { mountAdmin } from '../admin';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { Store } from '../store';
import { mountFaceCheck, type FaceCheckRouteDeps } from './face-check-route';
import { frontListener, refusal, requestIdOf, type PushDeps } from './push-listener';
import { mountWechat } from './wechat-route';

export type AppDeps = PushDeps & FaceCheckRouteDeps & {
  readonly store: Store;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** templates/admin: the office's console, mounted only when ADMIN_USERS is set. */
  readonly adminDir: string;
  /** True once shutdown began: /readyz turns red so a load balancer drains this instance. */
  readonly shuttingDown?: () => boolean;
};

export interface PublicApp {
  /** Every route but the pushes. */
  readonly app: Koa;
  /** The public listener: pushes (POST /wechat) on plain node:http ahead of Koa, the rest through `app`. */
  readonly handler: RequestListener;
}

/**
 * Builds the public app and never listens: main.ts listens, tests drive `handler`. Metrics
 * are not served here but on a listener of their own (./server). Routes match exactly — case and
 * trailing slash included — so that a proxy rule written for one spelling covers every request.
 */
export function createApp(deps: AppDeps): PublicApp {
  const app = new Koa();
  app.proxy = true;
  app.silent = true;
  const router = new Router({ strict: true, sensitive: true });

  app.use(async (ctx, next) => {
    const requestId = requestIdOf(ctx.get('x-request-id'));
    ctx.set('x-request-id', requestId);
    // Most requests never log, and a child logger serialises its bindings: made on first use.
    let log: Logger | undefined;
    const lazyLog = () => (log ??= deps.logger.child({ requestId }));
    Object.defineProperty(ctx.state, 'log', { get: lazyLog, enumerable: true });
    try {
      await next();
    } catch (err) {
      const a = refusal(err, deps.metrics, lazyLog, ctx.path);
      ctx.status = a.status;
      ctx.body = a.body;
      ctx.type = a.type;
      if (a.close) ctx.set('Connection', 'close');
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
  mountWechat(router, deps);
  mountFaceCheck(router, deps);
  // Without ADMIN_USERS there is no console at all: /admin and everything under it is 404.
  if (deps.config.admin) mountAdmin(router, deps, deps.config.admin);
  app.use(router.routes());
  app.use(router.allowedMethods());
  return { app, handler: frontListener(app.callback(), deps) };
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

