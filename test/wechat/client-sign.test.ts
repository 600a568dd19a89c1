import { computeSignature, openPush, parseXmlFields, verifyUrl } from '../../src/wechat';
import { buildPush, buildVerifyQuery, openReply, textXml } from '../../src/wechat/client-sign';
import { TEST_ACCOUNT, TEST_APP_ID, TEST_TOKEN, openTestReply, signedText, testCrypto } from '../helpers/push';

const xml = textXml({ to: TEST_ACCOUNT, from: 'opn_9', content: '你好', msgId: '1', createTime: 1700000000 });
const base = { token: TEST_TOKEN, xml, openid: 'opn_9', timestampSeconds: 1700000000, nonce: '987654321' };

describe('buildPush, signing as WeChat does', () => {
  it('signs a plaintext push with signature, timestamp, nonce and openid, and sends the XML as is', () => {
    const { query, body } = buildPush({ ...base, mode: 'plain' });
    expect(query).toEqual({ signature: computeSignature(TEST_TOKEN, '1700000000', '987654321'), timestamp: '1700000000', nonce: '987654321', openid: 'opn_9' });
    expect(body).toBe(xml);
  });

  it('sends only ToUserName and Encrypt in safe mode, with encrypt_type and msg_signature', async () => {
    const { query, body } = buildPush({ ...base, mode: 'safe', crypto: testCrypto() });
    const fields = await parseXmlFields(body);
    expect(Object.keys(fields)).toEqual(['ToUserName', 'Encrypt']);
    expect(fields.ToUserName).toBe(TEST_ACCOUNT);
    expect(query.encrypt_type).toBe('aes');
    expect(query.openid).toBe('opn_9');
    expect(query.msg_signature).toBe(computeSignature(TEST_TOKEN, '1700000000', '987654321', fields.Encrypt ?? ''));
    expect(testCrypto().decrypt(fields.Encrypt ?? '')).toEqual({ xml, keyIndex: 0 });
  });

  it('sends the plaintext fields and Encrypt together in compatible mode', async () => {
    const fields = await parseXmlFields(buildPush({ ...base, mode: 'compat', crypto: testCrypto() }).body);
    expect(fields).toMatchObject({ ToUserName: TEST_ACCOUNT, FromUserName: 'opn_9', Content: '你好' });
    expect(fields.Encrypt).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it('refuses to build an encrypted push without crypto', () => {
    expect(() => buildPush({ ...base, mode: 'safe' })).toThrow(/crypto/);
  });
});

describe('buildVerifyQuery', () => {
  it('builds a GET that verifyUrl accepts', () => {
    expect(verifyUrl(buildVerifyQuery(TEST_TOKEN, 'abc'), TEST_TOKEN, Math.floor(Date.now() / 1000))).toBe('abc');
  });
});

describe('openReply', () => {
  it('reads success and an empty body as nothing said', async () => {
    expect(await openTestReply('success')).toEqual({});
    expect(await openTestReply('')).toEqual({});
  });

  it('refuses an encrypted reply whose MsgSignature was tampered with', async () => {
    const envelope = `<xml><Encrypt><![CDATA[${testCrypto().encrypt('<xml><Content>x</Content></xml>')}]]></Encrypt><MsgSignature><![CDATA[${'f'.repeat(40)}]]></MsgSignature><TimeStamp>1700000000</TimeStamp><Nonce><![CDATA[1]]></Nonce></xml>`;
    await expect(openTestReply(envelope)).rejects.toMatchObject({ reason: 'bad_msg_signature' });
  });

  it('needs crypto to read an encrypted reply', async () => {
    const sealed = `<xml><Encrypt><![CDATA[abc]]></Encrypt></xml>`;
    await expect(openReply(sealed, { token: TEST_TOKEN, crypto: null })).rejects.toThrow(/crypto/);
  });
});

describe('test helpers', () => {
  it('build pushes the protocol layer opens with the shared test credentials', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const mode of ['plain', 'compat', 'safe'] as const) {
      const crypto = mode === 'plain' ? null : testCrypto();
      const opened = await openPush({ ...signedText('opn_1', '你好', { mode }), token: TEST_TOKEN, crypto, nowSeconds: now });
      expect(opened.message).toMatchObject({ msgType: 'text', fromUserName: 'opn_1', toUserName: TEST_ACCOUNT, content: '你好' });
    }
    expect(testCrypto().appId).toBe(TEST_APP_ID);
  });

  it('give every message a fresh MsgId, so deduplication never swallows one', async () => {
    const ids = await Promise.all([1, 2, 3].map(async () => (await parseXmlFields(signedText('opn_1', 'x').body)).MsgId));
    expect(new Set(ids).size).toBe(3);
  });
});
