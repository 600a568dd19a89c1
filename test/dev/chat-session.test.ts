import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createChatSession, runLine, type ChatOptions } from '../../src/dev/chat';
import { loadMenu } from '../../src/menu';
import { openPush, sealReply, type InboundMessage, type Reply } from '../../src/wechat';
import { closedPort } from '../helpers/fake-wechat';
import { TEST_ACCOUNT, TEST_TOKEN, testCrypto } from '../helpers/push';

/** A tiny server that checks pushes as the real one does and says back what it understood. */
function understood(m: InboundMessage): Reply {
  if (m.msgType === 'text' && m.content === 'boom') throw new Error('boom');
  if (m.msgType === 'text' && m.content === 'quiet') return { kind: 'none' };
  if (m.msgType === 'text') return { kind: 'text', content: `收到文字：${m.content}` };
  if (m.msgType === 'voice') return { kind: 'text', content: `收到语音：${m.recognition ?? '(无识别)'}` };
  if (m.msgType === 'event' && m.event === 'CLICK') return { kind: 'text', content: `收到点击：${m.eventKey}${m.eventKey === 'CERT_START' ? '\n第二行' : ''}` };
  return { kind: 'text', content: `收到：${m.msgType}` };
}

describe('the chat simulator session', () => {
  let server: Server;
  let url: string;
  const session = (o: Partial<ChatOptions> = {}) => createChatSession({ url, token: TEST_TOKEN, menu: loadMenu(), account: TEST_ACCOUNT, openid: 'o_tester', ...o });

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const query = Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams);
        const nowSeconds = Math.floor(Date.now() / 1000);
        // Plaintext and safe-mode sessions both talk to it: an account mid switch-over.
        openPush({ query, body, token: TEST_TOKEN, crypto: testCrypto(), nowSeconds, allowPlaintext: true })
          .then(({ message, envelope }) => res.end(sealReply(understood(message), message, envelope, { token: TEST_TOKEN, crypto: testCrypto(), nowSeconds })))
          .catch((err: Error) => res.writeHead(err.name === 'ProtocolError' ? 401 : 500).end());
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wechat`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('shows the menu as numbered buttons, opening a sub-menu without sending anything', async () => {
    const s = session();
    expect(s.menuLines()).toEqual(['菜单 menu: [1 社保服务 ▸]  [2 常见问题]  [3 咨询帮助 ▸]']);
    expect(await s.tap(1)).toEqual(['菜单 menu: [1 社保服务 ▸]  [2 常见问题]  [3 咨询帮助 ▸]', '  社保服务 ▸ [1 待遇资格认证]  [2 办理须知]   [0 收起 close]']);
  });

  it('sends the click of 社保服务 → 待遇资格认证 and prints the reply as a bubble', async () => {
    const s = session();
    await s.tap(1);
    expect(await s.tap(1)).toEqual(['你 › 点击菜单「社保服务 › 待遇资格认证」', '公众号 › 收到点击：CERT_START', '         第二行']);
  });

  it('taps a top-level click button at once', async () => {
    expect((await session().tap(2)).slice(-1)).toEqual(['公众号 › 收到点击：FAQ_TOPICS']);
  });

  it('sends typed lines as text and /voice as a voice message with recognised text', async () => {
    const s = session();
    expect(await runLine(s, '1')).toEqual({ lines: ['你 › 1', '公众号 › 收到文字：1'], quit: false });
    expect((await runLine(s, '/voice 我要认证')).lines).toEqual(['你 › [语音 voice] 「我要认证」', '公众号 › 收到语音：我要认证']);
    expect((await runLine(s, '/voice')).lines.slice(-1)).toEqual(['公众号 › 收到语音：(无识别)']);
  });

  it('taps through a path typed as /1.1 or /3 2', async () => {
    const s = session();
    expect((await runLine(s, '/1.1')).lines.slice(-2)).toEqual(['公众号 › 收到点击：CERT_START', '         第二行']);
    expect((await runLine(s, '/3 2')).lines.slice(-1)).toEqual(['公众号 › 收到点击：CARE_GUIDE']);
    expect((await runLine(s, '/9')).lines[0]).toMatch(/^! 菜单只有 3 个按钮/);
  });

  it('talks in safe mode, sealing pushes and opening encrypted replies', async () => {
    const s = session({ mode: 'safe', crypto: testCrypto() });
    expect(await s.say('你好')).toEqual(['你 › 你好', '公众号 › 收到文字：你好']);
  });

  it('shows what a follower would see when the server fails or says nothing', async () => {
    const s = session();
    expect(await s.say('quiet')).toEqual(['你 › quiet', '公众号 › (没有回复 no reply)']);
    expect(await s.say('boom')).toEqual(['你 › boom', '! the server answered HTTP 500', '公众号 › 该公众号暂时无法提供服务，请稍后再试  (WeChat\'s own message)']);
    expect((await session({ token: 'wrongtoken' }).say('hi'))[1]).toBe('! the server answered HTTP 401');
    expect((await session({ url: `http://127.0.0.1:${await closedPort()}/wechat` }).say('hi'))[1]).toMatch(/^! nothing listens at/);
  });

  it('shows only this follower’s customer-service messages', () => {
    const s = session();
    expect(s.customerService({ touser: 'o_tester', content: '认证成功' })).toEqual(['公众号 [客服消息] › 认证成功']);
    expect(s.customerService({ touser: 'o_someone_else', content: '认证成功' })).toBeNull();
  });

  it('quits on /quit and explains unknown commands', async () => {
    expect(await runLine(session(), '/quit')).toEqual({ lines: [], quit: true });
    expect((await runLine(session(), '/frobnicate')).lines[0]).toBe('! unknown command /frobnicate');
  });
});
