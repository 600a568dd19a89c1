import type { RedisStore } from '../../src/store';
import { createWechatApiClient } from '../../src/wechat-api';
import { apiSettings, startFakeWechat, type FakeWechatApi } from '../helpers/fake-wechat';
import { describeRedis, freshRedisStore, REDIS_URL } from '../helpers/redis';
import { createRedisStore } from '../../src/store';

/** Three instances, each with its own Redis connection, sharing one real redis-server. */
describeRedis('the shared access token in a real Redis', () => {
  let fake: FakeWechatApi;
  let stores: RedisStore[];

  beforeAll(async () => {
    fake = await startFakeWechat();
  });
  afterAll(() => fake.close());
  beforeEach(async () => {
    fake.reset();
    const first = await freshRedisStore();
    const others = [createRedisStore({ url: REDIS_URL!, keyPrefix: first.prefix }), createRedisStore({ url: REDIS_URL!, keyPrefix: first.prefix })];
    await Promise.all(others.map((s) => s.waitReady(5000)));
    stores = [first, ...others];
  });
  afterEach(() => Promise.all(stores.map((s) => s.close())));

  const instances = () => stores.map((store) => createWechatApiClient({ settings: apiSettings(fake), store }));

  it('is fetched once for 20 concurrent callers across 3 client instances', async () => {
    const clients = instances();
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => clients[i % 3]!.accessToken()));
    expect(fake.tokenFetches()).toBe(1);
    expect(new Set(tokens).size).toBe(1);
  });

  it('is force-refreshed once when WeChat rejects it in every instance at once', async () => {
    const clients = instances();
    await Promise.all(clients.map((c) => c.accessToken()));
    fake.invalidateTokens();
    await Promise.all(Array.from({ length: 12 }, (_, i) => clients[i % 3]!.sendText(`o_follower_${i}`, 'hello')));
    expect(fake.tokenFetches()).toBe(2);
    expect(fake.requestsTo('/cgi-bin/stable_token').filter((r) => (r.body as { force_refresh?: boolean }).force_refresh)).toHaveLength(1);
    expect(fake.customMessages).toHaveLength(12);
  });
});
