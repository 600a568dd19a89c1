import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import getRawBody from 'raw-body';

/**
 * The console's HTTP details: cookies, same-origin checks, a small form reader and the headers
 * every console response carries. Koa-specific, free of the console's logic.
 */

/** Cookie names: with `Secure`, the `__Host-` prefix also pins the cookie to this exact host and path `/`. */
export const cookieNames = (secure: boolean) => ({
  session: secure ? '__Host-pcw_admin' : 'pcw_admin',
  login: secure ? '__Host-pcw_admin_login' : 'pcw_admin_login',
});

/**
 * Written by hand rather than with ctx.cookies: that refuses a Secure cookie whenever the proxy in
 * front forgets X-Forwarded-Proto, which would turn every login into a 500.
 */
export function setCookie(ctx: Context, name: string, value: string, opts: { secure: boolean; maxAgeMs?: number }): void {
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (opts.secure) parts.push('Secure');
  if (opts.maxAgeMs !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(opts.maxAgeMs / 1000))}`);
  ctx.append('Set-Cookie', parts.join('; '));
}

export function readCookie(ctx: Context, name: string): string | undefined {
  for (const part of (ctx.get('cookie') || '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/**
 * Whether a state-changing request comes from a page of this site. Browsers say so in
 * Sec-Fetch-Site, or else in Origin; a request with neither (an old browser) still needs the
 * form's token, and SameSite=Strict keeps the session cookie off cross-site requests anyway.
 */
export function fromThisSite(ctx: Context, publicOrigin: string): boolean {
  const site = ctx.get('sec-fetch-site');
  if (site) return site === 'same-origin' || site === 'none';
  const origin = ctx.get('origin');
  if (origin) return origin === ctx.origin || origin === publicOrigin;
  return true;
}

/** Equal tokens, compared in constant time; an empty or missing token never matches. */
export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const newToken = () => randomBytes(24).toString('base64url');

/** A urlencoded form of at most 4 KiB; anything else reads as an empty form. */
export async function readForm(ctx: Context): Promise<URLSearchParams> {
  if (!ctx.is('application/x-www-form-urlencoded')) return new URLSearchParams();
  try {
    return new URLSearchParams(await getRawBody(ctx.req, { limit: 4096, encoding: 'utf8' }));
  } catch {
    return new URLSearchParams();
  }
}

/**
 * The address a login comes from: the one the nearest proxy saw (the last X-Forwarded-For entry),
 * not the first, which the client writes itself and could change on every try.
 */
export const clientAddress = (ctx: Context): string => ctx.ips[ctx.ips.length - 1] ?? ctx.ip;

/** A fresh nonce and the headers of every console page: strict CSP, no caching, no framing. */
export function pageHeaders(ctx: Context): string {
  const nonce = randomBytes(16).toString('base64');
  ctx.set({
    'Content-Security-Policy': `default-src 'none'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'nonce-${nonce}'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
    ...COMMON,
  });
  return nonce;
}

export const COMMON = {
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'X-Robots-Tag': 'noindex, nofollow',
} as const;

