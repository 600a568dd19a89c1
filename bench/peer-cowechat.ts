import Koa from 'koa';
import wechat from 'co-wechat';
import { storeContender } from './store-work';

/**
 * The peer: what a Node developer would pick for this job — Koa with node-webot's co-wechat
 * middleware (signature check, raw-body, xml2js, an ejs reply template) — plus ioredis doing the
 * store work a stateful account needs (store-work.ts) and the same FAQ answer as the app
 * (faq-answer.ts). Plaintext mode, as the app runs in the benchmark. Its own process, started by
 * run.ts with the app's env, on the same redis-server.
 */
if (require.main === module) {
  const port = Number(process.env.PORT ?? 3102);
  const { faq, work } = storeContender('the peer');
  const onPush = wechat({ token: faq.config.wechat.token }).middleware(async (message) => {
    const { FromUserName: openid, MsgId: msgId, Content: text, MsgType: type } = message;
    if (type !== 'text' || !openid || !msgId || text === undefined) return '';
    return (await work.handle({ openid, msgId, text })) ?? '';
  });

  const app = new Koa();
  app.silent = true; // a failed push is a 500 the generator counts; no stack trace per push on stderr
  app.use(async (ctx, next) => {
    if (ctx.path === '/wechat') return onPush(ctx, next);
    ctx.status = ctx.path === '/healthz' ? 200 : 404;
    ctx.body = '';
    return undefined;
  });
  app.listen(port, '127.0.0.1');
}
