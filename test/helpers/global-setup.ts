import { findRedisServer, RedisServer } from './redis-server';

/**
 * jest's global set-up: when REDIS_URL is absent (a fresh machine, `npx jest`) and a redis-server
 * binary is installed, start one on a free loopback port for the whole run and hand its URL to the
 * test workers through the environment, so the Redis suites run instead of being skipped. `.ci/run`
 * sets REDIS_URL to its own server, which is then used as it is.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.REDIS_URL || !findRedisServer()) return;
  const server = await RedisServer.launch({ appendfsync: 'no' });
  process.env.REDIS_URL = server.url;
  started.server = server;
}

/** Shared with global-teardown.ts: jest runs both in its own process, where this module is loaded once. */
export const started: { server: RedisServer | null } = { server: null };
