import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type Router from '@koa/router';
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { parse } from 'yaml';
import { TemplateError, render } from '../content';
import { completeFaceCheck, lookupToken, type FaceCheckDeps } from '../face-check';
import type { Metrics } from '../metrics';
import { recordFaceCheck } from '../stats';

export interface FaceCheckRouteDeps extends FaceCheckDeps {
  readonly metrics: Metrics;
  /** templates/face-check */
  readonly pagesDir: string;
}

type Bad = 'unknown' | 'used' | 'expired';
const STATUS: Record<Bad, number> = { unknown: 404, used: 410, expired: 410 };

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The stub provider's pages and callback. The token in the URL is the only key: no personal data
 * travels in it, the pages show masked values only, and a strict CSP allows nothing but this page's
 * own inline code (by nonce) and calls back to this origin.
 */
export function mountFaceCheck(router: Router, deps: FaceCheckRouteDeps): void {
  const page = readFileSync(path.join(deps.pagesDir, 'page.html'), 'utf8');
  const statusPage = readFileSync(path.join(deps.pagesDir, 'status.html'), 'utf8');
  const statusText = parse(readFileSync(path.join(deps.pagesDir, 'status.yaml'), 'utf8')) as Record<Bad, { title: string; message: string }>;
  // Checked here, at start-up, so that a bad edit stops the service instead of failing a follower's page.
  for (const bad of Object.keys(STATUS) as Bad[]) {
    if (typeof statusText?.[bad]?.title !== 'string' || typeof statusText[bad].message !== 'string') {
      throw new TemplateError(`templates/face-check/status.yaml: ${bad} needs a title and a message`);
    }
  }
  const probe = { ...deps.content.vars, nonce: 'n', maskedName: 'x', category: 'x', completeUrl: 'x', minutesLeft: '1', title: 'x', message: 'x' };
  render(page, probe, 'templates/face-check/page.html');
  render(statusPage, probe, 'templates/face-check/status.html');

  const html = (ctx: Context, status: number, template: string, vars: Record<string, string>) => {
    const nonce = randomBytes(16).toString('base64');
    const safe = Object.fromEntries(Object.entries({ ...vars, nonce }).map(([k, v]) => [k, escapeHtml(v)]));
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set({
      'Content-Security-Policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
    });
    ctx.body = render(template, { ...deps.content.vars, ...safe }, 'face-check page');
  };

  router.get('/face-check/:token', async (ctx) => {
    const token = ctx.params.token ?? '';
    const found = await lookupToken(deps, token);
    if (found.status !== 'open') {
      const t = statusText[found.status];
      return html(ctx, STATUS[found.status], statusPage, { title: t.title, message: t.message });
    }
    void recordFaceCheck(deps.stats, { event: 'opened', category: found.record.category, link: token });
    html(ctx, 200, page, {
      maskedName: found.record.maskedName,
      category: found.record.category,
      completeUrl: `/face-check/${token}/complete`,
      minutesLeft: String(Math.max(1, Math.ceil((found.record.expiresAt - deps.now()) / 60_000))),
    });
  });

  router.post('/face-check/:token/complete', async (ctx) => {
    let result: unknown;
    try {
      const body = await getRawBody(ctx.req, { limit: 4096, encoding: 'utf8' });
      result = (JSON.parse(body) as { result?: unknown }).result;
    } catch {
      result = undefined;
    }
    ctx.set('Cache-Control', 'no-store');
    if (result !== 'pass' && result !== 'fail') {
      ctx.status = 400;
      ctx.body = { ok: false, error: 'result must be "pass" or "fail"' };
      return;
    }
    const done = await completeFaceCheck(deps, ctx.params.token ?? '', result, 'stubFail');
    if (done.status !== 'done') {
      ctx.status = STATUS[done.status];
      ctx.body = { ok: false, error: done.status };
      return;
    }
    void done.notified.then((outcome) => deps.metrics.notifications.inc({ outcome }));
    ctx.body = { ok: true, result: done.result };
  });
}
