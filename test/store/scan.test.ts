import { randomUUID } from 'node:crypto';
import { createMemoryStore, createRedisStore, type Store } from '../../src/store';
import { dropRedisPrefix } from '../helpers/certify';
import { describeRedis, REDIS_URL } from '../helpers/redis';

/** `scan`, the daily job's walk over one kind of key, means the same on both adapters. */
function scanContract(name: string, make: () => Promise<Store>, cleanup: () => Promise<void> = async () => undefined) {
  describe(name, () => {
    let store: Store;
    beforeEach(async () => {
      store = await make();
    });
    afterEach(async () => {
      await store.close();
      await cleanup();
    });

    const all = async (pattern: string, batch?: number) => {
      const seen: (readonly [string, string])[] = [];
      let batches = 0;
      for await (const b of store.scan(pattern, batch)) {
        batches += 1;
        seen.push(...b);
      }
      return { seen: new Map(seen), count: seen.length, batches };
    };

    it('finds every key of a pattern with its value, without the prefix, and no other key', async () => {
      for (let i = 0; i < 25; i++) await store.set(`f:{tag${i}}:rm:2026`, `v${i}`);
      await store.set('f:{tag1}:rm:2025', 'last year');
      await store.set('f:{tag1}:rm:sent:2026:end-7', 'a marker');
      await store.set('f:{tag1}:state', 'a state');
      const { seen, count } = await all('f:{*}:rm:2026', 10);
      expect(count).toBe(25);
      expect(seen.get('f:{tag7}:rm:2026')).toBe('v7');
      expect([...seen.keys()].every((k) => k.endsWith(':rm:2026'))).toBe(true);
    });

    it('gives back batches no larger than asked', async () => {
      for (let i = 0; i < 12; i++) await store.set(`k:${i}`, 'x');
      for await (const b of store.scan('k:*', 5)) expect(b.length).toBeLessThanOrEqual(5);
      expect((await all('k:*', 5)).count).toBe(12);
    });

    it('skips keys that have expired and finds nothing where nothing matches', async () => {
      await store.set('gone:1', 'x', 20);
      await store.set('gone:kept', 'x');
      await new Promise((r) => setTimeout(r, 60));
      expect((await all('gone:*')).count).toBe(1);
      expect((await all('nothing:*')).batches).toBe(0);
    });
  });
}

scanContract('the memory store', async () => createMemoryStore());

describeRedis('the Redis store', () => {
  // A prefix with glob characters in it is taken literally: other prefixes' keys are never seen.
  const prefix = `test:${randomUUID().slice(0, 8)}[*]:`;
  const neighbour = `test:${randomUUID().slice(0, 8)}x:`;
  scanContract(
    'on a real redis-server',
    async () => {
      const other = createRedisStore({ url: REDIS_URL!, keyPrefix: neighbour });
      await other.waitReady(5000);
      await other.set('k:neighbour', 'not ours');
      await other.set('f:{tagX}:rm:2026', 'not ours');
      await other.close();
      const s = createRedisStore({ url: REDIS_URL!, keyPrefix: prefix });
      await s.waitReady(5000);
      return s;
    },
    async () => {
      await dropRedisPrefix(prefix.replace(/[[\]*]/g, '\\$&'));
      await dropRedisPrefix(neighbour);
    },
  );
});
