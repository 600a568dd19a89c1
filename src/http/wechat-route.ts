import type Router from '@koa/router';
import type { Config } from '../config';
import { verifyUrl } from '../wechat';

/**
 * GET /wechat verifies the server URL (WeChat's echostr). The pushes themselves (POST /wechat)
 * are served ahead of Koa, on plain node:http: see push-listener.ts.
 */
export function mountWechat(router: Router, deps: { readonly config: Config; readonly now: () => number }): void {
  router.get('/wechat', (ctx) => {
    ctx.type = 'text/plain';
    ctx.body = verifyUrl(ctx.query, deps.config.wechat.token, Math.floor(deps.now() / 1000));
  });
}
