import { startFakeWechat, TEST_APP_ID, TEST_APP_SECRET, type FakeWechatApi } from '../helpers/fake-wechat';

/** The fake answers as WeChat does, so that what passes against it has a chance against the real one. */
describe('the fake WeChat API', () => {
  let t = Date.UTC(2024, 3, 1);
  let fake: FakeWechatApi;
  const post = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(`${fake.url}${path}${token ? `?access_token=${token}` : ''}`, { method: 'POST', body: JSON.stringify(body) });
    return (await res.json()) as Record<string, unknown>;
  };
  const stable = (force = false) =>
    post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: TEST_APP_ID, secret: TEST_APP_SECRET, ...(force ? { force_refresh: true } : {}) });
  const send = (token: unknown) => post('/cgi-bin/message/custom/send', { touser: 'o_1', msgtype: 'text', text: { content: '你好' } }, String(token));

  beforeAll(async () => {
    fake = await startFakeWechat({ now: () => t });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('gives the same stable token until its last five minutes, then a new one', async () => {
    const first = await stable();
    expect(first).toMatchObject({ expires_in: 7200 });
    t += 6000_000;
    expect((await stable()).access_token).toBe(first.access_token);
    t += 900_000;
    expect((await stable()).access_token).not.toBe(first.access_token);
    expect(fake.tokenFetches()).toBe(3);
  });

  it('voids the old token on force_refresh', async () => {
    const old = await stable();
    const fresh = await stable(true);
    expect(await send(old.access_token)).toMatchObject({ errcode: 40001 });
    expect(await send(fresh.access_token)).toMatchObject({ errcode: 0 });
  });

  it('voids the previous token on every /cgi-bin/token fetch, as the legacy endpoint does', async () => {
    const get = async () => (await (await fetch(`${fake.url}/cgi-bin/token?grant_type=client_credential&appid=${TEST_APP_ID}&secret=${TEST_APP_SECRET}`)).json()) as Record<string, unknown>;
    const a = await get();
    const b = await get();
    expect(await send(a['access_token'])).toMatchObject({ errcode: 40001 });
    expect(await send(b['access_token'])).toMatchObject({ errcode: 0 });
  });

  it('refuses wrong credentials', async () => {
    expect(await post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: TEST_APP_ID, secret: 'nope' })).toMatchObject({ errcode: 40125 });
  });

  it('answers 42001 once a token has expired, 40001 for an unknown one', async () => {
    const { access_token } = await stable();
    expect(await send('made-up')).toMatchObject({ errcode: 40001 });
    t += 7200_000;
    expect(await send(access_token)).toMatchObject({ errcode: 42001 });
  });

  it('answers a chosen errcode as many times as asked, then normally', async () => {
    const { access_token } = await stable();
    fake.failNext('/cgi-bin/message/custom/send', 45015, 2);
    expect(await send(access_token)).toMatchObject({ errcode: 45015 });
    expect(await send(access_token)).toMatchObject({ errcode: 45015 });
    expect(await send(access_token)).toMatchObject({ errcode: 0 });
    expect(fake.customMessages).toEqual([{ touser: 'o_1', content: '你好' }]);
    expect(fake.requestsTo('/cgi-bin/message/custom/send')).toHaveLength(3);
  });

  it('keeps the published menu and tells customer-service listeners', async () => {
    const { access_token } = await stable();
    const heard: unknown[] = [];
    fake.onCustomMessage((m) => heard.push(m));
    expect(await post('/cgi-bin/menu/get', undefined, String(access_token))).toMatchObject({ errcode: 46003 });
    const menu = { button: [{ type: 'click', name: '常见问题', key: 'FAQ_TOPICS' }] };
    await post('/cgi-bin/menu/create', menu, String(access_token));
    expect(await post('/cgi-bin/menu/get', undefined, String(access_token))).toEqual({ menu });
    await send(access_token);
    expect(heard).toEqual([{ touser: 'o_1', content: '你好' }]);
  });
});
