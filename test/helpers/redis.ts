import { randomUUID } from 'node:crypto';
import { createRedisStore, type RedisStore } from '../../src/store';

/**
 * Tests that need a real Redis read REDIS_URL (`.ci/run` starts redis-server on a loopback port).
 * Without it they are skipped with the reason printed, so `npm test` still runs everything else.
 */
export const REDIS_URL = process.env.REDIS_URL;
export const describeRedis: jest.Describe = REDIS_URL ? describe : describe.skip;
if (!REDIS_URL) {
  // eslint-disable-next-line no-console
  console.warn('REDIS_URL is not set: the tests against a real redis-server are skipped');
}

/** A store on its own key prefix, so suites running in parallel never see each other's keys. */
export async function freshRedisStore(): Promise<RedisStore & { prefix: string }> {
  const prefix = `test:${randomUUID().slice(0, 8)}:`;
  const store = createRedisStore({ url: REDIS_URL!, keyPrefix: prefix });
  await store.waitReady(5000);
  return Object.assign(store, { prefix });
}
