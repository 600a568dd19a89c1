import { Writable } from 'node:stream';
import request from 'supertest';
import { createLogger } from '../../src/log';
import { Clock, testApp, type TestApp } from '../helpers/app';
import { person, toConfirm } from '../helpers/certify';
import { TEST_ACCOUNT, TEST_TOKEN, openReply, openTestReply, signedText, textXml } from '../helpers/push';

/**
 * A push's signature covers token, timestamp and nonce — never the body. Once the account has an
 * EncodingAESKey, WeChat encrypts every push and only msg_signature-checked bodies are read.
 */
describe('an account with an EncodingAESKey (the default: plaintext refused)', () => {
  let strict: TestApp;
  beforeEach(async () => {
    strict = await testApp({ clock: new Clock(Date.now()), env: { WECHAT_ALLOW_PLAINTEXT: '' } });
  });
  afterEach(() => strict.close());
  const call = (p: { query: Record<string, string>; body: string }) => request(strict.rt.app.callback()).post('/wechat').query(p.query).type('text/xml').send(p.body);
  const ts = () => Math.floor(strict.clock.ms / 1000);

  it('refuses a captured push query reused with a forged plaintext body, and the victim’s dialogue does not move', async () => {
    // The victim, in safe mode as WeChat sends it, has reached the confirmation step.
    const victim = strict.follower('opn_victim');
    const replies = await toConfirm(victim, person());
    expect(replies.at(-1)).toContain('请核对信息');
    // A stranger read one of the victim's push URLs (a proxy's access log holds them, openid= and
    // all), dropped encrypt_type and msg_signature, and sends "1" — confirm — as the victim.
    const captured = signedText('opn_victim', '1', { mode: 'safe', timestampSeconds: ts() }).query;
    const { encrypt_type: _e, msg_signature: _m, ...reused } = captured;
    const forged = textXml({ to: TEST_ACCOUNT, from: 'opn_victim', content: '1', createTime: ts(), msgId: '66600001' });
    const stateBefore = await strict.store.get(strict.rt.layout.follower('opn_victim').state.key);
    const res = await call({ query: reused, body: forged });
    expect(res.status).toBe(401);
    expect(res.text).toBe('plaintext_refused');
    expect(res.text).not.toContain('face-check');
    expect(await strict.store.get(strict.rt.layout.follower('opn_victim').state.key)).toBe(stateBefore);
    expect(strict.notifier.sent).toEqual([]);
    // The victim is still asked to confirm, and confirming gets the link.
    expect(await victim.say('1')).toContain('/face-check/');
  });

  it.each(['compat', 'safe'] as const)('answers a %s-mode push', async (mode) => {
    const res = await call(signedText('opn_enc', '帮助', { mode, timestampSeconds: ts() }));
    expect(res.status).toBe(200);
    expect((await openTestReply(res.text)).Content).toContain('常见问题');
  });

  it('refuses a plaintext push with a fresh query of its own too: no plaintext body is signed', async () => {
    const res = await call(signedText('opn_plain2', '认证', { timestampSeconds: ts() }));
    expect(res.status).toBe(401);
    expect(await strict.store.get(strict.rt.layout.follower('opn_plain2').state.key)).toBeNull();
  });
});

describe('plaintext pushes are answered', () => {
  it('with WECHAT_ALLOW_PLAINTEXT=true (a switch-over), which start-up warns about', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const clock = new Clock(Date.now());
    const lenient = await testApp({ clock, env: { WECHAT_ALLOW_PLAINTEXT: 'true' }, overrides: { logger: createLogger('info', sink) } });
    expect(lines.join('')).toMatch(/"level":"warn".*WECHAT_ALLOW_PLAINTEXT=true/);
    const push = signedText('opn_switch', '帮助', { timestampSeconds: Math.floor(clock.ms / 1000) });
    const res = await request(lenient.rt.app.callback()).post('/wechat').query(push.query).type('text/xml').send(push.body);
    expect((await openReply(res.text, { token: TEST_TOKEN, crypto: null })).Content).toContain('常见问题');
    await lenient.close();
  });

  it('by an account with no EncodingAESKey (plaintext mode), without a warning', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const clock = new Clock(Date.now());
    const plain = await testApp({ clock, env: { WECHAT_ENCODING_AES_KEY: '', WECHAT_ENCODING_AES_KEY_PREVIOUS: '', WECHAT_ALLOW_PLAINTEXT: '' }, overrides: { logger: createLogger('info', sink) } });
    expect(lines.join('')).not.toContain('WECHAT_ALLOW_PLAINTEXT');
    expect(await plain.follower().say('帮助')).toContain('常见问题');
    await plain.close();
  });
});
