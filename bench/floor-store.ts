import Redis from 'ioredis';
import { createFaqAnswerer } from './faq-answer';
import { createFloorServer } from './floor';
import { createStoreWork } from './store-work';

/**
 * The second floor: the bare node:http floor (floor.ts) plus the store work a stateful account
 * needs (store-work.ts) and the FAQ answer as the app words it (faq-answer.ts). It prices the
 * least a backend doing this job can cost; against it the ratio prices what Koa, the app's core
 * and the app's further guarantees add. Its own process, started by run.ts with the app's env.
 */
if (require.main === module) {
  const port = Number(process.env.PORT ?? 3101);
  const faq = createFaqAnswerer(process.env);
  const url = faq.config.redis?.url;
  if (!url) throw new Error('REDIS_URL is required: the floor with a store talks to the benchmark\'s redis-server');
  const redis = new Redis(url);
  const work = createStoreWork(redis, faq);
  const server = createFloorServer(faq.config.wechat.token, (message) =>
    // The benchmark sends text only; anything else gets `success`, as an account with nothing to say.
    message.msgType === 'text' ? work.handle({ openid: message.fromUserName, msgId: message.msgId ?? '', text: message.content }) : null,
  );
  server.listen(port, '127.0.0.1');
  process.on('SIGTERM', () => {
    redis.disconnect();
    process.exit(0);
  });
}
