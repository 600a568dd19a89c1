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
  signedXml,
  testCrypto,
  verifyQuery,
  type TestPushOptions,
} from '../helpers/push';
import { thrown } from '../helpers/thrown';

const NOW = 1_700_000_000;
const at = (options: TestPushOptions = {}): TestPushOptions => ({ timestampSeconds: NOW, createTime: NOW - 1, msgId: '7001', ...options });
/** An account with an EncodingAESKey, as WeChat sees it: every push encrypted. */
const open = (push: { query: Record<string, string>; body: string }, extra: Partial<OpenPushInput> = {}) =>
  openPush({ ...push, token: TEST_TOKEN, crypto: testCrypto(), nowSeconds: NOW, ...extra });
/** During a switch-over (WECHAT_ALLOW_PLAINTEXT=true), or an account with no key: plaintext accepted. */
const openLenient = (push: { query: Record<string, string>; body: string }, extra: Partial<OpenPushInput> = {}) => open(push, { allowPlaintext: true, ...extra });
const hello = { msgType: 'text', toUserName: TEST_ACCOUNT, fromUserName: 'opn_1', createTime: NOW - 1, msgId: '7001', content: '你好' };

describe('verifyUrl', () => {
  it('answers the echostr unchanged when the signature matches', () => {
    expect(verifyUrl(verifyQuery('echo 123', NOW), TEST_TOKEN, NOW)).toBe('echo 123');
  });

  it('refuses a query signed with another token, or with no signature', () => {
    expect(() => verifyUrl(verifyQuery('e', NOW), 'othertoken', NOW)).toThrow(expect.objectContaining({ reason: 'bad_signature', status: 401 }));
    const { signature: _dropped, ...unsigned } = verifyQuery('e', NOW);
    expect(() => verifyUrl(unsigned, TEST_TOKEN, NOW)).toThrow(ProtocolError);
  });

  it('refuses a repeated signature parameter', () => {
    const query = verifyQuery('e', NOW);
    expect(() => verifyUrl({ ...query, signature: [query.signature ?? '', 'x'] }, TEST_TOKEN, NOW)).toThrow(expect.objectContaining({ reason: 'bad_signature' }));
  });

  it.each([-301, 301])('refuses a correctly signed verification %i seconds old or early, as a replay', (skew) => {
    expect(thrown(() => verifyUrl(verifyQuery('e', NOW + skew), TEST_TOKEN, NOW))).toMatchObject({ reason: 'stale_timestamp', status: 401 });
    expect(verifyUrl(verifyQuery('e', NOW + Math.sign(skew) * 300), TEST_TOKEN, NOW)).toBe('e');
  });
});

describe('openPush', () => {
  it('opens a plaintext push when no EncodingAESKey is set', async () => {
    expect(await open(signedText('opn_1', '你好', at()), { crypto: null })).toEqual({ message: hello, envelope: { mode: 'plain' } });
  });

  it('refuses a plaintext push when an EncodingAESKey is set: its body is covered by no signature', async () => {
    const push = signedText('opn_1', '你好', at());
    await expect(open(push)).rejects.toMatchObject({ reason: 'plaintext_refused', status: 401 });
    await expect(open({ ...push, query: { ...push.query, encrypt_type: 'raw' } })).rejects.toMatchObject({ reason: 'plaintext_refused' });
    // Refused before the body is read: not even malformed XML gets as far as the parser.
    await expect(open({ ...push, body: '<xml><unclosed>' })).rejects.toMatchObject({ reason: 'plaintext_refused' });
  });

  it('opens a plaintext push alongside encrypted ones during a switch-over (allowPlaintext)', async () => {
    expect(await openLenient(signedText('opn_1', '你好', at()))).toEqual({ message: hello, envelope: { mode: 'plain' } });
  });

  it('treats encrypt_type=raw as plaintext', async () => {
    const push = signedText('opn_1', '你好', at());
    expect((await openLenient({ ...push, query: { ...push.query, encrypt_type: 'raw' } })).envelope).toEqual({ mode: 'plain' });
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
    expect((await open(signedVoice('opn_1', undefined, at({ mode: 'safe' })))).message).not.toHaveProperty('recognition');
    expect((await open(signedEvent('opn_1', 'CLICK', 'CERT_START', at({ mode: 'safe' })))).message).toMatchObject({ event: 'CLICK', eventKey: 'CERT_START' });
  });

  it.each([-301, 301])('refuses a timestamp %i seconds from now as stale', async (skew) => {
    await expect(open(signedText('opn_1', 'x', at({ mode: 'safe', timestampSeconds: NOW + skew })))).rejects.toMatchObject({ reason: 'stale_timestamp', status: 401 });
  });

  it.each([-299, 299, -300, 300])('accepts a timestamp %i seconds from now', async (skew) => {
    await expect(open(signedText('opn_1', 'x', at({ mode: 'safe', timestampSeconds: NOW + skew })))).resolves.toMatchObject({ message: { content: 'x' } });
  });

  it('refuses a timestamp that is not a number', async () => {
    const push = signedText('opn_1', 'x', at({ mode: 'safe' }));
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
    await expect(openLenient({ ...push, query: { ...push.query, encrypt_type: 'sm4' } })).rejects.toMatchObject({ status: 400 });
  });

  it('refuses an encrypted push with no Encrypt element', async () => {
    const push = signedText('opn_1', 'x', at({ mode: 'safe' }));
    await expect(open({ ...push, body: `<xml><ToUserName><![CDATA[${TEST_ACCOUNT}]]></ToUserName></xml>` })).rejects.toMatchObject({ reason: 'missing_field' });
  });

  it('refuses a body above the size limit with 413', async () => {
    await expect(open(signedText('opn_1', 'x'.repeat(70_000), at({ mode: 'safe' })))).rejects.toMatchObject({ reason: 'body_too_large', status: 413 });
  });

  it('refuses a signed push whose body carries a DTD', async () => {
    const push = signedText('opn_1', 'x', at());
    await expect(openLenient({ ...push, body: `<!DOCTYPE xml [<!ENTITY a "b">]>${push.body}` })).rejects.toMatchObject({ reason: 'doctype_refused' });
    const sealed = signedText('opn_1', 'x', at({ mode: 'safe' }));
    await expect(open({ ...sealed, body: `<!DOCTYPE xml [<!ENTITY a "b">]>${sealed.body}` })).rejects.toMatchObject({ reason: 'doctype_refused' });
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
    const { message, envelope } = await open(signedText('opn_1', '你好', at()), { crypto: null });
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

/**
 * Shapes of real pushes as peers' test suites carry them (wechatpy, WxJava, WeiXinMPSDK,
 * SKIT.FlurlHttpClient.Wechat, node-webot, osglworks): indented, with a prolog, without MsgId or
 * with MsgID, without media fields. Each must open, in plaintext and in safe mode: a 400 would show
 * the follower "该公众号暂时无法提供服务".
 */
describe('real pushes in the shapes other SDKs test with', () => {
  const T = `<ToUserName><![CDATA[${TEST_ACCOUNT}]]></ToUserName>\n  <FromUserName><![CDATA[opn_peer]]></FromUserName>\n  <CreateTime>${NOW - 1}</CreateTime>`;
  const shapes: ReadonlyArray<readonly [string, string, Record<string, unknown>]> = [
    ['an indented text', `<xml>\n  ${T}\n  <MsgType><![CDATA[text]]></MsgType>\n  <Content><![CDATA[this is a test]]></Content>\n  <MsgId>1234567890123456</MsgId>\n</xml>\n`, { msgType: 'text', msgId: '1234567890123456', content: 'this is a test' }],
    ['a text without MsgId', `<xml>${T}<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content></xml>`, { msgType: 'text', content: '你好', msgId: undefined }],
    ['a text spelling it MsgID', `<xml>${T}<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[1]]></Content><MsgID>6054768590064713728</MsgID></xml>`, { msgType: 'text', msgId: '6054768590064713728', content: '1' }],
    ['a text with an empty MsgId', `<xml>${T}<MsgType>text</MsgType><Content>认证</Content><MsgId/></xml>`, { msgType: 'text', content: '认证', msgId: undefined }],
    ['a text after an XML prolog', `<?xml version="1.0" encoding="utf-8"?>\n<xml>${T}<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[每年认证几次]]></Content><MsgId>1</MsgId></xml>`, { msgType: 'text', content: '每年认证几次' }],
    ['a voice without Format', `<xml>${T}<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[XIv0n6wPMbUrdW]]></MediaId><MsgId>5832131061832628484</MsgId></xml>`, { msgType: 'voice', mediaId: 'XIv0n6wPMbUrdW', format: '' }],
    ['a voice with Recognition', `<xml>${T}<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[m]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[我要认证]]></Recognition><MsgId>2</MsgId></xml>`, { msgType: 'voice', recognition: '我要认证' }],
    ['an image without MediaId', `<xml>${T}<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://mmsns.qpic.cn/mmsns/x/0]]></PicUrl><MsgId>5832131263696091399</MsgId></xml>`, { msgType: 'image', mediaId: '' }],
    ['a location', `<xml>${T}<MsgType><![CDATA[location]]></MsgType><Location_X>40.052835</Location_X><Location_Y>116.302033</Location_Y><Scale>15</Scale><Label><![CDATA[中国北京市海淀区上地十街]]></Label><MsgId>5832131345300470025</MsgId></xml>`, { msgType: 'location', latitude: 40.052835, scale: 15 }],
    ['a link', `<xml>${T}<MsgType><![CDATA[link]]></MsgType><Title><![CDATA[公众平台官网链接]]></Title><Description><![CDATA[公众平台官网链接]]></Description><Url><![CDATA[url]]></Url><MsgId>1234567890123456</MsgId></xml>`, { msgType: 'link', url: 'url' }],
    ['a shortvideo', `<xml>${T}<MsgType><![CDATA[shortvideo]]></MsgType><MediaId><![CDATA[media_id]]></MediaId><ThumbMediaId><![CDATA[thumb_media_id]]></ThumbMediaId><MsgId>1234567890123456</MsgId></xml>`, { msgType: 'shortvideo' }],
    ['a file', `<xml>${T}<MsgType><![CDATA[file]]></MsgType><Title><![CDATA[a.pdf]]></Title><FileKey><![CDATA[k]]></FileKey><MsgId>9</MsgId></xml>`, { msgType: 'other', rawType: 'file', msgId: '9' }],
    ['a subscribe with an empty EventKey', `<xml>${T}<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event><EventKey><![CDATA[]]></EventKey></xml>`, { msgType: 'event', event: 'subscribe' }],
    ['a subscribe from a QR code', `<xml>${T}<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event><EventKey><![CDATA[qrscene_123123]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket></xml>`, { event: 'subscribe', eventKey: 'qrscene_123123', ticket: 'TICKET' }],
    ['a SCAN', `<xml>${T}<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[SCAN]]></Event><EventKey><![CDATA[SCENE_VALUE]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket></xml>`, { event: 'SCAN', eventKey: 'SCENE_VALUE' }],
    ['a CLICK', `<xml>${T}<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[CERT_START]]></EventKey></xml>`, { event: 'CLICK', eventKey: 'CERT_START' }],
    ['a VIEW with a MenuId', `<xml>${T}<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[VIEW]]></Event><EventKey><![CDATA[www.qq.com]]></EventKey><MenuId>208379533</MenuId></xml>`, { event: 'VIEW', eventKey: 'www.qq.com' }],
    ['a LOCATION event', `<xml>${T}<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[LOCATION]]></Event><Latitude>23.137466</Latitude><Longitude>113.352425</Longitude><Precision>119.385040</Precision></xml>`, { event: 'LOCATION', precision: 119.38504 }],
    ['a template-message report with MsgID', `<xml>${T}<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event><MsgID>200163836</MsgID><Status><![CDATA[success]]></Status></xml>`, { event: 'other', rawEvent: 'TEMPLATESENDJOBFINISH' }],
  ];
  const cases = shapes.flatMap(([name, xml, expected]) => (['plain', 'safe'] as const).map((mode) => [name, mode, xml, expected] as const));

  it.each(cases)('opens %s sent in %s mode', async (_name, mode, xml, expected) => {
    const push = signedXml('opn_peer', xml, { mode, timestampSeconds: NOW });
    const { message } = await open(push, mode === 'plain' ? { crypto: null } : {});
    const { msgId, ...rest } = expected;
    expect(message).toMatchObject({ toUserName: TEST_ACCOUNT, fromUserName: 'opn_peer', createTime: NOW - 1, ...rest });
    // Absent, not an empty string: the delivery id then falls back to who and when.
    if ('msgId' in expected) expect(message.msgType !== 'event' && message.msgId).toBe(msgId ?? undefined);
  });
});
