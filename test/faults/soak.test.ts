import { once } from 'node:events';
import { Agent, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Redis from 'ioredis';
import type { TestApp } from '../helpers/app';
import { signedText } from '../helpers/push';
import { describeWithRedisServer, RedisServer } from '../helpers/redis-server';
import { STATS_TTL_MS } from '../../src/store/layout';
import { appOn, KEY_PREFIX, post, PROMPT, scanKeys, sleep } from './fixtures';

/**
 * A soak: 10 000 distinct followers each start the dialogue through one app instance. Memory stays
 * bounded: every key the app wrote carries a TTL, the dialogue states and the reply cache are gone
 * from Redis once their configured TTLs have passed (short ones here), and the process's heap is
 * back where it was. Only the "dialogue was open" marks stay, by design for a day, so that a
 * follower coming back is told their dialogue timed out. No timing is asserted: speed is the
 * benchmark's business.
 */
const FOLLOWERS = 10_000;
const CONCURRENCY = 32;
const DIALOGUE_IDLE_MS = 0.02 * 60_000;
const REPLY_CACHE_MS = 10_000;

/** node's own gc(), without --expose-gc on the command line. */
function gcFunction(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}


describeWithRedisServer('a soak of 10 000 followers', () => {
  let server: RedisServer;
  let t: TestApp;
  let http: Server;
  let redis: Redis;

  beforeAll(async () => {
    server = await RedisServer.launch();
    redis = new Redis(server.url);
    t = await appOn(server, { env: { DIALOGUE_IDLE_MINUTES: '0.02', REPLY_CACHE_SECONDS: '10' } });
    http = createServer(t.rt.app.callback()).listen(0, '127.0.0.1');
    await once(http, 'listening');
  });
  afterAll(async () => {
    http.closeAllConnections();
    await new Promise((r) => http.close(r));
    await t.close();
    redis.disconnect();
    await server.dispose();
  });

  const kinds = async () => {
    const keys = await scanKeys(server, `${KEY_PREFIX}*`);
    const count = (re: RegExp) => keys.filter((k) => re.test(k)).length;
    return { all: keys, state: count(/:state$/), open: count(/:open$/), delivery: count(/:d:/), stats: count(/^[^{]*stats:/) };
  };

  it('keeps memory bounded and lets state and the reply cache expire as configured', async () => {
    const gc = gcFunction();
    const { port } = http.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    let next = 0;
    let good = 0;
    const failures: string[] = [];
    const pushUpTo = (end: number) =>
      Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < end) {
            const i = next++;
            const now = Math.floor(Date.now() / 1000);
            const res = await post(port, agent, signedText(`opn_soak_${i}`, '认证', { msgId: `${now}${i}`, createTime: now, timestampSeconds: now }));
            if (res.status === 200 && res.body.includes(PROMPT.notice)) good++;
            else if (failures.length < 5) failures.push(`${res.status} ${res.body.slice(0, 200)}`);
          }
        }),
      );
    const heapMb = () => {
      gc();
      return process.memoryUsage().heapUsed / 2 ** 20;
    };
    // The first half warms everything up; the second half must not grow the heap with the number of followers.
    await pushUpTo(FOLLOWERS / 2);
    const heapHalf = heapMb();
    await pushUpTo(FOLLOWERS);
    const lastPushAt = Date.now();
    // Measured before this test reads 20 000 keys into memory of its own.
    const grownMb = heapMb() - heapHalf;
    agent.destroy();
    expect(failures).toEqual([]);
    expect(good).toBe(FOLLOWERS);

    // Every key the app wrote expires: none without a TTL (-1), none with more than configured
    // (-2: expired between SCAN and PTTL).
    // The office's counters reach the store within a second (src/stats): one hash for the day.
    await t.rt.stats.flush();
    const peak = await kinds();
    const ttls = await redis.pipeline(peak.all.map((k) => ['pttl', k])).exec();
    const limit = (k: string) => (k.endsWith(':state') ? DIALOGUE_IDLE_MS : k.includes(':d:') ? REPLY_CACHE_MS : /^[^{]*stats:/.test(k) ? STATS_TTL_MS : 24 * 3600_000);
    peak.all.forEach((k, i) => {
      const ttl = ttls![i]![1] as number;
      expect(ttl).not.toBe(-1);
      expect(ttl).toBeLessThanOrEqual(limit(k));
    });
    expect(peak.open).toBe(FOLLOWERS);
    expect(peak.state + peak.delivery).toBeGreaterThan(0);
    expect(peak.stats).toBe(1);
    expect(peak.all.length).toBe(peak.state + peak.open + peak.delivery + peak.stats);

    // Once the TTLs have passed (Redis expires keys by itself; bounded wait), only the marks remain.
    const deadline = lastPushAt + REPLY_CACHE_MS + 8000;
    let after = await kinds();
    while ((after.state > 0 || after.delivery > 0) && Date.now() < deadline) {
      await sleep(500);
      after = await kinds();
    }
    expect({ state: after.state, delivery: after.delivery, open: after.open }).toEqual({ state: 0, delivery: 0, open: FOLLOWERS });

    // From the follower's side: the state expired as configured, and the app says so.
    const back = t.follower('opn_soak_7');
    expect(await back.say('1')).toContain('没有操作，已经自动结束');

    // Generous against noise, yet 1 KB kept per follower would be 5 MB here (seen: about 0.1 MB).
    expect(grownMb).toBeLessThan(4);
  }, 150_000);
});
