import { chatSetup, faceIdServerCommand } from '../../scripts/chat';
import { loadMenu } from '../../src/menu';

const AES_KEY = 'ChatSimulatorAESKey0123456789abcdefghijklmn';

describe('npm run chat flags', () => {
  it('defaults to the server that npm start runs with development settings', () => {
    const { session, apiPort } = chatSetup([], {});
    expect(session).toMatchObject({ url: 'http://localhost:3000/wechat', token: 'devtoken', menu: loadMenu() });
    expect(session.mode).toBeUndefined();
    expect(apiPort).toBe(3001);
  });

  it('follows WECHAT_TOKEN and PORT from the environment, as the server would', () => {
    expect(chatSetup([], { WECHAT_TOKEN: 'mytoken', PORT: '4000' }).session).toMatchObject({ url: 'http://localhost:4000/wechat', token: 'mytoken' });
  });

  it('takes a URL, a token and an API port', () => {
    const { session, apiPort } = chatSetup(['--url', 'http://10.0.0.5:8080/wx/push', '--token', 'abc123', '--api-port', '0'], {});
    expect(session).toMatchObject({ url: 'http://10.0.0.5:8080/wx/push', token: 'abc123' });
    expect(apiPort).toBe(0);
  });

  it('switches to safe mode with --aes-key, sealing for --app-id', () => {
    const { session } = chatSetup(['--aes-key', AES_KEY, '--app-id', 'wxabc'], {});
    expect(session.mode).toBe('safe');
    expect(session.crypto?.appId).toBe('wxabc');
    expect(chatSetup(['--aes-key', AES_KEY, '--compat'], {}).session.mode).toBe('compat');
  });

  it('refuses an unknown flag or a bad port', () => {
    expect(() => chatSetup(['--bogus'], {})).toThrow(/bogus/);
    expect(() => chatSetup(['--api-port', 'x'], {})).toThrow(/--api-port/);
  });

  it('plays FaceID only with --faceid, on 3002 by default, and prints a server command without secrets of one’s own', () => {
    expect(chatSetup([], {}).faceId).toBeNull();
    const dev = chatSetup(['--faceid'], {}).faceId!;
    expect(dev.port).toBe(3002);
    expect(faceIdServerCommand(dev)).toContain('FACE_CHECK_PROVIDER=tencent FACEID_ENDPOINT=http://127.0.0.1:3002');
    expect(faceIdServerCommand(dev)).toContain(`TENCENTCLOUD_SECRET_KEY=${dev.secretKey}`);
    const own = chatSetup(['--faceid', '--faceid-port', '4002'], { TENCENTCLOUD_SECRET_ID: 'AKIDmine', TENCENTCLOUD_SECRET_KEY: 'my-real-key', FACEID_RULE_ID: '9' }).faceId!;
    expect(own).toEqual({ port: 4002, secretId: 'AKIDmine', secretKey: 'my-real-key', ruleId: '9' });
    expect(faceIdServerCommand(own)).not.toMatch(/my-real-key|AKIDmine/);
    expect(() => chatSetup(['--faceid', '--faceid-port', '0'], {})).toThrow(/--faceid-port/);
  });
});
