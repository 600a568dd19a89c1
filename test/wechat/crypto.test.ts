import { createCipheriv } from 'node:crypto';
import { inspect } from 'node:util';
import { ProtocolError, WechatCrypto, computeSignature, openPush, parseXmlFields } from '../../src/wechat';
import { thrown } from '../helpers/thrown';

/**
 * Published vectors, copied as data. Account: token `pamtest`, appid `wxb11529c136998cb6`.
 * WXJAVA — WxJava, weixin-java-common/src/test/java/me/chanjar/weixin/common/util/crypto/
 *   WxCryptUtilTest.java (testAesEncrypt, testAesEncrypt2; the same vectors as Tencent's own
 *   WXBizMsgCryptTest). Read from the fork xz-wtx/WxJava at 27081809d6c209ba0de94d4bc066a69339d4a5a4.
 * EASYWECHAT — w7corp/easywechat, tests/Kernel/EncryptorTest.php (testDecrypt), at
 *   3ef8cc64b27b6bc1c6c6dc2fe168e2f1659e6c95.
 */
const PAM = { token: 'pamtest', encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', appId: 'wxb11529c136998cb6' };
const WXJAVA = {
  random: 'aaaabbbbccccdddd',
  replyMsg: '我是中文abcd123',
  afterAesEncrypt: 'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==',
  replyMsg2:
    '<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName><FromUserName><![CDATA[gh_7f083739789a]]></FromUserName><CreateTime>1407743423</CreateTime><MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0]]></MediaId><Title><![CDATA[testCallBackReplyVideo]]></Title><Description><![CDATA[testCallBackReplyVideo]]></Description></Video></xml>',
  afterAesEncrypt2:
    'jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4RsLWzQRG9udbKWesxlkupqcEcW7ZQweImX9+wLMa0GaUzpkycA8+IamDBxn5loLgZpnS7fVAbExOkK5DYHBmv5tptA9tklE/fTIILHR8HLXa5nQvFb3tYPKAlHF3rtTeayNf0QuM+UW/wM9enGIDIJHF7CLHiDNAYxr+r+OrJCmPQyTy8cVWlu9iSvOHPT/77bZqJucQHQ04sq7KZI27OcqpQNSto2OdHCoTccjggX5Z9Mma0nMJBU+jLKJ38YB1fBIz+vBzsYjrTmFQ44YfeEuZ+xRTQwr92vhA9OxchWVINGC50qE/6lmkwWTwGX9wtQpsJKhP+oS7rvTY8+VdzETdfakjkwQ5/Xka042OlUb1/slTwo4RscuQ+RdxSGvDahxAJ6+EAjLt9d8igHngxIbf6YyqqROxuxqIeIch3CssH/LqRs+iAcILvApYZckqmA7FNERspKA5f8GoJ9sv8xmGvZ9Yrf57cExWtnX8aCMMaBropU/1k+hKP5LVdzbWCG0hGwx/dQudYR/eXp3P0XxjlFiy+9DMlaFExWUZQDajPkdPrEeOwofJb',
};
const EASYWECHAT = {
  encrypt:
    'rTNFcsut4LfGuAFKEUVVpwcaCOTJzOd9twZdIW910jb3k+iicx2uvhttIZ3Qg9Qgty3BEF2xbOrz6boTfb30dMomcgrkTqdFPwnhqbk+kIQ7rZiwny9D7NUrTgA5kpX3KsZvrXzUZyP2x9YOlxbgm572lmxKvM7HAQQhIQ/p6HBmoY30bGXFK0BtIu1pW9TjhOYrLQoU18nWYjWqDA1ynkmOytpv7QRI1P1+0NoxL0q2zO1DgeSvnE8CZGo/o5Ap/WHK5W2RAsinpzN4/LjPnmB6U01I5XCoJoC0GK/yMZycd2Oh8Nq6+wBkC1U85oy0ktOY4nLvsQMLrourmMGdZHuTbqpeJ8Ao/5PRYJ+WBvRUwPfGKBL2+2IKZF49vAJqkcGWSHGE76ZN2erXeuNazf/o9o3lIE3q739o4c8t9QGPe31GT2Go/rOz1BsrASwvauNulCh+++yz+CQzBIuikA==',
  msgSignature: '4f3ad57b6989f09f4eb392acce4f9e93942ed890',
  nonce: '260774613',
  timestamp: '1458300676',
  fields: { ToUserName: 'asdasdasd', FromUserName: 'asdasdasdsadasd', CreateTime: '1234567898', Content: 'hello' },
};

const pam = (): WechatCrypto => new WechatCrypto(PAM.appId, [PAM.encodingAesKey]);
const CURRENT = 'CurrentKeyForRotationTests0123456789abcdefg';
const PREVIOUS = 'PreviousKeyForRotationTests0123456789abcdef';

/** Seals arbitrary bytes under the pamtest key, to build plaintexts our encrypt would never make. */
function sealRaw(plain: Buffer): string {
  const key = Buffer.from(`${PAM.encodingAesKey}=`, 'base64');
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

function layout(msg: string, appId: string, msgLength = Buffer.byteLength(msg)): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(msgLength);
  return Buffer.concat([Buffer.from(WXJAVA.random), length, Buffer.from(msg), Buffer.from(appId)]);
}

describe('WechatCrypto against published vectors', () => {
  it("decrypts WxJava's published ciphertexts to their plaintexts", () => {
    expect(pam().decrypt(WXJAVA.afterAesEncrypt)).toEqual({ xml: WXJAVA.replyMsg, keyIndex: 0 });
    expect(pam().decrypt(WXJAVA.afterAesEncrypt2)).toEqual({ xml: WXJAVA.replyMsg2, keyIndex: 0 });
  });

  it("reproduces WxJava's published ciphertexts from their random prefix", () => {
    const random = Buffer.from(WXJAVA.random);
    expect(pam().encrypt(WXJAVA.replyMsg, 0, random)).toBe(WXJAVA.afterAesEncrypt);
    expect(pam().encrypt(WXJAVA.replyMsg2, 0, random)).toBe(WXJAVA.afterAesEncrypt2);
  });

  it("matches EasyWeChat's published msg_signature", () => {
    expect(computeSignature(PAM.token, EASYWECHAT.timestamp, EASYWECHAT.nonce, EASYWECHAT.encrypt)).toBe(EASYWECHAT.msgSignature);
  });

  it("decrypts EasyWeChat's published push to its fields", async () => {
    const fields = await parseXmlFields(pam().decrypt(EASYWECHAT.encrypt).xml);
    expect(fields).toMatchObject(EASYWECHAT.fields);
  });

  it("opens EasyWeChat's published push end to end, as a text message under key 0", async () => {
    const { timestamp, nonce } = EASYWECHAT;
    const query = { signature: computeSignature(PAM.token, timestamp, nonce), timestamp, nonce, openid: 'asdasdasdsadasd', encrypt_type: 'aes', msg_signature: EASYWECHAT.msgSignature };
    const body = `<xml>\n    <ToUserName><![CDATA[asdasdasd]]></ToUserName>\n    <Encrypt><![CDATA[${EASYWECHAT.encrypt}]]></Encrypt>\n</xml>\n`;
    const opened = await openPush({ query, body, token: PAM.token, crypto: pam(), nowSeconds: Number(timestamp) });
    expect(opened.envelope).toEqual({ mode: 'aes', keyIndex: 0 });
    expect(opened.message).toEqual({ msgType: 'text', toUserName: 'asdasdasd', fromUserName: 'asdasdasdsadasd', createTime: 1234567898, content: 'hello', msgId: '12345' });
  });

  it("refuses EasyWeChat's published push when our appid differs, as their test does", () => {
    const other = new WechatCrypto('invalid appid', [PAM.encodingAesKey]);
    expect(thrown(() => other.decrypt(EASYWECHAT.encrypt))).toMatchObject({ reason: 'appid_mismatch', status: 401 });
  });
});

describe('WechatCrypto round trips and refusals', () => {
  it('round-trips Chinese, emoji and every length across the 32-byte padding boundary', () => {
    const crypto = pam();
    for (let n = 0; n <= 70; n++) {
      const xml = `<xml>${Array.from('中😀a'.repeat(n)).slice(0, n).join('')}</xml>`;
      expect(crypto.decrypt(crypto.encrypt(xml)).xml).toBe(xml);
    }
  });

  it('pads a plaintext that fills whole blocks with a full 32-byte block', () => {
    // 16 random + 4 length + 26 message + 18 appid = 64 bytes: already whole blocks, so a whole block of padding.
    const xml = 'x'.repeat(64 - 16 - 4 - PAM.appId.length);
    expect(Buffer.from(pam().encrypt(xml), 'base64')).toHaveLength(96);
  });

  it('refuses a message sealed for another appid with appid_mismatch', () => {
    const sealed = pam().forAppId('wx_some_other_app').encrypt('<xml/>');
    expect(thrown(() => pam().decrypt(sealed))).toMatchObject({ reason: 'appid_mismatch', status: 401 });
  });

  const body = layout('<xml/>', PAM.appId);
  const fill = 32 - (body.length % 32);
  const disagreeing = Buffer.alloc(fill, fill);
  disagreeing[0] = fill - 1;
  it.each([
    ['a pad byte of 0', Buffer.concat([body, Buffer.alloc(fill, 0)])],
    ['a pad byte above 32', Buffer.concat([body, Buffer.alloc(fill + 32, 33)])],
    ['pad bytes that disagree', Buffer.concat([body, disagreeing])],
    ['a length beyond the buffer', Buffer.concat([layout('<xml/>', PAM.appId, 5000), Buffer.alloc(fill, fill)])],
  ])('refuses a plaintext with %s as decrypt_failed', (_name, plain) => {
    expect(plain.length % 32).toBe(0);
    const error = thrown(() => pam().decrypt(sealRaw(plain)));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ reason: 'decrypt_failed', status: 401 });
  });

  it('refuses a ciphertext whose last block was tampered with', () => {
    const sealed = Buffer.from(pam().encrypt('<xml>hello</xml>', 0, Buffer.from(WXJAVA.random)), 'base64');
    sealed[sealed.length - 1] = (sealed[sealed.length - 1] ?? 0) ^ 0x01;
    expect(thrown(() => pam().decrypt(sealed.toString('base64')))).toMatchObject({ status: 401 });
  });

  it.each(['', 'not base64!', 'AAAA', Buffer.alloc(48).toString('base64')])('refuses %j as decrypt_failed', (encrypt) => {
    expect(thrown(() => pam().decrypt(encrypt))).toMatchObject({ reason: 'decrypt_failed', status: 401 });
  });
});

describe('WechatCrypto key rotation', () => {
  it('opens a message sealed with the previous key and says it was key 1', () => {
    const old = new WechatCrypto(PAM.appId, [PREVIOUS]);
    const rotated = new WechatCrypto(PAM.appId, [CURRENT, PREVIOUS]);
    expect(rotated.decrypt(old.encrypt('<xml>old</xml>'))).toEqual({ xml: '<xml>old</xml>', keyIndex: 1 });
    expect(rotated.decrypt(rotated.encrypt('<xml>new</xml>'))).toEqual({ xml: '<xml>new</xml>', keyIndex: 0 });
  });

  it('seals with the key asked for, so only that key opens it', () => {
    const rotated = new WechatCrypto(PAM.appId, [CURRENT, PREVIOUS]);
    const sealed = rotated.encrypt('<xml>reply</xml>', 1);
    expect(new WechatCrypto(PAM.appId, [PREVIOUS]).decrypt(sealed).xml).toBe('<xml>reply</xml>');
    expect(thrown(() => new WechatCrypto(PAM.appId, [CURRENT]).decrypt(sealed))).toMatchObject({ reason: 'decrypt_failed' });
    expect(() => rotated.encrypt('<xml/>', 2)).toThrow(RangeError);
  });
});

describe('WechatCrypto construction', () => {
  it.each([
    ['a 42-character key', 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEF'],
    ['a 44-character key', 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH'],
    ['a key with base64 punctuation', 'abcdefghijklmnopqrstuvwxyz0123456789ABCDE+/'],
  ])('refuses %s at start-up without echoing it', (_name, key) => {
    const error = thrown(() => new WechatCrypto(PAM.appId, [PAM.encodingAesKey, key]));
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('#2');
    expect((error as Error).message).not.toContain(key);
  });

  it('refuses an empty key list and an empty appid', () => {
    expect(() => new WechatCrypto(PAM.appId, [])).toThrow(/at least one/);
    expect(() => new WechatCrypto('', [PAM.encodingAesKey])).toThrow(/appId/);
  });

  it('never shows its keys when logged or serialised', () => {
    const crypto = pam();
    const keyBase64 = Buffer.from(`${PAM.encodingAesKey}=`, 'base64').toString('base64');
    for (const shown of [JSON.stringify(crypto), inspect(crypto, { depth: 5, showHidden: true })]) {
      expect(shown).not.toContain(PAM.encodingAesKey);
      expect(shown).not.toContain(keyBase64.slice(0, 20));
    }
  });
});
