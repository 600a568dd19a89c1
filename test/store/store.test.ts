import { createMemoryStore, type Store } from '../../src/store';
import { describeRedis, freshRedisStore } from '../helpers/redis';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One suite, run against both adapters: they must mean the same thing. */
function storeContract(name: string, make: () => Promise<Store>) {
  describe(name, () => {
    let store: Store;
    beforeEach(async () => {
      store = await make();
    });
    afterEach(async () => {
      await store.close();
    });

    it('reads back what it wrote and forgets what it deleted', async () => {
      expect(await store.get('a')).toBeNull();
      await store.set('a', '1');
      expect(await store.get('a')).toBe('1');
      expect(await store.getMany(['a', 'missing'])).toEqual(['1', null]);
      await store.delete('a');
      expect(await store.get('a')).toBeNull();
    });

    it('lets a value expire after its TTL', async () => {
      await store.set('t', 'v', 150);
      expect(await store.get('t')).toBe('v');
      await sleep(250);
      expect(await store.get('t')).toBeNull();
    });

    it('writes set-if-absent only once', async () => {
      expect(await store.setIfAbsent('once', 'first', 5000)).toBe(true);
      expect(await store.setIfAbsent('once', 'second', 5000)).toBe(false);
      expect(await store.get('once')).toBe('first');
    });

    it('lets exactly one of many concurrent claims win', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent('race', String(i), 5000)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('claims a key and reads the others in one step, or returns the existing claim', async () => {
      await store.set('state', '{"step":"x"}');
      const first = await store.claimAndRead('dedup', 'pending', 5000, ['state', 'nothing']);
      expect(first).toEqual({ claimed: true, values: ['{"step":"x"}', null] });
      const second = await store.claimAndRead('dedup', 'pending-2', 5000, ['state']);
      expect(second).toEqual({ claimed: false, existing: 'pending' });
    });

    it('settles a claim with an answer worked out ahead only while the keys it assumed absent are absent', async () => {
      const settle = { value: 'answer', ttlMs: 150, whenAbsent: 2 };
      // Nothing kept: the answer is the claim itself, nothing is read back, and it lives by its own TTL.
      expect(await store.claimAndRead('d1', 'pending', 5000, ['state', 'open', 'entry'], settle)).toEqual({ claimed: true, settled: true });
      expect(await store.get('d1')).toBe('answer');
      expect(await store.claimAndRead('d1', 'pending', 5000, ['state'], settle)).toEqual({ claimed: false, existing: 'answer' });
      await sleep(250);
      expect(await store.get('d1')).toBeNull();
      // A key past `whenAbsent` does not matter …
      await store.set('entry', 'e');
      expect(await store.claimAndRead('d2', 'pending', 5000, ['state', 'open', 'entry'], settle)).toEqual({ claimed: true, settled: true });
      // … one within it does: the claim goes on as without `settle`, and the answer is not written.
      await store.set('open', '1');
      expect(await store.claimAndRead('d3', 'pending', 5000, ['state', 'open', 'entry'], settle)).toEqual({ claimed: true, values: [null, '1', 'e'] });
      expect(await store.get('d3')).toBe('pending');
      // Nothing assumed absent: it always settles, unless the delivery was claimed before.
      expect(await store.claimAndRead('d4', 'pending', 5000, ['open'], { ...settle, whenAbsent: 0 })).toEqual({ claimed: true, settled: true });
      expect(await store.claimAndRead('d3', 'pending', 5000, [], { ...settle, whenAbsent: 0 })).toEqual({ claimed: false, existing: 'pending' });
    });

    it('applies a compare-and-set only when the value is still the expected one', async () => {
      expect(await store.compareAndSet('s', null, { value: 'v1' })).toBe(true);
      expect(await store.compareAndSet('s', null, { value: 'v2' })).toBe(false);
      expect(await store.compareAndSet('s', 'v1', { value: 'v2', ttlMs: 5000 }, [{ key: 'side', write: { value: 'x' } }])).toBe(true);
      expect(await store.getMany(['s', 'side'])).toEqual(['v2', 'x']);
      expect(await store.compareAndSet('s', 'v1', null, [{ key: 'side', write: null }])).toBe(false);
      expect(await store.get('side')).toBe('x');
      expect(await store.compareAndSet('s', 'v2', null, [{ key: 'side', write: null }])).toBe(true);
      expect(await store.getMany(['s', 'side'])).toEqual([null, null]);
    });

    it('applies nothing when a guarded further write finds its key changed', async () => {
      await store.set('note', 'n1');
      const consume = (seen: string | null) => store.compareAndSet('st', null, { value: 'v' }, [{ key: 'note', write: null, expect: seen }]);
      expect(await consume('n0')).toBe(false);
      expect(await store.getMany(['st', 'note'])).toEqual([null, 'n1']);
      expect(await consume(null)).toBe(false);
      expect(await consume('n1')).toBe(true);
      expect(await store.getMany(['st', 'note'])).toEqual(['v', null]);
      expect(await store.compareAndSet('st', 'v', { value: 'w' }, [{ key: 'note', write: { value: 'n2' }, expect: null }])).toBe(true);
      expect(await store.getMany(['st', 'note'])).toEqual(['w', 'n2']);
    });

    it('loses no update when many writers increment the same key with compare-and-set', async () => {
      const increment = async () => {
        for (;;) {
          const cur = await store.get('counter');
          const next = String(Number(cur ?? '0') + 1);
          if (await store.compareAndSet('counter', cur, { value: next })) return;
        }
      };
      await Promise.all(Array.from({ length: 25 }, increment));
      expect(await store.get('counter')).toBe('25');
    });

    it('adds to the fields of a counter hash, creating it, and answers the new values', async () => {
      expect(await store.readHash('stats')).toEqual({});
      expect(await store.incrementFields('stats', { began: 1, 'step:id': 2 }, 5000)).toEqual({ began: 1, 'step:id': 2 });
      expect(await store.incrementFields('stats', { began: 1, 'fail:light': 1 }, 5000)).toEqual({ began: 2, 'fail:light': 1 });
      expect(await store.readHash('stats')).toEqual({ began: '2', 'step:id': '2', 'fail:light': '1' });
      await store.delete('stats');
      expect(await store.readHash('stats')).toEqual({});
    });

    it('loses no increment when many instances count at once', async () => {
      await Promise.all(Array.from({ length: 40 }, () => store.incrementFields('busy', { n: 1, m: 2 }, 5000)));
      expect(await store.readHash('busy')).toEqual({ n: '40', m: '80' });
    });

    it('lets a counter hash expire after its TTL, renewed by every increment', async () => {
      await store.incrementFields('short', { n: 1 }, 150);
      await sleep(100);
      await store.incrementFields('short', { n: 1 }, 150);
      await sleep(100);
      expect(await store.readHash('short')).toEqual({ n: '2' });
      await sleep(200);
      expect(await store.readHash('short')).toEqual({});
    });

    it('refuses an increment that is not an integer, changing nothing', async () => {
      await expect(store.incrementFields('odd', { n: 1.5 }, 5000)).rejects.toThrow(RangeError);
      expect(await store.readHash('odd')).toEqual({});
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}

storeContract('the memory store', async () => createMemoryStore());
describeRedis('against a real redis-server', () => {
  storeContract('the Redis store', freshRedisStore);

  it('keeps its keys under its prefix', async () => {
    const store = await freshRedisStore();
    await store.set('k', 'v', 5000);
    const Redis = (await import('ioredis')).default;
    const raw = new Redis(process.env.REDIS_URL!);
    expect(await raw.get(`${store.prefix}k`)).toBe('v');
    await raw.quit();
    await store.close();
  });
});

describe('the memory store with a clock', () => {
  afterEach(() => jest.useRealTimers());

  it('expires entries by its clock', async () => {
    let t = 1000;
    const store = createMemoryStore({ now: () => t });
    await store.set('a', '1', 100);
    t += 99;
    expect(await store.get('a')).toBe('1');
    t += 2;
    expect(await store.get('a')).toBeNull();
    await store.close();
  });

  it('sweeps expired entries that nobody reads again from memory', async () => {
    // Fake timers run the periodic sweep on demand; nothing reads 'a' again, so only the sweep can drop it.
    jest.useFakeTimers();
    let t = 1000;
    const store = createMemoryStore({ now: () => t, sweepMs: 1000 });
    await store.set('a', '1', 100);
    await store.set('b', '2');
    t += 101;
    expect(store.size()).toBe(2);
    jest.advanceTimersByTime(1000);
    expect(store.size()).toBe(1);
    expect(await store.get('b')).toBe('2');
    await store.close();
  });
});
