import { parse as parseQuery } from 'node:querystring';
import Koa from 'koa';
import getRawBody from 'raw-body';
import { isProtocolError, MAX_PUSH_BYTES, openPush, sealReply } from '../src/wechat';
import { storeContender } from './store-work';

/**
 * A reference, not a target: Koa and raw-body, as the app uses them, around exactly the floor
 * with a store's work (the app's protocol layer, store-work.ts, the FAQ answer) and nothing of
 * the app. Against the floor with a store it prices Koa alone; against the app, what the app's
 * core and guarantees add on top of Koa. Its own process, started by run.ts with the app's env.
 */
if (require.main === module) {
  const port = Number(process.env.PORT ?? 3103);
  const { faq, work } = storeContender('the Koa reference');
  const token = faq.config.wechat.token;
  const app = new Koa();
  app.silent = true;
  app.use(async (ctx) => {
    if (ctx.method !== 'POST' || ctx.path !== '/wechat') {
      ctx.status = ctx.path === '/healthz' ? 200 : 404;
      ctx.body = '';
      return;
    }
    try {
      const body = await getRawBody(ctx.req, { limit: MAX_PUSH_BYTES, encoding: 'utf8' });
      const nowSeconds = Math.floor(Date.now() / 1000);
      const { message, envelope } = await openPush({ query: parseQuery(ctx.querystring), body, token, crypto: null, nowSeconds });
      const content = message.msgType === 'text' ? await work.handle({ openid: message.fromUserName, msgId: message.msgId ?? '', text: message.content }) : null;
      ctx.type = 'application/xml';
      ctx.body = sealReply(content === null ? { kind: 'none' } : { kind: 'text', content }, message, envelope, { token, crypto: null, nowSeconds });
    } catch (err) {
      // The generator counts anything but a 200 reply as an error.
      ctx.status = isProtocolError(err) ? 400 : 500;
      ctx.body = '';
    }
  });
  app.listen(port, '127.0.0.1');
}
