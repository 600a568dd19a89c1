import { Writable } from 'node:stream';
import request from 'supertest';
import { createLogger } from '../../src/log';
import { WechatCrypto } from '../../src/wechat';
import { Clock, testApp, type TestApp } from '../helpers/app';
import {
  TEST_ACCOUNT, TEST_APP_ID, TEST_PREVIOUS_AES_KEY, TEST_TOKEN, buildVerifyQuery, openReply, openTestReply, signedImage, signedText, signedXml, textXml, verifyQuery,
} from '../helpers/push';

let t: TestApp;
beforeEach(async () => {
  // The protocol's replay window is measured against the clock the app is given.
  t = await testApp({ clock: new Clock(Date.now()) });
});
afterEach(() => t.close());

const post = (push: { query: Record<string, string>; body: string }) =>
  request(t.rt.app.callback()).post('/wechat').query(push.query).type('text/xml').send(push.body);
const nowS = () => Math.floor(t.clock.ms / 1000);

describe('URL verification', () => {
  it.each([301, -301])('refuses a correctly signed GET whose timestamp is %i seconds off', async (skew) => {
    const res = await request(t.rt.app.callback()).get('/wechat').query(verifyQuery('1234567890abc', nowS() + skew));
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('1234567890abc');
  });

  it('answers a correctly signed GET with the echostr, unchanged, as plain text', async () => {
    const res = await request(t.rt.app.callback()).get('/wechat').query(verifyQuery('1234567890abc'));
    expect(res.status).toBe(200);
    expect(res.text).toBe('1234567890abc');
  });

  it('refuses a GET signed with another token, without echoing the echostr', async () => {
    // WeChat (or whoever probes the URL) counts it verified when the body holds the echostr.
    const echostr = 'echo7f3a9c1d5b2e';
    const res = await request(t.rt.app.callback()).get('/wechat').query(buildVerifyQuery('wrongtoken', echostr));
    expect(res.status).toBe(401);
    expect(res.text).not.toContain(echostr);
  });
});

describe('a text push', () => {
  it('gets a reply WeChat accepts: addressed back, CreateTime in seconds, text in CDATA', async () => {
    const res = await post(signedText('opn_plain', '你好', { timestampSeconds: nowS() }));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/xml/);
    expect(res.text).toContain('<ToUserName><![CDATA[opn_plain]]></ToUserName>');
    expect(res.text).toContain(`<FromUserName><![CDATA[${TEST_ACCOUNT}]]></FromUserName>`);
    expect(res.text).toMatch(/<CreateTime>\d{10}<\/CreateTime>/);
    expect(res.text).toMatch(/<Content><!\[CDATA\[[^\]]+/);
  });

  it('is answered as UTF-8 XML with its length and the caller\'s request id; a refusal says its reason', async () => {
    const push = signedText('opn_hot', '你好', { timestampSeconds: nowS() });
    const res = await request(t.rt.app.callback()).post('/wechat').query(push.query).set('x-request-id', 'trace-42').type('text/xml').send(push.body);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    expect(res.headers['x-request-id']).toBe('trace-42');
    const refused = await request(t.rt.app.callback()).post('/wechat').query({ ...push.query, signature: 'x'.repeat(40) }).type('text/xml').send(push.body);
    expect([refused.status, refused.headers['content-type'], refused.text]).toEqual([401, 'text/plain; charset=utf-8', 'bad_signature']);
    expect(refused.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each(['compat', 'safe'] as const)('in %s mode gets an encrypted reply with a seconds timestamp', async (mode) => {
    const res = await post(signedText('opn_aes', '帮助', { mode, timestampSeconds: nowS() }));
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<TimeStamp>\d{10}<\/TimeStamp>/);
    expect(res.text).not.toContain('帮助');
    const fields = await openReply(res.text, { token: TEST_TOKEN, crypto: new WechatCrypto(TEST_APP_ID, [TEST_PREVIOUS_AES_KEY]).forAppId(TEST_APP_ID) }).catch(() => null);
    expect(fields).toBeNull(); // sealed with the current key, not the previous one
    const opened = await openReply(res.text, { token: TEST_TOKEN, crypto: new WechatCrypto(TEST_APP_ID, [(t.rt.config.wechat.aesKeys[0])!]) });
    expect(opened.ToUserName).toBe('opn_aes');
    expect(opened.Content).toContain('常见问题');
  });

  it('sealed with the previous EncodingAESKey is accepted and answered under that key', async () => {
    const res = await post(signedText('opn_rot', '帮助', { mode: 'safe', keyIndex: 1, timestampSeconds: nowS() }));
    expect(res.status).toBe(200);
    const opened = await openReply(res.text, { token: TEST_TOKEN, crypto: new WechatCrypto(TEST_APP_ID, [TEST_PREVIOUS_AES_KEY]) });
    expect(opened.Content).toContain('常见问题');
  });
});

describe('bad input is refused and changes nothing', () => {
  const stateOf = (openid: string) => t.store.get(t.rt.layout.follower(openid).state.key);

  it('a bad signature gets 401 and the message is not handled', async () => {
    const res = await post(signedText('opn_badsig', '认证', { token: 'othertoken', timestampSeconds: nowS() }));
    expect(res.status).toBe(401);
    expect(await stateOf('opn_badsig')).toBeNull();
  });

  it('a missing signature gets 401', async () => {
    const push = signedText('opn_nosig', '认证', { timestampSeconds: nowS() });
    const { signature: _, ...query } = push.query;
    expect((await post({ query, body: push.body })).status).toBe(401);
  });

  it.each([301, -301])('a timestamp %i seconds off is refused as a replay', async (skew) => {
    const res = await post(signedText('opn_stale', '认证', { timestampSeconds: nowS() + skew }));
    expect(res.status).toBe(401);
    expect(await stateOf('opn_stale')).toBeNull();
  });

  // Real pushes are a few hundred bytes; README promises 413 for a body over 64 KiB.
  const MAX_BODY = 64 * 1024;
  const paddedTo = (bytes: number, openid: string) => {
    const push = signedText(openid, '认证', { timestampSeconds: nowS() });
    return { query: push.query, body: push.body + ' '.repeat(bytes - Buffer.byteLength(push.body, 'utf8')) };
  };

  it('a body of one byte over 64 KiB gets 413 and is not handled', async () => {
    const res = await post(paddedTo(MAX_BODY + 1, 'opn_big'));
    expect(res.status).toBe(413);
    expect(await stateOf('opn_big')).toBeNull();
  });

  it('a body of exactly 64 KiB is still answered', async () => {
    const res = await post(paddedTo(MAX_BODY, 'opn_64k'));
    expect(res.status).toBe(200);
    expect(res.text).toContain('<ToUserName><![CDATA[opn_64k]]></ToUserName>');
  });

  it('malformed XML gets 400', async () => {
    const push = signedXml('opn_bad', '<xml><ToUserName>gh', { timestampSeconds: nowS() });
    expect((await post(push)).status).toBe(400);
  });

  it.each([
    ['content after the root element', (xml: string) => `${xml}<xml><MsgType>event</MsgType></xml>`],
    ['a control character', (xml: string) => xml.replace('认证', '认\u0007证')],
  ])('XML with %s gets 400 and changes nothing', async (_name, spoil) => {
    const xml = spoil(textXml({ to: TEST_ACCOUNT, from: 'opn_spoilt', content: '认证' }));
    const res = await post(signedXml('opn_spoilt', xml, { mode: 'safe', timestampSeconds: nowS() }));
    expect(res.status).toBe(400);
    expect(await stateOf('opn_spoilt')).toBeNull();
  });

  it('XML with a DOCTYPE or entity declarations is refused and never expanded', async () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><xml><ToUserName>${TEST_ACCOUNT}</ToUserName><FromUserName>opn_x</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&b;</Content><MsgId>1</MsgId></xml>`;
    const res = await post(signedXml('opn_x', bomb, { timestampSeconds: nowS() }));
    expect(res.status).toBe(400);
    expect(res.text).not.toContain('aaaa');
  });

  it('an encrypted push for another appid gets 401', async () => {
    const res = await post(signedText('opn_other', '认证', { mode: 'safe', appId: 'wxsomeoneelse00000', timestampSeconds: nowS() }));
    expect(res.status).toBe(401);
    expect(await stateOf('opn_other')).toBeNull();
  });

  it('never shows a stack trace', async () => {
    const res = await post({ query: { signature: 'x', timestamp: 'y', nonce: 'z' }, body: '<xml/>' });
    expect(res.status).toBe(401);
    expect(res.text).not.toMatch(/at .*\.ts|Error:/);
  });
});

describe('message types', () => {
  it('answers an image kindly with what the account understands', async () => {
    const res = await post(signedImage('opn_img', { timestampSeconds: nowS() }));
    const fields = await openReply(res.text, { token: TEST_TOKEN, crypto: null });
    expect(fields.Content).toContain('文字和语音');
  });

  it('answers a message type WeChat adds later, not with an error', async () => {
    const xml = textXml({ to: TEST_ACCOUNT, from: 'opn_new', content: 'x' }).replace('<MsgType><![CDATA[text]]></MsgType>', '<MsgType><![CDATA[miniprogrampage]]></MsgType>');
    const res = await post(signedXml('opn_new', xml, { timestampSeconds: nowS() }));
    expect(res.status).toBe(200);
    expect((await openReply(res.text, { token: TEST_TOKEN, crypto: null })).Content).toContain('文字和语音');
  });
});

describe('pushes other SDKs send without MsgId', () => {
  it('get an answer, not a 400, and their retry the same answer', async () => {
    const xml = `<xml><ToUserName><![CDATA[${TEST_ACCOUNT}]]></ToUserName><FromUserName><![CDATA[opn_noid]]></FromUserName><CreateTime>${nowS()}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[帮助]]></Content></xml>`;
    const push = signedXml('opn_noid', xml, { mode: 'safe', timestampSeconds: nowS() });
    const first = await post(push);
    expect(first.status).toBe(200);
    const content = (await openTestReply(first.text)).Content;
    expect(content).toContain('常见问题');
    expect((await openTestReply((await post(push)).text)).Content).toBe(content);
  });
});

describe('routes match exactly', () => {
  it.each([
    ['GET', '/WECHAT'], ['GET', '/wechat/'], ['POST', '/Wechat'], ['POST', '/wechat/'],
    ['GET', '/HEALTHZ'], ['GET', '/healthz/'], ['GET', '/metrics'], ['GET', '/METRICS'], ['GET', '/metrics/'],
  ])('%s %s is not found', async (method, path) => {
    const push = signedText('opn_route', '认证', { timestampSeconds: nowS() });
    const api = request(t.rt.app.callback());
    const res = method === 'GET' ? await api.get(path).query(verifyQuery('e')) : await api.post(path).query(push.query).type('text/xml').send(push.body);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('wechat_pushes_total');
    expect(await t.store.get(t.rt.layout.follower('opn_route').state.key)).toBeNull();
  });
});

describe('refused requests', () => {
  it('are counted but not logged at info level, so a flood does not flood the logs', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const clock = new Clock(Date.now());
    const quiet = await testApp({ clock, overrides: { logger: createLogger('info', sink) } });
    const before = lines.length;
    for (let i = 0; i < 5; i++) {
      const forged = signedText('opn_flood', '认证', { token: 'wrongtoken', timestampSeconds: Math.floor(clock.ms / 1000) });
      expect((await request(quiet.rt.app.callback()).post('/wechat').query(forged.query).type('text/xml').send(forged.body)).status).toBe(401);
    }
    expect(lines.slice(before)).toEqual([]);
    expect(await quiet.rt.metrics.registry.metrics()).toMatch(/wechat_errors_total\{reason="bad_signature"\} 5/);
    await quiet.close();
  });
});
