import { WechatCrypto } from '../../src/wechat/crypto';
import {
  buildPush,
  buildVerifyQuery,
  eventXml,
  imageXml,
  openReply,
  textXml,
  voiceXml,
  type PushMode,
  type SignedPush,
} from '../../src/wechat/client-sign';

/**
 * Signed-request builders with one set of test credentials, so every HTTP test plays WeChat the
 * same way: `const { query, body } = signedText('opn_1', '你好')`. Configure the app under test
 * with TEST_TOKEN, TEST_APP_ID and [TEST_AES_KEY, TEST_PREVIOUS_AES_KEY].
 */
export * from '../../src/wechat/client-sign';

export const TEST_TOKEN = 'testtoken';
export const TEST_APP_ID = 'wx0123456789abcdef';
/** The account's gh_ id, the ToUserName of every test push. */
export const TEST_ACCOUNT = 'gh_0123456789ab';
export const TEST_AES_KEY = 'TestEncodingAESKey0123456789abcdefghijklmno';
/** The key before the last rotation; pushes sealed with it must still open. */
export const TEST_PREVIOUS_AES_KEY = 'PrevEncodingAESKey0123456789abcdefghijklmno';

/** A fresh crypto with the current test key first and the previous one second. */
export function testCrypto(): WechatCrypto {
  return new WechatCrypto(TEST_APP_ID, [TEST_AES_KEY, TEST_PREVIOUS_AES_KEY]);
}

export interface TestPushOptions {
  /** Default 'plain'; 'compat' and 'safe' seal with the test keys. */
  readonly mode?: PushMode;
  readonly timestampSeconds?: number;
  readonly nonce?: string;
  readonly createTime?: number;
  readonly msgId?: string;
  /** 1 seals with TEST_PREVIOUS_AES_KEY. */
  readonly keyIndex?: number;
  /** Seal for another account, to test appid checks. */
  readonly appId?: string;
  /** Sign with another token, to test signature checks. */
  readonly token?: string;
}

/** Signs any inner message XML as a push from `openid`. */
export function signedXml(openid: string, xml: string, options: TestPushOptions = {}): SignedPush {
  const mode = options.mode ?? 'plain';
  return buildPush({
    token: options.token ?? TEST_TOKEN,
    xml,
    mode,
    ...(mode !== 'plain' && { crypto: testCrypto() }),
    ...(options.appId !== undefined && { appId: options.appId }),
    ...(options.keyIndex !== undefined && { keyIndex: options.keyIndex }),
    ...(options.timestampSeconds !== undefined && { timestampSeconds: options.timestampSeconds }),
    ...(options.nonce !== undefined && { nonce: options.nonce }),
    openid,
  });
}

const base = (openid: string, o: TestPushOptions) => ({
  to: TEST_ACCOUNT,
  from: openid,
  ...(o.createTime !== undefined && { createTime: o.createTime }),
});
const msgId = (o: TestPushOptions) => (o.msgId !== undefined ? { msgId: o.msgId } : {});

export function signedText(openid: string, content: string, options: TestPushOptions = {}): SignedPush {
  return signedXml(openid, textXml({ ...base(openid, options), ...msgId(options), content }), options);
}

/** `recognition` undefined: speech recognition off, the element is absent. */
export function signedVoice(openid: string, recognition: string | undefined, options: TestPushOptions = {}): SignedPush {
  return signedXml(openid, voiceXml({ ...base(openid, options), ...msgId(options), ...(recognition !== undefined && { recognition }) }), options);
}

export function signedImage(openid: string, options: TestPushOptions = {}): SignedPush {
  return signedXml(openid, imageXml({ ...base(openid, options), ...msgId(options) }), options);
}

/** `event` as WeChat spells it ('subscribe', 'CLICK', …); `eventKey` is the menu key or qrscene_… */
export function signedEvent(openid: string, event: string, eventKey?: string, options: TestPushOptions = {}): SignedPush {
  return signedXml(openid, eventXml({ ...base(openid, options), event, ...(eventKey !== undefined && { eventKey }) }), options);
}

/** The URL-verification GET, signed with the test token. */
export function verifyQuery(echostr: string, timestampSeconds?: number): Record<string, string> {
  return buildVerifyQuery(TEST_TOKEN, echostr, timestampSeconds);
}

/** Opens a reply body with the test token and keys: `{}` for `success`, else the reply's fields. */
export function openTestReply(body: string): Promise<Record<string, string>> {
  return openReply(body, { token: TEST_TOKEN, crypto: testCrypto() });
}
