import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type Router from '@koa/router';
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { parse } from 'yaml';
import { z } from 'zod';
import { TemplateError, renderHtml, type Content } from '../content';
import { completeFaceCheck, lookupToken, stubReference, type FaceCheckDeps } from '../face-check';
import type { Config } from '../config';
import type { Metrics } from '../metrics';
import { StoreUnavailableError } from '../store';

export interface FaceCheckRouteDeps extends FaceCheckDeps {
  readonly config: Pick<Config, 'publicBaseUrl'>;
  readonly metrics: Metrics;
  readonly content: Content;
  /** templates/face-check */
  readonly pagesDir: string;
}

type Bad = 'unknown' | 'used' | 'expired';
const STATUS: Record<Bad, number> = { unknown: 404, used: 410, expired: 410 };
/** Redis restarts or fails over in seconds: half a minute is a fair wait to ask of a browser. */
const RETRY_AFTER_SECONDS = '30';

const pageText = z.object({ title: z.string().min(1), message: z.string().min(1) });
/** templates/face-check/status.yaml: one title and message per kind of status page. */
const statusSchema = z.object({ unknown: pageText, used: pageText, expired: pageText, busy: pageText });
type StatusKind = keyof z.infer<typeof statusSchema>;

/**
 * The only body the callback accepts. `strictObject` refuses any other member; duplicates are
 * refused before parsing (see `readResult`), since JSON.parse lets the last of them win.
 */
const callbackBody = z.strictObject({ result: z.enum(['pass', 'fail']) });

const HEADERS = (nonce: string) => ({
  'Content-Security-Policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
});

/**
 * The stub provider's pages and callback. The token in the URL is the only key: no personal data
 * travels in it, the pages show masked values only, and a strict CSP allows nothing but this page's
 * own inline code (by nonce) and calls back to this origin. Every value rendered into a page is
 * HTML-escaped, the office's facts included.
 */
export function mountFaceCheck(router: Router, deps: FaceCheckRouteDeps): void {
  const page = readFileSync(path.join(deps.pagesDir, 'page.html'), 'utf8');
  const statusPage = readFileSync(path.join(deps.pagesDir, 'status.html'), 'utf8');
  // Checked here, at start-up, so that a bad edit stops the service instead of failing a follower's page.
  const parsed = statusSchema.safeParse(parse(readFileSync(path.join(deps.pagesDir, 'status.yaml'), 'utf8')));
  if (!parsed.success) {
    throw new TemplateError(`templates/face-check/status.yaml: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const statusText = parsed.data;
  const probe = { ...deps.content.vars, nonce: 'n', maskedName: 'x', category: 'x', completeUrl: 'x', minutesLeft: '1', title: 'x', message: 'x', kind: 'x' };
  renderHtml(page, probe, 'templates/face-check/page.html');
  renderHtml(statusPage, probe, 'templates/face-check/status.html');
  const ownOrigin = new URL(deps.config.publicBaseUrl).origin;

  const html = (ctx: Context, status: number, template: string, vars: Record<string, string>) => {
    const nonce = randomBytes(16).toString('base64');
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set(HEADERS(nonce));
    ctx.body = renderHtml(template, { ...deps.content.vars, ...vars, nonce }, 'face-check page');
  };
  const showStatus = (ctx: Context, status: number, kind: StatusKind) => html(ctx, status, statusPage, { ...statusText[kind], kind });

  /**
   * Redis down is ours to absorb: a kind page (or JSON) with Retry-After and one warning line, no
   * stack. Anything else is a bug and goes on to the app's one error path.
   */
  const unlessStoreDown = (ctx: Context, err: unknown, answer: () => void) => {
    if (!(err instanceof StoreUnavailableError)) throw err;
    ctx.state.log.warn({ route: ctx.method === 'GET' ? 'GET /face-check/:token' : 'POST /face-check/:token/complete', reason: 'store_unavailable' }, 'face check answered 503: store unavailable');
    answer();
    ctx.set('Retry-After', RETRY_AFTER_SECONDS);
  };

  router.get('/face-check/:token', async (ctx) => {
    const token = ctx.params.token ?? '';
    let found: Awaited<ReturnType<typeof lookupToken>>;
    try {
      found = await lookupToken(deps, token);
    } catch (err) {
      return unlessStoreDown(ctx, err, () => showStatus(ctx, 503, 'busy'));
    }
    if (found.status !== 'open') return showStatus(ctx, STATUS[found.status], found.status);
    html(ctx, 200, page, {
      maskedName: found.record.maskedName,
      category: found.record.category,
      completeUrl: `/face-check/${token}/complete`,
      minutesLeft: String(Math.max(1, Math.ceil((found.record.expiresAt - deps.now()) / 60_000))),
    });
  });

  router.post('/face-check/:token/complete', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const json = (status: number, body: object) => {
      ctx.status = status;
      ctx.body = body;
    };
    const refused = refuseCall(ctx, ownOrigin);
    if (refused) return json(refused.status, { ok: false, error: refused.error });
    const result = await readResult(ctx);
    if (!result) return json(400, { ok: false, error: 'the body must be exactly {"result":"pass"} or {"result":"fail"}' });
    let done: Awaited<ReturnType<typeof completeFaceCheck>>;
    try {
      const token = ctx.params.token ?? '';
      done = await completeFaceCheck(deps, token, { result, reference: stubReference(token) });
    } catch (err) {
      return unlessStoreDown(ctx, err, () => json(503, { ok: false, error: 'busy' }));
    }
    if (done.status !== 'done') return json(STATUS[done.status], { ok: false, error: done.status });
    json(200, { ok: true, result: done.result });
  });
}

/**
 * The stub's callback comes from its own page, in the browser: a call another site's page makes
 * (Origin or Sec-Fetch-Site say so) is refused, and only JSON is read — a form or `text/plain`
 * post, which browsers send cross-site without asking, never is. A real provider calls back
 * server to server and authenticates itself as its design says, not by these headers.
 */
function refuseCall(ctx: Context, ownOrigin: string): { status: 403 | 415; error: string } | null {
  const origin = ctx.get('Origin');
  const site = ctx.get('Sec-Fetch-Site');
  if ((origin && origin !== ownOrigin) || (site && site !== 'same-origin' && site !== 'none')) return { status: 403, error: 'cross-origin' };
  if (ctx.request.type.trim().toLowerCase() !== 'application/json') return { status: 415, error: 'the body must be application/json' };
  return null;
}

/** The result the body names, or null for anything but exactly one `result` member. */
async function readResult(ctx: Context): Promise<'pass' | 'fail' | null> {
  let body: string;
  try {
    body = await getRawBody(ctx.req, { limit: 1024, encoding: 'utf8' });
  } catch {
    return null;
  }
  // JSON.parse lets the last of two `result` members win. The one body accepted has no comma at
  // all (not even inside its strings: "result", "pass", "fail"), while any second member needs
  // one: so a comma anywhere means a duplicate or an extra member, and the body is refused.
  if (body.includes(',')) return null;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return null;
  }
  const parsed = callbackBody.safeParse(value);
  return parsed.success ? parsed.data.result : null;
}
