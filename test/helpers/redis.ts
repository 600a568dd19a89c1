import { randomUUID } from 'node:crypto';
import { createRedisStore, type RedisStore } from '../../src/store';
import { NO_REDIS_SERVER } from './redis-server';
import { describeUnless } from './skip';

/**
 * Tests that need a real Redis read REDIS_URL: `.ci/run` sets it to its shared server, and without
 * it jest's global set-up (test/helpers/global-setup.ts) starts a redis-server of its own when the
 * binary is installed. Only when neither is possible are these groups skipped, with the reason.
 */
export const REDIS_URL = process.env.REDIS_URL;

/** `describe` against the real Redis at REDIS_URL, or skipped with the reason when there is none. */
export function describeRedis(name: string, fn: () => void): void {
  describeUnless(REDIS_URL ? null : `REDIS_URL is not set and there is ${NO_REDIS_SERVER}`, name, fn);
}

/** A store on its own key prefix, so suites running in parallel never see each other's keys. */
export async function freshRedisStore(): Promise<RedisStore & { prefix: string }> {
  const prefix = `test:${randomUUID().slice(0, 8)}:`;
  const store = createRedisStore({ url: REDIS_URL!, keyPrefix: prefix });
  await store.waitReady(5000);
  return Object.assign(store, { prefix });
}
