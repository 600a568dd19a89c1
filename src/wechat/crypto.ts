import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ProtocolError } from './errors';

/** WeChat pads to 32-byte blocks, not AES's 16, so pad values run 1..32. */
const BLOCK = 32;
const RANDOM_BYTES = 16;
const HEADER = RANDOM_BYTES + 4;
const ENCODING_AES_KEY = /^[A-Za-z0-9]{43}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** What `decrypt` found: the inner XML, and which configured key opened it (0 = current). */
export interface Decrypted {
  readonly xml: string;
  readonly keyIndex: number;
}

/**
 * Safe / compatible mode message crypto for one official account.
 *
 * Keys are kept in private fields so that logging or JSON-serialising the object never prints
 * them. Several keys are accepted because WeChat advises keeping the previous EncodingAESKey
 * after a rotation: pushes sealed with either must open, and the reply goes back under the key
 * that opened the push.
 */
export class WechatCrypto {
  readonly #encodingKeys: readonly string[];
  readonly #keys: readonly Buffer[];

  /**
   * @param appId the account's appid; it is the trailer of every plaintext and is checked on decrypt
   * @param aesKeys 43-character EncodingAESKeys, current first, previous second
   * @throws Error at start-up when a key is malformed, naming its position but never its value
   */
  constructor(
    readonly appId: string,
    aesKeys: readonly string[],
  ) {
    if (appId.length === 0) throw new Error('WechatCrypto needs an appId');
    if (aesKeys.length === 0) throw new Error('WechatCrypto needs at least one EncodingAESKey');
    this.#keys = aesKeys.map((encodingKey, i) => {
      const key = ENCODING_AES_KEY.test(encodingKey) ? Buffer.from(`${encodingKey}=`, 'base64') : Buffer.alloc(0);
      if (key.length !== 32) throw new Error(`EncodingAESKey #${i + 1} must be 43 letters or digits (a 32-byte key)`);
      return key;
    });
    this.#encodingKeys = [...aesKeys];
  }

  /** How many keys are configured; a valid `keyIndex` is below this. */
  get keyCount(): number {
    return this.#keys.length;
  }

  /** The same keys for another appid; lets a simulator or a test play a different account. */
  forAppId(appId: string): WechatCrypto {
    return new WechatCrypto(appId, this.#encodingKeys);
  }

  /**
   * Seals `xml` as WeChat does: random16 ‖ uint32BE length ‖ xml ‖ appid, PKCS#7 to 32 bytes,
   * AES-256-CBC with IV = key[0..16). `random16` is only for reproducing published vectors.
   */
  encrypt(xml: string, keyIndex = 0, random16: Buffer = randomBytes(RANDOM_BYTES)): string {
    const key = this.#keys[keyIndex];
    if (key === undefined) throw new RangeError(`no EncodingAESKey at index ${keyIndex}`);
    if (random16.length !== RANDOM_BYTES) throw new RangeError('the random prefix must be 16 bytes');
    const msg = Buffer.from(xml, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(msg.length);
    const plain = Buffer.concat([random16, length, msg, Buffer.from(this.appId, 'utf8')]);
    const pad = BLOCK - (plain.length % BLOCK);
    const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
    return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
  }

  /**
   * Opens an `Encrypt` element with each key in turn. Check `msg_signature` before calling this:
   * the distinct refusal codes would otherwise hand an outsider a padding oracle.
   *
   * @throws ProtocolError 401 'appid_mismatch' when a key opens it but the trailer names another
   *   account (node-webot and PowerWeChat skip this check), 401 'decrypt_failed' otherwise
   */
  decrypt(encrypt: string): Decrypted {
    const sealed = BASE64.test(encrypt) && encrypt.length % 4 === 0 ? Buffer.from(encrypt, 'base64') : Buffer.alloc(0);
    if (sealed.length === 0 || sealed.length % BLOCK !== 0) throw new ProtocolError('decrypt_failed', 'not 32-byte blocks of base64');
    let foreignAppId = false;
    for (const [keyIndex, key] of this.#keys.entries()) {
      const opened = open(key, sealed);
      if (opened === undefined) continue;
      if (opened.appId === this.appId) return { xml: opened.xml, keyIndex };
      foreignAppId = true;
    }
    throw foreignAppId ? new ProtocolError('appid_mismatch') : new ProtocolError('decrypt_failed');
  }
}

/** One key's attempt; undefined when padding, length or UTF-8 show it is not this key's message. */
function open(key: Buffer, sealed: Buffer): { xml: string; appId: string } | undefined {
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(sealed), decipher.final()]);
  const pad = plain[plain.length - 1] ?? 0;
  if (pad < 1 || pad > BLOCK) return undefined;
  // Every pad byte must equal the pad value; a wrong key almost never produces that by chance.
  for (let i = plain.length - pad; i < plain.length; i++) if (plain[i] !== pad) return undefined;
  const body = plain.subarray(0, plain.length - pad);
  if (body.length < HEADER) return undefined;
  const msgLength = body.readUInt32BE(RANDOM_BYTES);
  if (msgLength > body.length - HEADER) return undefined;
  try {
    return {
      xml: utf8.decode(body.subarray(HEADER, HEADER + msgLength)),
      appId: utf8.decode(body.subarray(HEADER + msgLength)),
    };
  } catch {
    return undefined;
  }
}
