import { createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';

/**
 * Sealing a certification record to the office's public key, so that the internet-facing server
 * (which holds only the public key) can write records it can never read back.
 *
 * The scheme is the one age's X25519 recipients use, built from node:crypto only (age-encryption is
 * ESM-only and does not load under jest's CommonJS runtime on Node 20): a fresh X25519 key pair per
 * record, ECDH with the office's key, HKDF-SHA256 over the shared secret, AES-256-GCM.
 *
 * Envelope: `r1.` + base64url( kid[8] ‖ ephemeralPublic[32] ‖ iv[12] ‖ tag[16] ‖ ciphertext ), where
 * kid = SHA-256(recipient public key)[0..8] says which key a record was sealed to (a wrong key is
 * named, not guessed), the AES key = HKDF-SHA256(ikm = X25519(ephemeral, recipient),
 * salt = ephemeralPublic ‖ recipientPublic, info = "pcw records v1", 32 bytes), and the GCM
 * additional data is the version prefix `r1.` ‖ kid.
 *
 * Keys: the public key is one line, `x25519:` + base64url of its 32 raw bytes; the private key is a
 * PKCS#8 PEM file (`openssl pkey -in FILE -noout -text` reads it).
 */

const VERSION = 'r1.';
const INFO = Buffer.from('pcw records v1');
const PUBLIC_PREFIX = 'x25519:';
const KID = 8;
const HEADER = KID + 32 + 12 + 16;

/** A sealed value that is not ours, was tampered with, or was sealed to another key. */
export class EnvelopeError extends Error {
  constructor(
    message: string,
    readonly reason: 'format' | 'other_key' | 'tampered',
  ) {
    super(message);
    this.name = 'EnvelopeError';
  }
}

export interface RecordsPublicKey {
  readonly key: KeyObject;
  readonly raw: Buffer;
  /** Hex of the 8-byte key id: printed by keygen, checked by export. */
  readonly kid: string;
}

const kidOf = (raw: Buffer) => createHash('sha256').update(raw).digest().subarray(0, KID);

/** Reads the one-line public key of RECORDS_PUBLIC_KEY; throws with a reason a person can act on. */
export function parsePublicKey(text: string): RecordsPublicKey {
  const t = text.trim();
  if (!t.startsWith(PUBLIC_PREFIX)) throw new Error(`must start with "${PUBLIC_PREFIX}" (the one line of the .pub file written by records:keygen)`);
  const raw = Buffer.from(t.slice(PUBLIC_PREFIX.length), 'base64url');
  if (raw.length !== 32 || raw.toString('base64url') !== t.slice(PUBLIC_PREFIX.length)) throw new Error('is not a 32-byte X25519 key in base64url');
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw.toString('base64url') }, format: 'jwk' });
  return { key, raw, kid: kidOf(raw).toString('hex') };
}

export interface RecordsPrivateKey {
  readonly key: KeyObject;
  readonly publicKey: RecordsPublicKey;
}

/** Reads a private key file's text (PKCS#8 PEM of an X25519 key). */
export function parsePrivateKey(pem: string): RecordsPrivateKey {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new Error('is not a PEM private key');
  }
  if (key.asymmetricKeyType !== 'x25519') throw new Error(`is a ${key.asymmetricKeyType ?? 'unknown'} key, not the X25519 key records:keygen writes`);
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  return { key, publicKey: parsePublicKey(PUBLIC_PREFIX + String(jwk.x)) };
}

/** A new key pair: the public key's line and the private key's PEM. */
export function generateRecordsKeyPair(): { publicLine: string; privatePem: string; kid: string } {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const raw = Buffer.from(String(publicKey.export({ format: 'jwk' }).x), 'base64url');
  return { publicLine: PUBLIC_PREFIX + raw.toString('base64url'), privatePem: String(privateKey.export({ format: 'pem', type: 'pkcs8' })), kid: kidOf(raw).toString('hex') };
}

const aesKey = (shared: Buffer, ephemeral: Buffer, recipient: Buffer) => Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeral, recipient]), INFO, 32));

/** Seals `plain` so that only the holder of the private key can read it. */
export function seal(plain: string, to: RecordsPublicKey): string {
  const eph = generateKeyPairSync('x25519');
  const ephRaw = Buffer.from(String(eph.publicKey.export({ format: 'jwk' }).x), 'base64url');
  const key = aesKey(diffieHellman({ privateKey: eph.privateKey, publicKey: to.key }), ephRaw, to.raw);
  const iv = randomBytes(12);
  const kid = kidOf(to.raw);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.concat([Buffer.from(VERSION), kid]));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return VERSION + Buffer.concat([kid, ephRaw, iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The key id an envelope was sealed to (hex), or null when it is not an envelope. */
export function kidOfEnvelope(envelope: string): string | null {
  if (!envelope.startsWith(VERSION)) return null;
  const raw = Buffer.from(envelope.slice(VERSION.length), 'base64url');
  return raw.length > HEADER ? raw.subarray(0, KID).toString('hex') : null;
}

/** Opens an envelope; throws EnvelopeError when it is not one, was sealed to another key, or was changed. */
export function open(envelope: string, withKey: RecordsPrivateKey): string {
  const kid = kidOfEnvelope(envelope);
  if (kid === null) throw new EnvelopeError('not a sealed record', 'format');
  if (kid !== withKey.publicKey.kid) throw new EnvelopeError(`sealed to key ${kid}, not to key ${withKey.publicKey.kid}`, 'other_key');
  const raw = Buffer.from(envelope.slice(VERSION.length), 'base64url');
  const ephRaw = raw.subarray(KID, KID + 32);
  const ephemeral = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: ephRaw.toString('base64url') }, format: 'jwk' });
  const key = aesKey(diffieHellman({ privateKey: withKey.key, publicKey: ephemeral }), ephRaw, withKey.publicKey.raw);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(KID + 32, KID + 44));
    decipher.setAAD(Buffer.concat([Buffer.from(VERSION), raw.subarray(0, KID)]));
    decipher.setAuthTag(raw.subarray(KID + 44, HEADER));
    return Buffer.concat([decipher.update(raw.subarray(HEADER)), decipher.final()]).toString('utf8');
  } catch {
    throw new EnvelopeError('the record does not open: it was changed, or the key does not match', 'tampered');
  }
}
