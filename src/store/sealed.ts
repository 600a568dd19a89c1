import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * A follower's open dialogue holds an ID number, a name and a phone in clear. Redis's append-only
 * file and its backups would keep them long after the dialogue's TTL, so such values are sealed
 * (AES-256-GCM) with a key that lives only in the app's configuration, never in Redis.
 */
export interface Sealer {
  seal(plain: string): string;
  /** null when the value is not ours or was tampered with. */
  open(sealed: string): string | null;
}

const PREFIX = 's1.';

export function createSealer(secret: string, purpose: string): Sealer {
  const key = createHmac('sha256', secret).update(`sealer:${purpose}`).digest();
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(sealed) {
      if (!sealed.startsWith(PREFIX)) return null;
      const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
      if (raw.length < 28) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
  };
}
