import { createMemoryStore } from '../../src/store';
import type { Store } from '../../src/store';
import { createTokenManager, createWechatApiClient, tokenKey, WechatTokenError } from '../../src/wechat-api';
import { apiSettings, recordingLogger, startFakeWechat, TEST_APP_ID, TEST_APP_SECRET, type FakeWechatApi } from '../helpers/fake-wechat';

describe('the shared access token', () => {
  let fake: FakeWechatApi;
  let store: Store;

  beforeAll(async () => {
    fake = await startFakeWechat();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    store = createMemoryStore();
  });

  it('is fetched once for 20 concurrent callers across 3 client instances', async () => {
    const clients = [0, 1, 2].map(() => createWechatApiClient({ settings: apiSettings(fake), store }));
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => clients[i % 3]!.accessToken()));
    expect(fake.tokenFetches()).toBe(1);
    expect(new Set(tokens).size).toBe(1);
  });

  it('is kept in the store for other instances, not fetched again', async () => {
    const first = await createWechatApiClient({ settings: apiSettings(fake), store }).accessToken();
    const second = await createWechatApiClient({ settings: apiSettings(fake), store }).accessToken();
    expect(second).toBe(first);
    expect(fake.tokenFetches()).toBe(1);
    expect(JSON.parse((await store.get(tokenKey(TEST_APP_ID)))!)).toMatchObject({ token: first });
  });

  it('comes from stable_token, without force_refresh', async () => {
    await createWechatApiClient({ settings: apiSettings(fake), store }).accessToken();
    const [fetch] = fake.requestsTo('/cgi-bin/stable_token');
    expect(fetch?.body).toEqual({ grant_type: 'client_credential', appid: TEST_APP_ID, secret: TEST_APP_SECRET });
  });

  it('comes from /cgi-bin/token in legacy mode', async () => {
    await createWechatApiClient({ settings: apiSettings(fake, { tokenMode: 'legacy' }), store }).accessToken();
    expect(fake.requestsTo('/cgi-bin/token')).toHaveLength(1);
    expect(fake.requestsTo('/cgi-bin/stable_token')).toHaveLength(0);
  });

  describe('with a clock', () => {
    let t: number;
    const now = () => t;
    beforeEach(() => {
      t = Date.UTC(2024, 3, 1);
      store = createMemoryStore({ now });
    });

    it('is refreshed five minutes before it expires, without force_refresh', async () => {
      const clock = await startFakeWechat({ now });
      try {
        const client = createWechatApiClient({ settings: apiSettings(clock), store, now });
        const first = await client.accessToken();
        t += (7200 - 301) * 1000;
        expect(await client.accessToken()).toBe(first);
        expect(clock.tokenFetches()).toBe(1);
        t += 2000;
        const second = await client.accessToken();
        expect(second).not.toBe(first);
        expect(clock.tokenFetches()).toBe(2);
        expect(clock.requestsTo('/cgi-bin/stable_token').map((r) => (r.body as { force_refresh?: boolean }).force_refresh)).toEqual([undefined, undefined]);
      } finally {
        await clock.close();
      }
    });

    it('is refreshed at the configured margin', async () => {
      const client = createWechatApiClient({ settings: apiSettings(fake), store, now, refreshAheadMs: 60 * 60_000 });
      await client.accessToken();
      t += 3599 * 1000;
      await client.accessToken();
      expect(fake.tokenFetches()).toBe(1);
      t += 2000;
      await client.accessToken();
      expect(fake.tokenFetches()).toBe(2);
    });
  });

  it('is fetched by a waiting instance once a dead holder’s lock expires', async () => {
    await store.set(`${tokenKey(TEST_APP_ID)}:lock`, 'an instance that died', 300);
    const tokens = createTokenManager({ store, settings: apiSettings(fake), pollMs: 20 });
    await expect(tokens.get()).resolves.toMatch(/^FAKE_/);
    expect(fake.tokenFetches()).toBe(1);
  });

  it('gives up with a typed error when the lock is never released', async () => {
    await store.set(`${tokenKey(TEST_APP_ID)}:lock`, 'a stuck instance');
    const tokens = createTokenManager({ store, settings: apiSettings(fake, { apiTimeoutMs: 200 }), lockTtlMs: 200, pollMs: 20 });
    await expect(tokens.get()).rejects.toBeInstanceOf(WechatTokenError);
    expect(fake.tokenFetches()).toBe(0);
  });

  it('never writes the secret or a token to the log', async () => {
    const { logger, text } = recordingLogger();
    const client = createWechatApiClient({ settings: apiSettings(fake), store, logger });
    const token = await client.accessToken();
    fake.invalidateTokens();
    await client.sendText('openid-1', 'hello');
    fake.failNext('/cgi-bin/message/custom/send', 40001, 2);
    await client.sendText('openid-1', 'hello').catch(() => undefined);
    expect(logger.info).toHaveBeenCalled();
    expect(text()).not.toContain(TEST_APP_SECRET);
    expect(text()).not.toContain(token);
    expect(text()).not.toMatch(/FAKE_/);
  });
});
