import Redis from 'ioredis';
import request from 'supertest';
import { gbCheckDigit } from '../../src/dialogue/person';
import { createMemoryStore, type Store } from '../../src/store';
import { Clock, testApp, type Follower, type TestApp } from './app';
import { describeRedis, freshRedisStore, REDIS_URL } from './redis';

/**
 * Fixtures for the certification dialogue's acceptance tests: valid ID numbers, people to certify,
 * walking a follower through the steps, and playing the face-check provider.
 */

/** A valid ID number: area 150102 (新城区), the birth date YYYYMMDD and a sequence of three digits. */
export const idNumber = (birth: string, seq = '001', area = '150102') => `${area}${birth}${seq}${gbCheckDigit(`${area}${birth}${seq}`)}`;

/** The same ID number with its check character replaced by a wrong one. */
export function withWrongCheck(id: string): string {
  const right = id.slice(-1);
  return id.slice(0, 17) + (right === '0' ? '1' : '0');
}

export interface Person {
  readonly id: string;
  readonly name: string;
  readonly phone: string;
}

/** Masked as the domain shows them: 1501**********123X, 王*英, 139****2345. */
export const masked = {
  id: (id: string) => `${id.slice(0, 4)}**********${id.slice(-4)}`,
  phone: (p: string) => `${p.slice(0, 3)}****${p.slice(-4)}`,
};

let n = 0;
/** A new person each call (distinct ID numbers, so records never collide between tests). */
export function person(over: Partial<Person> = {}): Person {
  n += 1;
  const seq = String(100 + ((process.pid * 7 + n) % 900)).padStart(3, '0');
  const birth = `19${40 + (n % 25)}0${1 + (n % 9)}1${n % 10}`;
  return { id: idNumber(birth, seq), name: '乌云其其格', phone: `139${String(10_000_000 + n * 7919).slice(-8)}`, ...over };
}

export interface WalkOptions {
  /** The notice was acknowledged earlier in this conversation, so the categories come first. */
  readonly acknowledged?: boolean;
  /** 认证 was sent already. */
  readonly started?: boolean;
}

/** From nothing to the confirmation: 认证, the notice (unless acknowledged before), category, ID, name, phone. */
export async function toConfirm(f: Follower, p: Person, category = '1', opts: WalkOptions = {}): Promise<string[]> {
  const replies = opts.started ? [] : [await f.say('认证')];
  if (!opts.acknowledged) replies.push(await f.say('1'));
  for (const answer of [category, p.id, p.name, p.phone]) replies.push(await f.say(answer));
  return replies;
}

/** The face-check link in a reply, and its token. */
export function linkIn(reply: string): { url: string; token: string } {
  const m = /(https?:\/\/\S+\/face-check\/([A-Za-z0-9_-]+))/.exec(reply);
  if (!m) throw new Error(`no face-check link in: ${reply}`);
  return { url: m[1]!, token: m[2]! };
}

/** Walks the whole dialogue up to the link; returns every reply and the token. */
export async function toLink(f: Follower, p: Person, category = '1', opts: WalkOptions = {}) {
  const replies = await toConfirm(f, p, category, opts);
  replies.push(await f.say('1'));
  return { replies, ...linkIn(replies[replies.length - 1]!) };
}

/** The provider's callback, as the stub page sends it. */
export const complete = (t: TestApp, token: string, body: unknown = { result: 'pass' }) =>
  request(t.rt.app.callback())
    .post(`/face-check/${token}/complete`)
    .set('Content-Type', 'application/json')
    .send(typeof body === 'string' ? body : JSON.stringify(body));

/**
 * What another phone hears on typing `p`'s ID number and name: 本认证周期已认证 exactly when a
 * record exists for them in this cycle.
 */
export async function askAgainWithSameIdFor(t: TestApp, p: Person): Promise<string> {
  return (await toConfirm(t.follower(), p)).join('\n');
}

export const openPage = (t: TestApp, token: string) => request(t.rt.app.callback()).get(`/face-check/${token}`);

/** What a follower reads as the date: 2026年4月15日. */
export const cnDate = (ms: number) => {
  const d = new Date(ms + 8 * 3600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
};

export const lastLine = (text: string) => text.trimEnd().split('\n').pop() ?? '';

/** Which of a person's data appear in clear in `text`. */
export function clearDataIn(text: string, p: Person): string[] {
  const found: string[] = [];
  if (text.includes(p.id) || text.includes(p.id.toLowerCase()) || text.includes(p.id.slice(0, 17))) found.push('id');
  if (text.includes(p.name)) found.push('name');
  if (text.includes(p.phone)) found.push('phone');
  return found;
}

/** A store that remembers every key written through it, so a test can read back all it holds. */
export function keyRecordingStore(inner: Store): Store & { values(): Promise<Map<string, string>>; hashes(): Promise<Map<string, Record<string, string>>> } {
  const keys = new Set<string>();
  const hashKeys = new Set<string>();
  return {
    ...inner,
    incrementFields: (k, fields, ttl) => (hashKeys.add(k), inner.incrementFields(k, fields, ttl)),
    set: (k, v, ttl) => (keys.add(k), inner.set(k, v, ttl)),
    setIfAbsent: (k, v, ttl) => (keys.add(k), inner.setIfAbsent(k, v, ttl)),
    claimAndRead: (k, v, ttl, read) => (keys.add(k), inner.claimAndRead(k, v, ttl, read)),
    compareAndSet: (k, expected, next, also = []) => {
      [k, ...also.map((w) => w.key)].forEach((key) => keys.add(key));
      return inner.compareAndSet(k, expected, next, also);
    },
    async values() {
      const list = [...keys];
      const got = await inner.getMany(list);
      return new Map(list.flatMap((k, i) => (got[i] == null ? [] : [[k, got[i]!] as [string, string]])));
    },
    async hashes() {
      const list = [...hashKeys];
      const got = await Promise.all(list.map((k) => inner.readHash(k)));
      return new Map(list.map((k, i) => [k, got[i]!] as const).filter(([, h]) => Object.keys(h).length > 0));
    },
  };
}

/** Every counter hash a Redis store holds under `prefix` (prefix stripped from the keys). */
export async function redisHashes(prefix: string): Promise<Map<string, Record<string, string>>> {
  const redis = new Redis(REDIS_URL!);
  try {
    const out = new Map<string, Record<string, string>>();
    for (const key of await redis.keys(`${prefix}*`)) if ((await redis.type(key)) === 'hash') out.set(key.slice(prefix.length), await redis.hgetall(key));
    return out;
  } finally {
    redis.disconnect();
  }
}

/** Every key and value a Redis store holds under `prefix` (prefix stripped from the keys). */
export async function redisValues(prefix: string): Promise<Map<string, string>> {
  const redis = new Redis(REDIS_URL!);
  try {
    const keys = await redis.keys(`${prefix}*`);
    const values = keys.length ? await redis.mget(...keys) : [];
    return new Map(keys.flatMap((k, i) => (values[i] == null ? [] : [[k.slice(prefix.length), values[i]!] as [string, string]])));
  } finally {
    redis.disconnect();
  }
}

/** Removes a test prefix's keys, so the shared redis-server does not fill up with records. */
export async function dropRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL!);
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

export type Adapter = 'memory' | 'redis';

/** An app on one store adapter, with a way to read every value the store holds and to clean up. */
export interface AppOnStore {
  readonly t: TestApp;
  values(): Promise<Map<string, string>>;
  /** The counter hashes (src/stats, the console's lockout counts). */
  hashes(): Promise<Map<string, Record<string, string>>>;
  close(): Promise<void>;
}

export async function appOn(adapter: Adapter, opts: { env?: Record<string, string>; clock?: Clock } = {}): Promise<AppOnStore> {
  const clock = opts.clock ?? new Clock();
  if (adapter === 'memory') {
    const store = keyRecordingStore(createMemoryStore({ now: clock.now }));
    const t = await testApp({ ...opts, clock, store });
    return { t, values: () => store.values(), hashes: () => store.hashes(), close: () => t.close() };
  }
  const store = await freshRedisStore();
  const t = await testApp({ ...opts, clock, store });
  return {
    t,
    values: () => redisValues(store.prefix),
    hashes: () => redisHashes(store.prefix),
    async close() {
      await t.close();
      await dropRedisPrefix(store.prefix);
    },
  };
}

/** Declares the same tests against the memory store and, when REDIS_URL is set, a real Redis. */
export function onEachStore(body: (adapter: Adapter) => void): void {
  describe('on the memory store', () => body('memory'));
  describeRedis('on a real Redis', () => body('redis'));
}

/** The last line of each step's prompt: what the follower is told to send next. */
export const PROMPTS = {
  notice: '回复 1，表示“本人已知悉以上规定”并继续；回复“退出”结束。',
  category: '领养老金的退休人员请选 1。请回复数字 1 到 5。',
  id: '请发送身份证号码。',
  name: '请发送姓名。',
  phone: '请发送手机号码。',
  confirm: '请回复数字 1 到 5，也可以直接发正确的内容。',
};
