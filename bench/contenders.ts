import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Contender } from './options';
import { generateRecordsKeyPair } from '../src/records/envelope';
import { openReply } from '../src/wechat/client-sign';
import { startNode, waitFor } from './processes';

/**
 * The contenders, each its own process on a free loopback port, the store users all on the same
 * redis-server and all given the app's environment (so the floor with a store and the peer read
 * the same token, window and templates as the app):
 * - floor: bare node:http + the app's protocol layer, a fixed reply (floor.ts);
 * - floor-store: the same plus the store work and the FAQ answer (floor-store.ts, store-work.ts);
 * - peer: Koa + co-wechat plus the same store work and FAQ answer (peer-cowechat.ts);
 * - koa-store: Koa + raw-body around the floor with a store's work, no app (koa-store.ts), for reference;
 * - app: the app itself (dist/src/main.js), in production mode.
 */
export interface Running {
  readonly id: Contender;
  readonly label: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Whether it talks to Redis (its CPU is priced with Redis's). */
  readonly usesRedis: boolean;
}

export const LABELS: Readonly<Record<Contender, string>> = {
  floor: 'floor: node:http, fixed reply',
  'floor-store': 'floor + store: node:http, ioredis, FAQ',
  peer: 'peer: Koa + co-wechat, ioredis, FAQ',
  'koa-store': 'Koa + store: Koa, ioredis, FAQ',
  app: 'app: Koa + core + Redis',
};

/** dist/bench → the repository. */
export const ROOT = path.resolve(__dirname, '..', '..');

/** The app's environment (PORT is set per contender by startContender). */
/** A key pair made for this run only: records sealed to it are never read. */
const BENCH_RECORDS_KEY = generateRecordsKeyPair().publicLine;

export function appEnv(opts: { redisUrl: string; token: string; extra: Readonly<Record<string, string>> }): Record<string, string> {
  const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    REDIS_URL: opts.redisUrl,
    WECHAT_TOKEN: opts.token,
    WECHAT_APP_ID: 'wxbench0000000001',
    WECHAT_APP_SECRET: 'bench-secret',
    WECHAT_API_BASE: 'http://127.0.0.1:9',
    PUBLIC_BASE_URL: 'https://cert.example.test',
    FACE_CHECK_PROVIDER: 'stub',
    ID_HASH_SECRET: 'bench-id-hash-secret-0123456789',
    CERT_WINDOW_START: `${year}-01-01`,
    CERT_WINDOW_END: `${year}-12-31`,
    // Production refuses to start without the office's key; the benchmark makes a throwaway one.
    RECORDS_PUBLIC_KEY: BENCH_RECORDS_KEY,
    ...opts.extra,
  };
}

const SCRIPTS: Readonly<Record<Contender, { file: string; ready: string }>> = {
  floor: { file: path.join(__dirname, 'floor.js'), ready: '/healthz' },
  'floor-store': { file: path.join(__dirname, 'floor-store.js'), ready: '/healthz' },
  peer: { file: path.join(__dirname, 'peer-cowechat.js'), ready: '/healthz' },
  'koa-store': { file: path.join(__dirname, 'koa-store.js'), ready: '/healthz' },
  app: { file: path.join(ROOT, 'dist', 'src', 'main.js'), ready: '/readyz' },
};

/** Starts one contender and waits until it answers its health check. */
export async function startContender(id: Contender, port: number, env: Record<string, string>, nodeArgs: string[] = []): Promise<Running> {
  const { file, ready } = SCRIPTS[id];
  const child = startNode(file, { ...env, PORT: String(port) }, nodeArgs);
  await waitFor(child, port, ready, LABELS[id]);
  return { id, label: LABELS[id], port, child, usesRedis: id !== 'floor' };
}

/** The text a contender replies to one push (openReply's Content), or why there is none. */
export async function replyText(port: number, push: { path: string; body: string }, token: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}${push.path}`, { method: 'POST', body: push.body, headers: { 'content-type': 'text/xml' }, signal: AbortSignal.timeout(5000) });
  const body = await res.text();
  if (res.status !== 200) return `(HTTP ${res.status})`;
  const fields = await openReply(body, { token, crypto: null }).catch((err: Error) => ({ error: err.message }));
  return 'error' in fields ? `(unreadable reply: ${fields.error})` : (fields.Content ?? `(no Content in ${body.slice(0, 80)})`);
}
