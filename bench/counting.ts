import Redis from 'ioredis';
import { createLogger } from '../src/log';
import { createStats, type Stats } from '../src/stats';
import { createRedisStore, type Store } from '../src/store';
import { layout } from '../src/store/layout';
import { loadConfig } from '../src/config';
import { RedisServer } from '../test/helpers/redis-server';

/**
 * `npm run bench:counting`: what the office's counters add to one push. A redis-server of its own
 * (loopback). 20 000 pushes' counts added as the app adds them (`Stats.add`, no I/O), in batches of
 * 500 each followed by a write to the store (as the one-second tally would be), against 20 000
 * plain GETs for comparison. Prints the app's and Redis's CPU per counted push. Bounded: 20 000 each.
 */
const PUSHES = 20_000;
const BATCH = 500;
/** What a typical step adds: the step reached, overall and for its category. */
const FIELDS = { 'step:id': 1, 'cat:0:step:id': 1 } as const;

function cpu<T>(f: () => Promise<T>): Promise<number> {
  const start = process.cpuUsage();
  return f().then(() => {
    const used = process.cpuUsage(start);
    return used.user + used.system;
  });
}

async function counted(stats: Stats): Promise<void> {
  for (let i = 0; i < PUSHES; i += BATCH) {
    for (let j = 0; j < BATCH; j++) stats.add(FIELDS);
    await stats.flush();
  }
}

async function gets(store: Store): Promise<void> {
  for (let i = 0; i < PUSHES; i += 50) await Promise.all(Array.from({ length: 50 }, () => store.get('plain')));
}

async function commandStats(url: string): Promise<Record<string, number>> {
  const raw = new Redis(url);
  const info = await raw.info('commandstats');
  raw.disconnect();
  return Object.fromEntries([...info.matchAll(/cmdstat_(\w+):calls=\d+,usec=(\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
}

async function main(): Promise<void> {
  const server = await RedisServer.launch();
  try {
    const config = loadConfig({ NODE_ENV: 'test', REDIS_URL: server.url, CERT_WINDOW_START: '2026-03-11', CERT_WINDOW_END: '2026-06-30' });
    const store = createRedisStore({ url: server.url, keyPrefix: 'bench:' });
    await store.waitReady(5000);
    const stats = createStats({ store, layout: layout(config), cert: config.cert, categories: ['养老资格认证'], logger: createLogger('silent'), now: Date.now });
    await store.set('plain', 'x');
    // Warm up: the script loaded, the JIT settled.
    await counted(stats);
    await gets(store);

    const before = await commandStats(server.url);
    const countUs = await cpu(() => counted(stats));
    const mid = await commandStats(server.url);
    const getUs = await cpu(() => gets(store));
    const after = await commandStats(server.url);
    await stats.close();
    await store.close();

    const per = (n: number) => (n / PUSHES).toFixed(2);
    const redisUs = (a: Record<string, number>, b: Record<string, number>, cmd: string) => (b[cmd] ?? 0) - (a[cmd] ?? 0);
    console.log(`the counts of ${PUSHES} pushes (${Object.keys(FIELDS).length} fields each), written ${BATCH} pushes at a time:`);
    console.log(`  app CPU per push   ${per(countUs)} µs   (one plain GET: ${per(getUs)} µs)`);
    console.log(`  Redis CPU per push ${per(redisUs(before, mid, 'evalsha'))} µs   (one plain GET: ${per(redisUs(mid, after, 'get'))} µs)`);
  } finally {
    await server.stop();
  }
}

void main().catch((err: Error) => {
  console.error(err.message);
  process.exitCode = 1;
});
