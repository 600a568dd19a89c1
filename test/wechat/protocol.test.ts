import { ProtocolError, WechatCrypto, openPush, parseXmlFields, sealReply, verifyUrl, type OpenPushInput } from '../../src/wechat';
import {
  TEST_ACCOUNT,
  TEST_AES_KEY,
  TEST_APP_ID,
  TEST_PREVIOUS_AES_KEY,
  TEST_TOKEN,
  openReply,
  openTestReply,
  signedEvent,
  signedText,
  signedVoice,
  testCrypto,
  verifyQuery,
  type TestPushOptions,
} from '../helpers/push';

const NOW = 1_700_000_000;
const at = (options: TestPushOptions = {}): TestPushOptions => ({ timestampSeconds: NOW, createTime: NOW - 1, msgId: '7001', ...options });
const open = (push: { query: Record<string, string>; body: string }, extra: Partial<OpenPushInput> = {}) =>
  openPush({ ...push, token: TEST_TOKEN, crypto: testCrypto(), nowSeconds: NOW, ...extra });
const hello = { msgType: 'text', toUserName: TEST_ACCOUNT, fromUserName: 'opn_1', createTime: NOW - 1, msgId: '7001', content: '你好' };

describe('verifyUrl', () => {
  it('answers the echostr unchanged when the signature matches', () => {
    expect(verifyUrl(verifyQuery('echo 123'), TEST_TOKEN)).toBe('echo 123');
  });

  it('refuses a query signed with another token, or with no signature', () => {
    expect(() => verifyUrl(verifyQuery('e'), 'othertoken')).toThrow(expect.objectContaining({ reason: 'bad_signature', status: 401 }));
    const { signature: _dropped, ...unsigned } = verifyQuery('e');
    expect(() => verifyUrl(unsigned, TEST_TOKEN)).toThrow(ProtocolError);
  });

  it('refuses a repeated signature parameter', () => {
    const query = verifyQuery('e');
    expect(() => verifyUrl({ ...query, signature: [query.signature ?? '', 'x'] }, TEST_TOKEN)).toThrow(expect.objectContaining({ reason: 'bad_signature' }));
  });
});

describe('openPush', () => {
  it('opens a plaintext push', async () => {
    expect(await open(signedText('opn_1', '你好', at()))).toEqual({ message: hello, envelope: { mode: 'plain' } });
  });

  it('treats encrypt_type=raw as plaintext', async () => {
    const push = signedText('opn_1', '你好', at());
    expect((await open({ ...push, query: { ...push.query, encrypt_type: 'raw' } })).envelope).toEqual({ mode: 'plain' });
  });

  it('opens a safe-mode push', async () => {
    expect(await open(signedText('opn_1', '你好', at({ mode: 'safe' })))).toEqual({ message: hello, envelope: { mode: 'aes', keyIndex: 0 } });
  });

  it('opens a compatible-mode push and trusts only its decrypted fields', async () => {
    const push = signedText('opn_1', '你好', at({ mode: 'compat' }));
    const forged = push.body.replace('<![CDATA[你好]]>', '<![CDATA[forged]]>').replace('<![CDATA[opn_1]]>', '<![CDATA[opn_evil]]>');
    expect(forged).not.toBe(push.body);
    expect(await open({ ...push, body: forged })).toEqual({ message: hello, envelope: { mode: 'aes', keyIndex: 0 } });
  });

  it('opens a voice push with and without Recognition, and an event push', async () => {
    expect((await open(signedVoice('opn_1', '查询进度', at({ mode: 'safe' })))).message).toMatchObject({ msgType: 'voice', recognition: '查询进度' });
    expect((await open(signedVoice('opn_1', undefined, at()))).message).not.toHaveProperty('recognition');
    expect((await open(signedEvent('opn_1', 'CLICK', 'CERT_START', at({ mode: 'safe' })))).message).toMatchObject({ event: 'CLICK', eventKey: 'CERT_START' });
  });

  it.each([-301, 301])('refuses a timestamp %i seconds from now as stale', async (skew) => {
    await expect(open(signedText('opn_1', 'x', at({ timestampSeconds: NOW + skew })))).rejects.toMatchObject({ reason: 'stale_timestamp', status: 401 });
  });

  it.each([-299, 299, -300, 300])('accepts a timestamp %i seconds from now', async (skew) => {
    await expect(open(signedText('opn_1', 'x', at({ timestampSeconds: NOW + skew })))).resolves.toMatchObject({ message: { content: 'x' } });
  });

  it('refuses a timestamp that is not a number', async () => {
    const push = signedText('opn_1', 'x', at());
    await expect(open({ ...push, query: { ...push.query, timestamp: 'soon' } })).rejects.toMatchObject({ status: 401 });
  });

  it.each(['plain', 'compat', 'safe'] as const)('refuses a %s push signed with another token', async (mode) => {
    await expect(open(signedText('opn_1', 'x', at({ mode, token: 'wrongtoken' })))).rejects.toMatchObject({ reason: 'bad_signature', status: 401 });
  });

  it('refuses an encrypted push whose msg_signature does not cover its Encrypt', async () => {
    const push = signedText('opn_1', 'x', at({ mode: 'safe' }));
    const other = signedText('opn_1', 'y', at({ mode: 'safe', nonce: push.query.nonce ?? '' }));
    await expect(open({ ...push, body: other.body })).rejects.toMatchObject({ reason: 'bad_msg_signature', status: 401 });
    await expect(open({ ...push, query: { ...push.query, msg_signature: '0'.repeat(40) } })).rejects.toMatchObject({ reason: 'bad_msg_signature' });
    const { msg_signature: _dropped, ...unsigned } = push.query;
    await expect(open({ ...push, query: unsigned })).rejects.toMatchObject({ reason: 'bad_msg_signature' });
  });

  it('refuses a push sealed for another appid', async () => {
    await expect(open(signedText('opn_1', 'x', at({ mode: 'safe', appId: 'wxanotheraccount00' })))).rejects.toMatchObject({ reason: 'appid_mismatch', status: 401 });
  });

  it('refuses an encrypted push when no AES key is configured, and an unknown encrypt_type', async () => {
    await expect(open(signedText('opn_1', 'x', at({ mode: 'safe' })), { crypto: null })).rejects.toMatchObject({ reason: 'aes_not_configured', status: 400 });
    const push = signedText('opn_1', 'x', at());
    await expect(open({ ...push, query: { ...push.query, encrypt_type: 'sm4' } })).rejects.toMatchObject({ status: 400 });
  });

  it('refuses an encrypted push with no Encrypt element', async () => {
    const push = signedText('opn_1', 'x', at({ mode: 'safe' }));
    await expect(open({ ...push, body: `<xml><ToUserName><![CDATA[${TEST_ACCOUNT}]]></ToUserName></xml>` })).rejects.toMatchObject({ reason: 'missing_field' });
  });

  it('refuses a body above the size limit with 413', async () => {
    await expect(open(signedText('opn_1', 'x'.repeat(70_000), at()))).rejects.toMatchObject({ reason: 'body_too_large', status: 413 });
  });

  it('refuses a signed push whose body carries a DTD', async () => {
    const push = signedText('opn_1', 'x', at());
    await expect(open({ ...push, body: `<!DOCTYPE xml [<!ENTITY a "b">]>${push.body}` })).rejects.toMatchObject({ reason: 'doctype_refused' });
  });
});

describe('sealReply', () => {
  const seal = { token: TEST_TOKEN, crypto: testCrypto(), nowSeconds: NOW + 2 };

  it('answers success when there is nothing to say, or only a blank text', async () => {
    const { message, envelope } = await open(signedText('opn_1', '你好', at({ mode: 'safe' })));
    expect(sealReply({ kind: 'none' }, message, envelope, seal)).toBe('success');
    expect(sealReply({ kind: 'text', content: '  \n' }, message, envelope, seal)).toBe('success');
  });

  it('answers a plaintext push with plaintext XML from the account to the follower', async () => {
    const { message, envelope } = await open(signedText('opn_1', '你好', at()));
    const body = sealReply({ kind: 'text', content: '请发送身份证号' }, message, envelope, seal);
    expect(await parseXmlFields(body)).toEqual({ ToUserName: 'opn_1', FromUserName: TEST_ACCOUNT, CreateTime: String(NOW + 2), MsgType: 'text', Content: '请发送身份证号' });
  });

  it('encrypts the reply to an encrypted push, signed and stamped in seconds', async () => {
    const { message, envelope } = await open(signedText('opn_1', '你好', at({ mode: 'compat' })));
    const body = sealReply({ kind: 'text', content: '好的' }, message, envelope, { ...seal, nonce: '424242' });
    const outer = await parseXmlFields(body);
    expect(outer.TimeStamp).toBe(String(NOW + 2));
    expect(outer.Nonce).toBe('424242');
    expect(body).not.toContain('好的');
    expect(await openTestReply(body)).toMatchObject({ ToUserName: 'opn_1', MsgType: 'text', Content: '好的' });
  });

  it('answers a push sealed with the previous key under that same key', async () => {
    const { message, envelope } = await open(signedText('opn_1', '你好', at({ mode: 'safe', keyIndex: 1 })));
    expect(envelope).toEqual({ mode: 'aes', keyIndex: 1 });
    const body = sealReply({ kind: 'news', article: { title: 'T', description: 'D', url: 'https://u' } }, message, envelope, seal);
    const previousOnly = new WechatCrypto(TEST_APP_ID, [TEST_PREVIOUS_AES_KEY]);
    expect(await openReply(body, { token: TEST_TOKEN, crypto: previousOnly })).toMatchObject({
      MsgType: 'news',
      'Articles.item.Url': 'https://u',
    });
    const currentOnly = new WechatCrypto(TEST_APP_ID, [TEST_AES_KEY]);
    await expect(openReply(body, { token: TEST_TOKEN, crypto: currentOnly })).rejects.toMatchObject({ reason: 'decrypt_failed' });
  });

  it('refuses to seal an encrypted reply without crypto, rather than leak it in plaintext', async () => {
    const { message, envelope } = await open(signedText('opn_1', '你好', at({ mode: 'safe' })));
    expect(() => sealReply({ kind: 'text', content: 'x' }, message, envelope, { ...seal, crypto: null })).toThrow(/crypto/);
  });
});
