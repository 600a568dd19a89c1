import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Context } from 'koa';
import { parse } from 'yaml';
import { z } from 'zod';
import { TemplateError, renderHtml, type Content } from '../content';
import { StoreUnavailableError } from '../store';

/**
 * What every face-check route shares: pages under strict headers, the kind status pages for a link
 * that cannot be used, and the answer while the store is down.
 */

type Bad = 'unknown' | 'used' | 'expired';
/** The status of the page for a link that cannot be used. */
export const STATUS: Record<Bad, number> = { unknown: 404, used: 410, expired: 410 };
/** Redis restarts or fails over in seconds: half a minute is a fair wait to ask of a browser. */
export const RETRY_AFTER_SECONDS = '30';

const pageText = z.object({ title: z.string().min(1), message: z.string().min(1) });
/** templates/face-check/status.yaml: one title and message per kind of status page. */
const statusSchema = z.object({ unknown: pageText, used: pageText, expired: pageText, busy: pageText });
export type StatusKind = keyof z.infer<typeof statusSchema>;

/**
 * Nonce-only inline code, nothing external, no framing, no referrer elsewhere (the token is in our
 * URLs). `formAction`: where a form on the page may lead, redirects included ('none' unless it has
 * one). A page with a form keeps the referrer for its own origin: under `no-referrer` browsers send
 * `Origin: null` with the form's post, and our own post could not be told from another site's.
 */
const HEADERS = (nonce: string, formAction?: string) => ({
  'Content-Security-Policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src data:; connect-src 'self'; base-uri 'none'; form-action ${formAction ?? "'none'"}; frame-ancestors 'none'`,
  'Cache-Control': 'no-store',
  'Referrer-Policy': formAction ? 'same-origin' : 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
});

export interface PageKit {
  /** Renders `template` with the facts and `vars`, every value HTML-escaped. */
  html(ctx: Context, status: number, template: string, vars: Record<string, string>, formAction?: string): void;
  showStatus(ctx: Context, status: number, kind: StatusKind): void;
  /**
   * Redis down is ours to absorb: a kind page (or JSON) with Retry-After and one warning line, no
   * stack. Anything else is a bug and goes on to the app's one error path.
   */
  unlessStoreDown(ctx: Context, err: unknown, route: string, answer: () => void): void;
  /** PUBLIC_BASE_URL's origin: our own pages' calls come from it. */
  readonly ownOrigin: string;
}

/** Reads and checks the status templates once, at start-up: a bad edit stops the service, not a page. */
export function createPageKit(deps: { readonly pagesDir: string; readonly content: Content; readonly publicBaseUrl: string }): PageKit {
  const statusPage = readFileSync(path.join(deps.pagesDir, 'status.html'), 'utf8');
  const parsed = statusSchema.safeParse(parse(readFileSync(path.join(deps.pagesDir, 'status.yaml'), 'utf8')));
  if (!parsed.success) {
    throw new TemplateError(`templates/face-check/status.yaml: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const statusText = parsed.data;
  renderHtml(statusPage, { ...deps.content.vars, nonce: 'n', title: 'x', message: 'x', kind: 'x' }, 'templates/face-check/status.html');

  const html: PageKit['html'] = (ctx, status, template, vars, formAction) => {
    const nonce = randomBytes(16).toString('base64');
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set(HEADERS(nonce, formAction));
    ctx.body = renderHtml(template, { ...deps.content.vars, ...vars, nonce }, 'face-check page');
  };
  return {
    html,
    showStatus: (ctx, status, kind) => html(ctx, status, statusPage, { ...statusText[kind], kind }),
    unlessStoreDown(ctx, err, route, answer) {
      if (!(err instanceof StoreUnavailableError)) throw err;
      ctx.state.log.warn({ route, reason: 'store_unavailable' }, 'face check answered 503: store unavailable');
      answer();
      ctx.set('Retry-After', RETRY_AFTER_SECONDS);
    },
    ownOrigin: new URL(deps.publicBaseUrl).origin,
  };
}

/**
 * A call made by another site's page (Origin or Sec-Fetch-Site say so) is refused: our pages
 * call only their own origin. A request without these headers (an old browser, a server) passes
 * this check and must satisfy the route's others.
 */
export function crossSite(ctx: Context, ownOrigin: string): boolean {
  const origin = ctx.get('Origin');
  const site = ctx.get('Sec-Fetch-Site');
  return !!(origin && origin !== ownOrigin) || !!(site && site !== 'same-origin' && site !== 'none');
}
