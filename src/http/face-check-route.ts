import { readFileSync } from 'node:fs';
import path from 'node:path';
import type Router from '@koa/router';
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { z } from 'zod';
import { renderHtml, type Content } from '../content';
import { completeFaceCheck, lookupToken, stubReference, type FaceCheckDeps } from '../face-check';
import type { Config } from '../config';
import type { FaceCheckProvider } from '../face-check/provider';
import type { Metrics } from '../metrics';
import { recordFaceCheck } from '../stats';
import { STATUS, createPageKit, crossSite, type PageKit } from './face-check-pages';
import { mountProviderFaceCheck } from './face-check-provider-route';

export interface FaceCheckRouteDeps extends FaceCheckDeps {
  readonly config: Pick<Config, 'publicBaseUrl' | 'idHashSecret' | 'faceCheckMaxAttempts'>;
  readonly metrics: Metrics;
  readonly content: Content;
  /** templates/face-check */
  readonly pagesDir: string;
  /** A real provider (FACE_CHECK_PROVIDER=tencent); null: the stub, whose page reports its own result. */
  readonly faceCheckProvider: FaceCheckProvider | null;
}

/**
 * The only body the callback accepts. `strictObject` refuses any other member; duplicates are
 * refused before parsing (see `readResult`), since JSON.parse lets the last of them win.
 */
const callbackBody = z.strictObject({ result: z.enum(['pass', 'fail']) });

/**
 * The face-check pages. The token in the URL is the only key: no personal data travels in it, the
 * pages show masked values only, and a strict CSP allows nothing but the page's own inline code (by
 * nonce) and calls back to this origin. Every value rendered into a page is HTML-escaped, the
 * office's facts included. With a real provider its routes are mounted instead of the stub's, and
 * the stub's callback does not exist.
 */
export function mountFaceCheck(router: Router, deps: FaceCheckRouteDeps): void {
  const kit = createPageKit({ pagesDir: deps.pagesDir, content: deps.content, publicBaseUrl: deps.config.publicBaseUrl });
  if (deps.faceCheckProvider) mountProviderFaceCheck(router, { ...deps, provider: deps.faceCheckProvider }, kit);
  else mountStub(router, deps, kit);
}

/** The stub: its page simulates the check and reports the result itself (模拟通过 / 模拟未通过). */
function mountStub(router: Router, deps: FaceCheckRouteDeps, kit: PageKit): void {
  const page = readFileSync(path.join(deps.pagesDir, 'page.html'), 'utf8');
  renderHtml(page, { ...deps.content.vars, nonce: 'n', maskedName: 'x', category: 'x', completeUrl: 'x', minutesLeft: '1' }, 'templates/face-check/page.html');

  router.get('/face-check/:token', async (ctx) => {
    const token = ctx.params.token ?? '';
    let found: Awaited<ReturnType<typeof lookupToken>>;
    try {
      found = await lookupToken(deps, token);
    } catch (err) {
      return kit.unlessStoreDown(ctx, err, 'GET /face-check/:token', () => kit.showStatus(ctx, 503, 'busy'));
    }
    if (found.status !== 'open') return kit.showStatus(ctx, STATUS[found.status], found.status);
    void recordFaceCheck(deps.stats, { event: 'opened', category: found.record.category, link: token });
    kit.html(ctx, 200, page, {
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
    const refused = refuseCall(ctx, kit.ownOrigin);
    if (refused) return json(refused.status, { ok: false, error: refused.error });
    const result = await readResult(ctx);
    if (!result) return json(400, { ok: false, error: 'the body must be exactly {"result":"pass"} or {"result":"fail"}' });
    const token = ctx.params.token ?? '';
    let done: Awaited<ReturnType<typeof completeFaceCheck>>;
    try {
      done = await completeFaceCheck(deps, token, { result, reference: stubReference(token), reason: 'stubFail' });
    } catch (err) {
      return kit.unlessStoreDown(ctx, err, 'POST /face-check/:token/complete', () => json(503, { ok: false, error: 'busy' }));
    }
    if (done.status !== 'done') return json(STATUS[done.status], { ok: false, error: done.status });
    json(200, { ok: true, result: done.result });
  });
}

/**
 * The stub's callback comes from its own page, in the browser: a call another site's page makes
 * (Origin or Sec-Fetch-Site say so) is refused, and only JSON is read — a form or `text/plain`
 * post, which browsers send cross-site without asking, never is. A real provider's verdict never
 * comes from the browser at all: the server fetches it (./face-check-provider-route.ts).
 */
function refuseCall(ctx: Context, ownOrigin: string): { status: 403 | 415; error: string } | null {
  if (crossSite(ctx, ownOrigin)) return { status: 403, error: 'cross-origin' };
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
