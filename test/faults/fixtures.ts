import { request as httpRequest, type Agent } from 'node:http';
import Redis from 'ioredis';
import request from 'supertest';
import { gbCheckDigit } from '../../src/dialogue/person';
import { createRedisStore, type RedisStore, type Store } from '../../src/store';
import { Clock, testApp, type TestApp } from '../helpers/app';
import type { RedisServer } from '../helpers/redis-server';

/** Shared by the fault suites: apps on a redis-server of their own, and ways to look inside it. */

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A valid 18-digit ID number (GB 11643 check character), different for each n. */
export function idNumber(n: number): string {
  const body = `150102${1940 + (n % 30)}0${1 + (n % 9)}1${n % 10}${String(n % 1000).padStart(3, '0')}`;
  return body + gbCheckDigit(body);
}

/** What a follower reads at each step: enough of each prompt to tell the steps apart. */
export const PROMPT = {
  notice: '【办理须知】',
  category: '请选择认证类别',
  id: '请输入要认证的老人的身份证号码',
  idLength: '身份证号码应该是18位',
  name: '请输入老人的姓名',
  nameInvalid: '姓名只能是汉字',
  phone: '请输入手机号码',
  confirm: '请核对信息',
  link: '/face-check/',
  certified: '本认证周期已认证',
  busy: '系统繁忙',
} as const;

export const KEY_PREFIX = 'pcw:';

/** An app on the given redis-server, with its own connection, as one more instance would be. */
export async function appOn(
  server: RedisServer,
  opts: { env?: Record<string, string>; prefix?: string; wrap?: (store: Store) => Store } = {},
): Promise<TestApp & { redisStore: RedisStore }> {
  const redisStore = createRedisStore({ url: server.url, keyPrefix: opts.prefix ?? KEY_PREFIX });
  await redisStore.waitReady(5000);
  const store = opts.wrap ? opts.wrap(redisStore) : redisStore;
  const t = await testApp({ store, clock: new Clock(Date.now()), ...(opts.env ? { env: opts.env } : {}) });
  return Object.assign(t, { redisStore });
}

/**
 * A store whose state reads come back late, as over a slow network: two messages of one follower
 * handled at the same time then surely both read the state before either writes it.
 */
export const slowReads = (ms: number) => (inner: Store): Store => ({
  ...inner,
  async claimAndRead(...args) {
    const out = await inner.claimAndRead(...args);
    await sleep(ms);
    return out;
  },
});

/** Polls /readyz until it answers 200: the app found Redis again by itself. */
export async function untilReady(t: TestApp, withinMs = 10_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const res = await request(t.rt.app.callback()).get('/readyz');
    if (res.status === 200) return;
    if (Date.now() > deadline) throw new Error(`/readyz still ${res.status} after ${withinMs} ms`);
    await sleep(100);
  }
}

/** Keys matching a pattern, by SCAN (never KEYS on a server under load). */
export async function scanKeys(server: RedisServer, pattern: string): Promise<string[]> {
  const redis = new Redis(server.url);
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    return keys;
  } finally {
    redis.disconnect();
  }
}

/** Raw value of a key (with the app's prefix), or null. */
export async function rawGet(server: RedisServer, key: string): Promise<string | null> {
  const redis = new Redis(server.url);
  try {
    return await redis.get(key);
  } finally {
    redis.disconnect();
  }
}

type SavedState = { dialogue?: { step: string; draft: Record<string, unknown> } };

/**
 * The follower's saved dialogue state, as the app reads it: plain JSON, or sealed at rest (then
 * opened with the app's own layout).
 */
export async function stateOf(t: TestApp, server: RedisServer, openid: string): Promise<SavedState | null> {
  const raw = await rawGet(server, `${KEY_PREFIX}${t.rt.layout.follower(openid).state.key}`);
  if (raw === null) return null;
  const plain = t.rt.layout.unseal(raw);
  return plain === null ? null : (JSON.parse(plain) as SavedState);
}

/**
 * One push over a real socket (supertest cannot share a keep-alive agent). With `slowUntil`, half the
 * body goes now and the rest when it resolves, so the server is surely in the middle of the push.
 */
export function post(port: number, agent: Agent | false, push: { query: Record<string, string>; body: string }, slowUntil?: Promise<void>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: 'POST', path: `/wechat?${new URLSearchParams(push.query)}`, agent, headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(push.body) } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (!slowUntil) {
      req.end(push.body);
      return;
    }
    const bytes = Buffer.from(push.body);
    req.write(bytes.subarray(0, bytes.length >> 1));
    void slowUntil.then(() => req.end(bytes.subarray(bytes.length >> 1)));
  });
}

