import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The nonce our face-check page puts in its one form: issued per page, bound to the link's token,
 * checked without storing anything. A post that does not carry a nonce this server issued for
 * this link within the last hours starts nothing (the page is simply shown again with a new one).
 */
export interface FormNonces {
  issue(token: string): string;
  check(token: string, nonce: string): boolean;
}

/** A page left open longer than a provider session lives is better reloaded than trusted. */
const MAX_AGE_MS = 3 * 3600_000;

export function formNonces(secret: string, now: () => number): FormNonces {
  // A key of its own, derived from the service secret: a nonce is no use as any other keyed hash.
  const key = createHmac('sha256', secret).update('face-check-form-nonce').digest();
  const mac = (token: string, at: string, rand: string) => createHmac('sha256', key).update(`${token}.${at}.${rand}`).digest('base64url').slice(0, 32);
  return {
    issue(token) {
      const at = now().toString(36);
      const rand = randomBytes(12).toString('base64url');
      return `${at}.${rand}.${mac(token, at, rand)}`;
    },
    check(token, nonce) {
      const m = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{32})$/.exec(nonce);
      if (!m) return false;
      const [, at, rand, given] = m as unknown as [string, string, string, string];
      const age = now() - parseInt(at, 36);
      if (!(age >= -60_000 && age <= MAX_AGE_MS)) return false;
      return timingSafeEqual(Buffer.from(given), Buffer.from(mac(token, at, rand)));
    },
  };
}
