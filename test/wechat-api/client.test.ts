import { createMemoryStore } from '../../src/store';
import { createWechatApiClient, WechatApiError, WechatTransportError, type MenuBody, type WechatApiClient } from '../../src/wechat-api';
import { apiSettings, closedPort, startFakeWechat, TEST_APP_SECRET, type FakeWechatApi } from '../helpers/fake-wechat';

const SEND = '/cgi-bin/message/custom/send';
const MENU: MenuBody = { button: [{ name: '社保服务', sub_button: [{ type: 'click', name: '待遇资格认证', key: 'CERT_START' }] }] };

describe('the WeChat API client', () => {
  let fake: FakeWechatApi;
  let client: WechatApiClient;

  beforeAll(async () => {
    fake = await startFakeWechat();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    client = createWechatApiClient({ settings: apiSettings(fake), store: createMemoryStore() });
  });

  it('sends a customer-service text message as WeChat expects it', async () => {
    await client.sendText('o_follower', '认证已通过');
    expect(fake.requestsTo(SEND).map((r) => r.body)).toEqual([{ touser: 'o_follower', msgtype: 'text', text: { content: '认证已通过' } }]);
    expect(fake.customMessages).toEqual([{ touser: 'o_follower', content: '认证已通过' }]);
  });

  it('answers a 40001 with one forced refresh and one retry', async () => {
    await client.accessToken();
    fake.invalidateTokens();
    await client.sendText('o_follower', 'hello');
    expect(fake.tokenFetches()).toBe(2);
    expect(fake.requestsTo('/cgi-bin/stable_token')[1]?.body).toMatchObject({ force_refresh: true });
    expect(fake.requestsTo(SEND)).toHaveLength(2);
    expect(fake.customMessages).toHaveLength(1);
  });

  it('answers a 42001 (expired) the same way', async () => {
    await client.accessToken();
    fake.expireTokens();
    await client.sendText('o_follower', 'hello');
    expect(fake.tokenFetches()).toBe(2);
    expect(fake.customMessages).toHaveLength(1);
  });

  it('throws a second rejection instead of looping', async () => {
    fake.failNext(SEND, 40001, 10);
    await expect(client.sendText('o_follower', 'hello')).rejects.toMatchObject({ name: 'WechatApiError', errcode: 40001 });
    expect(fake.tokenFetches()).toBe(2);
    expect(fake.requestsTo(SEND)).toHaveLength(2);
  });

  it('throws other errcodes at once, typed, with errcode and errmsg', async () => {
    fake.failNext('/cgi-bin/menu/create', 40018, 1, 'invalid button name size');
    const err: unknown = await client.createMenu(MENU).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WechatApiError);
    expect(err).toMatchObject({ api: '/cgi-bin/menu/create', errcode: 40018, errmsg: 'invalid button name size' });
    expect(fake.requestsTo('/cgi-bin/menu/create')).toHaveLength(1);
    expect(fake.tokenFetches()).toBe(1);
  });

  it('reports a token endpoint refusal without the secret in the message', async () => {
    const legacy = createWechatApiClient({ settings: apiSettings(fake, { tokenMode: 'legacy', appSecret: 'wrong-secret' }), store: createMemoryStore() });
    const err: unknown = await legacy.accessToken().catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'WechatApiError', errcode: 40125 });
    expect(String((err as Error).message)).not.toContain('wrong-secret');
    expect(String((err as Error).message)).not.toContain(TEST_APP_SECRET);
  });

  it('gives up on a slow WeChat after the request timeout', async () => {
    const impatient = createWechatApiClient({ settings: apiSettings(fake, { apiTimeoutMs: 150 }), store: createMemoryStore() });
    fake.setDelay(1000);
    const started = Date.now();
    const err: unknown = await impatient.accessToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WechatTransportError);
    expect(err).toMatchObject({ failure: 'timeout' });
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('reports an unreachable WeChat as a transport error', async () => {
    const nowhere = createWechatApiClient({ settings: { ...apiSettings(fake), apiBase: `http://127.0.0.1:${await closedPort()}` }, store: createMemoryStore() });
    await expect(nowhere.accessToken()).rejects.toMatchObject({ name: 'WechatTransportError', failure: 'network' });
  });

  it('creates, reads and deletes the menu', async () => {
    expect(await client.getMenu()).toBeNull();
    await client.createMenu(MENU);
    expect(fake.requestsTo('/cgi-bin/menu/create')[0]?.body).toEqual(MENU);
    expect(await client.getMenu()).toEqual(MENU);
    await client.deleteMenu();
    expect(await client.getMenu()).toBeNull();
    expect(fake.tokenFetches()).toBe(1);
  });
});
