import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compose, type Runtime } from '../../src/compose';
import { chinaDate } from '../../src/calendar';
import { createChatSession, runLine, type ChatSession } from '../../src/dev/chat';
import { createLogger } from '../../src/log';
import { loadMenu } from '../../src/menu';
import { testConfig } from '../helpers/config';
import { startFakeWechatApi, type FakeWechatApi } from '../helpers/fake-wechat';
import { TEST_TOKEN as TOKEN, testCrypto } from '../helpers/push';

const year = chinaDate(Date.now()).slice(0, 4);

/** The real app on a loopback port, its WeChat API played by the fake, driven through the simulator. */
async function startApp(fake: FakeWechatApi): Promise<{ runtime: Runtime; server: Server; url: string }> {
  const config = testConfig({ WECHAT_API_BASE: fake.url, CERT_WINDOW_START: `${year}-01-01`, CERT_WINDOW_END: `${year}-12-31` });
  const runtime = await compose(config, { logger: createLogger('silent') });
  const server = runtime.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { runtime, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('npm run chat against the app', () => {
  let fake: FakeWechatApi;
  let app: Awaited<ReturnType<typeof startApp>>;
  let session: ChatSession;
  let printed: string[];
  const text = (lines: string[]) => lines.join('\n');

  beforeAll(async () => {
    fake = await startFakeWechatApi();
    fake.onCustomMessage((m) => printed.push(...(session.customerService(m) ?? [])));
  });
  afterAll(() => fake.close());
  afterEach(async () => {
    await new Promise((resolve) => app.server.close(resolve));
    await app.runtime.close();
  });
  beforeEach(() => {
    fake.reset();
    printed = [];
  });

  it('taps 社保服务 → 待遇资格认证, reads the notice, and answers with a typed message', async () => {
    app = await startApp(fake);
    session = createChatSession({ url: `${app.url}/wechat`, token: TOKEN, menu: loadMenu() });
    expect(text(await session.tap(1))).toContain('社保服务 ▸ [/1.1 待遇资格认证]');
    const afterTap = text(await session.tap(1));
    expect(afterTap).toContain('你 › 点击菜单「社保服务 › 待遇资格认证」');
    expect(afterTap).toContain('公众号 › 【办理须知】');
    const afterSay = text((await runLine(session, '1')).lines);
    expect(afterSay).toContain('你 › 1');
    expect(afterSay).toContain('请选择认证类别');
    expect(afterSay).not.toMatch(/^!/m);
  });

  it('talks to a server in safe mode', async () => {
    app = await startApp(fake);
    session = createChatSession({ url: `${app.url}/wechat`, token: TOKEN, menu: loadMenu(), mode: 'safe', crypto: testCrypto() });
    const lines = await runLine(session, '/1.1');
    expect(text(lines.lines)).toContain('公众号 › 【办理须知】');
    expect(text(lines.lines)).not.toMatch(/^!/m);
  });

  it('shows the face-check result the server sends as a customer-service message', async () => {
    app = await startApp(fake);
    session = createChatSession({ url: `${app.url}/wechat`, token: TOKEN, menu: loadMenu() });
    let last: string[] = [];
    for (const line of ['/1.1', '1', '1', '11010519491231002X', '王秀英', '13912345678', '1']) last = (await runLine(session, line)).lines;
    const link = /\/face-check\/[A-Za-z0-9_-]+/.exec(text(last))?.[0];
    expect(link).toBeDefined();
    const done = await fetch(`${app.url}${link}/complete`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ result: 'pass' }) });
    expect(done.status).toBe(200);
    // The callback answers once the record is safe; the message follows on its own.
    for (let i = 0; i < 100 && printed.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(text(printed)).toMatch(/^公众号 \[客服消息\] › 认证成功/);
    expect(fake.tokenFetches()).toBe(1);
  });
});
