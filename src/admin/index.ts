import { readFileSync } from 'node:fs';
import path from 'node:path';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { todayAt } from '../calendar';
import type { AdminSettings, Config } from '../config';
import type { Content } from '../content';
import type { FaqPort } from '../dialogue/types';
import type { Logger } from '../log';
import { readCycle, summarize, type Stats } from '../stats';
import type { Store } from '../store';
import type { AdminSession, Layout } from '../store/layout';
import { COMMON, clientAddress, cookieNames, fromThisSite, newToken, pageHeaders, readCookie, readForm, sameToken, setCookie } from './http';
import { createLockout } from './lockout';
import { hashPassword, parsePasswordHash, verifyPassword, type PasswordHash } from './password';
import { createSessions } from './session';
import { loadViews, type LoginMessage } from './views';

export interface AdminDeps {
  readonly config: Config;
  readonly store: Store;
  readonly layout: Layout;
  readonly content: Content;
  readonly faq: FaqPort;
  readonly stats: Stats;
  readonly logger: Logger;
  readonly now: () => number;
  /** templates/admin */
  readonly adminDir: string;
}

/** Chart.js's browser build, from node_modules: served by this app, so the page loads nothing from outside. */
const CHART_JS = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js');

/**
 * The office's console: a login, the cycle's numbers and charts, and the same numbers as JSON.
 * Mounted only when ADMIN_USERS is set. It shows counts only: the counters hold nothing else.
 */
export function mountAdmin(router: Router, deps: AdminDeps, admin: AdminSettings): void {
  const { config, logger } = deps;
  const views = loadViews(deps.adminDir);
  const chartJs = readFileSync(CHART_JS, 'utf8');
  const secure = config.env === 'production';
  const names = cookieNames(secure);
  const publicOrigin = new URL(config.publicBaseUrl).origin;
  const sessions = createSessions({ store: deps.store, layout: deps.layout, ttlMs: admin.sessionMs, now: deps.now });
  const lockout = createLockout({ store: deps.store, layout: deps.layout, lockoutMs: admin.lockoutMs, now: deps.now });
  const users = new Map(admin.users.map((u) => [u.name, u.hash]));
  // An unknown name is checked against a hash of the same cost, so timing does not tell which names exist.
  let decoy: Promise<PasswordHash> | undefined;
  const decoyHash = () => (decoy ??= hashPassword(newToken(), admin.users[0]!.hash).then((h) => parsePasswordHash(h)!));
  void decoyHash();

  const summaryNow = async () => {
    // This instance's last second of counts first; other instances' follow within a second.
    await deps.stats.flush();
    const today = todayAt(config.cert, deps.now());
    const days = await readCycle(deps.store, deps.layout, today.cert.cycle, today.date);
    const questions = new Map(deps.faq.topics().map((t) => [t.id, t.question]));
    return summarize(days, { today, categories: deps.content.categories.map((c) => c.name), question: (id) => questions.get(id), labels: views.labels });
  };
  const current = (ctx: Context): Promise<AdminSession | null> => sessions.find(readCookie(ctx, names.session));

  const loginPage = (ctx: Context, status: number, message?: LoginMessage, minutes?: string) => {
    const nonce = pageHeaders(ctx);
    const csrf = newToken();
    setCookie(ctx, names.login, csrf, { secure, maxAgeMs: 3600_000 });
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = views.login({ nonce, csrf, ...(message ? { message } : {}), ...(minutes ? { minutes } : {}) });
  };
  const locked = (ctx: Context, ms: number) => {
    const minutes = Math.max(1, Math.ceil(ms / 60_000));
    ctx.set('Retry-After', String(Math.ceil(ms / 1000)));
    loginPage(ctx, 429, 'locked', String(minutes));
  };

  router.get('/admin', async (ctx) => {
    const session = await current(ctx);
    if (!session) return loginPage(ctx, 200, readCookie(ctx, names.session) ? 'expired' : undefined);
    const nonce = pageHeaders(ctx);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = views.dashboard(await summaryNow(), { nonce, csrf: session.csrf, user: session.user });
  });

  router.post('/admin/login', async (ctx) => {
    const form = await readForm(ctx);
    const addr = clientAddress(ctx);
    if (!fromThisSite(ctx, publicOrigin) || !sameToken(form.get('csrf') ?? undefined, readCookie(ctx, names.login))) {
      logger.warn({ ip: addr }, 'admin login refused: not from the login page');
      return loginPage(ctx, 403, 'refused');
    }
    const name = (form.get('username') ?? '').trim().slice(0, 64);
    const password = form.get('password') ?? '';
    const known = users.has(name);
    // Only a listed name is logged: a password typed into the name field must not reach the log.
    const user = known ? name : '(unknown)';
    const wait = await lockout.lockedFor(name, addr);
    if (wait > 0) {
      logger.warn({ user, ip: addr }, 'admin login refused: locked after repeated failures');
      return locked(ctx, wait);
    }
    const ok = (await verifyPassword(password, users.get(name) ?? (await decoyHash()))) && known;
    if (!ok) {
      const lock = await lockout.failed(name, addr);
      logger.warn({ user, ip: addr, locked: lock > 0 }, 'admin login failed');
      return lock > 0 ? locked(ctx, lock) : loginPage(ctx, 401, 'wrong');
    }
    await lockout.succeeded(name, addr);
    const { id } = await sessions.start(name);
    setCookie(ctx, names.session, id, { secure, maxAgeMs: admin.sessionMs });
    setCookie(ctx, names.login, '', { secure, maxAgeMs: 0 });
    logger.info({ user, ip: addr }, 'admin login');
    ctx.set(COMMON);
    ctx.redirect('/admin');
    ctx.status = 303;
  });

  router.post('/admin/logout', async (ctx) => {
    const form = await readForm(ctx);
    const id = readCookie(ctx, names.session);
    const session = await sessions.find(id);
    ctx.set(COMMON);
    if (session && (!fromThisSite(ctx, publicOrigin) || !sameToken(form.get('csrf') ?? undefined, session.csrf))) {
      ctx.status = 403;
      ctx.type = 'text/plain';
      ctx.body = 'forbidden';
      return;
    }
    // Without a live session there is nothing to end: only the stale cookie goes.
    await sessions.end(id);
    setCookie(ctx, names.session, '', { secure, maxAgeMs: 0 });
    if (session) logger.info({ user: session.user }, 'admin logout');
    ctx.redirect('/admin');
    ctx.status = 303;
  });

  router.get('/admin/api/summary', async (ctx) => {
    ctx.set(COMMON);
    if (!(await current(ctx))) {
      ctx.status = 401;
      ctx.body = { error: 'login required' };
      return;
    }
    ctx.body = await summaryNow();
  });

  const asset = (file: string, type: string, body: string) =>
    router.get(`/admin/assets/${file}`, (ctx) => {
      ctx.set({ ...COMMON, 'Cache-Control': 'private, max-age=3600' });
      ctx.type = type;
      ctx.body = body;
    });
  asset('chart.umd.min.js', 'application/javascript; charset=utf-8', chartJs);
  asset('console.js', 'application/javascript; charset=utf-8', views.assets['console.js']);
  asset('style.css', 'text/css; charset=utf-8', views.assets['style.css']);
}
