import { createFloorServer } from './floor';
import { storeContender } from './store-work';

/**
 * The second floor: the bare node:http floor (floor.ts) plus the store work a stateful account
 * needs (store-work.ts) and the FAQ answer as the app words it (faq-answer.ts). It prices the
 * least a backend doing this job can cost; against it the ratio prices what Koa, the app's core
 * and the app's further guarantees add. Its own process, started by run.ts with the app's env.
 */
if (require.main === module) {
  const port = Number(process.env.PORT ?? 3101);
  const { faq, work } = storeContender('the floor with a store');
  const server = createFloorServer(faq.config.wechat.token, (message) =>
    // The benchmark sends text only; anything else gets `success`, as an account with nothing to say.
    message.msgType === 'text' ? work.handle({ openid: message.fromUserName, msgId: message.msgId ?? '', text: message.content }) : null,
  );
  server.listen(port, '127.0.0.1');
}
