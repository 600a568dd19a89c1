import { readFileSync } from 'node:fs';
import path from 'node:path';
import type Router from '@koa/router';
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { parse } from 'yaml';
import { z } from 'zod';
import { TemplateError, renderHtml } from '../content';
import { REASON_GROUPS, type FaceCheckProvider, type ReasonGroup } from '../face-check/provider';
import { pageState, settleReturn, startSession, type SessionDeps } from '../face-check/session';
import type { LinkRecord } from '../store/layout';
import { RETRY_AFTER_SECONDS, STATUS, crossSite, type PageKit } from './face-check-pages';
import type { FaceCheckRouteDeps } from './face-check-route';
import { formNonces } from './form-nonce';
import { recordFaceCheck } from '../stats';

export interface ProviderRouteDeps extends FaceCheckRouteDeps {
  readonly provider: FaceCheckProvider;
}

const tip = z.object({ title: z.string().min(1), text: z.string().min(1) });
/** templates/face-check/tips.yaml: one tip for every reason group, none missing, none unknown. */
const tipsSchema = z.strictObject(Object.fromEntries(REASON_GROUPS.map((g) => [g, tip])) as Record<ReasonGroup, typeof tip>);

type Screen = 'start' | 'pending' | 'failed' | 'offline' | 'passed' | 'unavailable' | 'unchecked';

/**
 * A real provider's flow around our own page (templates/face-check/check.html): the page, whose
 * one button (a form with a per-page nonce) starts a provider session and sends the browser to the
 * provider; and the return, where the server asks the provider about the session this link started
 * and decides. Neither the browser nor a query parameter certifies anyone.
 */
export function mountProviderFaceCheck(router: Router, deps: ProviderRouteDeps, kit: PageKit): void {
  const template = readFileSync(path.join(deps.pagesDir, 'check.html'), 'utf8');
  const parsedTips = tipsSchema.safeParse(parse(readFileSync(path.join(deps.pagesDir, 'tips.yaml'), 'utf8')));
  if (!parsedTips.success) {
    throw new TemplateError(`templates/face-check/tips.yaml: ${parsedTips.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`);
  }
  const tips = parsedTips.data;
  const sessions: SessionDeps = { ...deps, maxAttempts: deps.config.faceCheckMaxAttempts, publicBaseUrl: deps.config.publicBaseUrl };
  const nonces = formNonces(deps.config.idHashSecret, deps.now);
  // The form leads to our start route, which redirects to the provider: both must be allowed.
  const formAction = ["'self'", ...deps.provider.pageSources].join(' ');

  const vars = (token: string, record: LinkRecord, screen: Screen, group: ReasonGroup | undefined, left: number) => ({
    screen,
    group: group ?? '',
    hasTip: group ? 'yes' : 'no',
    tipTitle: group ? tips[group].title : '',
    tipText: group ? tips[group].text : '',
    left: String(left),
    maskedName: record.maskedName,
    category: record.category,
    startUrl: `/face-check/${token}/start`,
    csrf: nonces.issue(token),
    minutesLeft: String(Math.max(1, Math.ceil((record.expiresAt - deps.now()) / 60_000))),
  });
  renderHtml(template, { ...deps.content.vars, ...vars('t', { maskedName: 'x', category: 'x', expiresAt: 0 } as LinkRecord, 'start', 'light', 1), nonce: 'n' }, 'templates/face-check/check.html');

  const page = (ctx: Context, status: number, token: string, record: LinkRecord, screen: Screen, group?: ReasonGroup, left = 0) =>
    kit.html(ctx, status, template, vars(token, record, screen, group, left), formAction);

  router.get('/face-check/:token', async (ctx) => {
    const token = ctx.params.token ?? '';
    let state: Awaited<ReturnType<typeof pageState>>;
    try {
      state = await pageState(sessions, token);
    } catch (err) {
      return kit.unlessStoreDown(ctx, err, 'GET /face-check/:token', () => kit.showStatus(ctx, 503, 'busy'));
    }
    switch (state.status) {
      case 'start':
        void recordFaceCheck(deps.stats, { event: 'opened', category: state.record.category, link: token });
        return page(ctx, 200, token, state.record, 'start');
      case 'failed':
        return page(ctx, 200, token, state.record, 'failed', state.group, state.left);
      case 'offline':
        return page(ctx, 200, token, state.record, 'offline', state.record.session?.failed?.group);
      default:
        return kit.showStatus(ctx, STATUS[state.status], state.status);
    }
  });

  router.post('/face-check/:token/start', async (ctx) => {
    const token = ctx.params.token ?? '';
    ctx.set('Cache-Control', 'no-store');
    if (crossSite(ctx, kit.ownOrigin)) return plain(ctx, 403, 'cross-origin');
    if (ctx.request.type.trim().toLowerCase() !== 'application/x-www-form-urlencoded') return plain(ctx, 415, 'the body must be the page’s form');
    const nonce = await readNonce(ctx);
    // A missing or stale nonce (a page left open for hours, a post from elsewhere) starts nothing:
    // the page is shown again, with a fresh one.
    if (nonce === null || !nonces.check(token, nonce)) return seeOther(ctx, `/face-check/${token}`);
    let started: Awaited<ReturnType<typeof startSession>>;
    try {
      started = await startSession(sessions, token);
    } catch (err) {
      return kit.unlessStoreDown(ctx, err, 'POST /face-check/:token/start', () => kit.showStatus(ctx, 503, 'busy'));
    }
    switch (started.status) {
      case 'redirect':
        void recordFaceCheck(deps.stats, { event: 'providerStarted', category: started.category });
        return seeOther(ctx, started.url);
      case 'raced':
        return seeOther(ctx, `/face-check/${token}`);
      case 'offline':
        return page(ctx, 200, token, started.record, 'offline', started.record.session?.failed?.group);
      case 'unavailable':
        ctx.state.log.warn({ provider: deps.provider.name, code: started.code }, 'face check session could not start');
        page(ctx, 503, token, started.record, 'unavailable');
        return void ctx.set('Retry-After', RETRY_AFTER_SECONDS);
      default:
        return kit.showStatus(ctx, STATUS[started.status], started.status);
    }
  });

  router.get('/face-check/:token/return', async (ctx) => {
    const token = ctx.params.token ?? '';
    const given = typeof ctx.query['BizToken'] === 'string' ? ctx.query['BizToken'] : null;
    let back: Awaited<ReturnType<typeof settleReturn>>;
    try {
      back = await settleReturn(sessions, token, given);
    } catch (err) {
      return kit.unlessStoreDown(ctx, err, 'GET /face-check/:token/return', () => kit.showStatus(ctx, 503, 'busy'));
    }
    switch (back.status) {
      case 'passed':
        return page(ctx, 200, token, back.record, 'passed');
      case 'pending':
        return page(ctx, 200, token, back.record, 'pending');
      case 'forged':
        // Not the session this link started (or none named): nobody is certified; the person may start afresh.
        ctx.state.log.info({ provider: deps.provider.name, reason: given === null ? 'no_session' : 'other_session' }, 'face check return refused');
        return page(ctx, 400, token, back.record, 'pending');
      case 'failed':
        // The failure that reaches the cap is counted by completeFaceCheck; the ones before it here.
        void recordFaceCheck(deps.stats, { event: 'failed', category: back.record.category, reason: back.group });
        return page(ctx, 200, token, back.record, 'failed', back.group, back.left);
      case 'offline':
        return page(ctx, 200, token, back.record, 'offline', back.group);
      case 'unchecked':
        ctx.state.log.warn({ provider: deps.provider.name, code: back.code }, 'face check result could not be fetched');
        page(ctx, 503, token, back.record, 'unchecked');
        return void ctx.set('Retry-After', RETRY_AFTER_SECONDS);
      default:
        return kit.showStatus(ctx, STATUS[back.status], back.status);
    }
  });
}

function plain(ctx: Context, status: number, text: string): void {
  ctx.status = status;
  ctx.type = 'text/plain';
  ctx.body = text;
}

/** 303: the browser follows with a GET; nothing of our URL (the token) goes along as a referrer. */
function seeOther(ctx: Context, location: string): void {
  ctx.status = 303;
  ctx.set('Location', location);
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.body = '';
}

/** The form's one field, or null for any other body. */
async function readNonce(ctx: Context): Promise<string | null> {
  let body: string;
  try {
    body = await getRawBody(ctx.req, { limit: 1024, encoding: 'utf8' });
  } catch {
    return null;
  }
  const fields = new URLSearchParams(body);
  const values = fields.getAll('csrf');
  return values.length === 1 && [...fields.keys()].length === 1 ? values[0]! : null;
}
