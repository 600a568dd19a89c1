import { Writable } from 'node:stream';
import request from 'supertest';
import { createLogger } from '../../src/log';
import { createMemoryStore } from '../../src/store';
import { adminEnv, Desk, STAFF } from '../helpers/admin';
import { Clock, testApp, type TestApp } from '../helpers/app';
import { generateRecordsKeyPair } from '../../src/records/envelope';

/** Staff login to the console: right, wrong, locked out, logged out, expired, and forged. */

let t: TestApp;
afterEach(() => t?.close());

const start = async (env: Record<string, string> = {}, clock = new Clock()) => (t = await testApp({ clock, env: await adminEnv(env) }));
const sessionCookie = (res: request.Response) => ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('pcw_admin=') || c.startsWith('__Host-pcw_admin='));

describe('without ADMIN_USERS', () => {
  it.each(['/admin', '/admin/api/summary', '/admin/assets/chart.umd.min.js', '/admin/assets/console.js'])('has no console: GET %s is 404', async (path) => {
    t = await testApp();
    expect((await request(t.rt.app.callback()).get(path)).status).toBe(404);
  });

  it('has no login either: POST /admin/login is 404', async () => {
    t = await testApp();
    expect((await request(t.rt.app.callback()).post('/admin/login').type('form').send({ username: 'a', password: 'b' })).status).toBe(404);
  });
});

describe('logging in', () => {
  it('shows a login form with username and password that posts to /admin/login, and no numbers', async () => {
    await start();
    const { res, csrf } = await new Desk(t).openLogin();
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<form method="post" action="\/admin\/login">/);
    expect(res.text).toContain('name="username"');
    expect(res.text).toMatch(/name="password" type="password"/);
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(res.text).not.toContain('data-total');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('lets a staff member in with the right password: an HttpOnly, SameSite=Strict session cookie that expires', async () => {
    await start();
    const desk = new Desk(t);
    const res = await desk.login();
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin');
    const cookie = sessionCookie(res)!;
    expect(cookie).toMatch(/^pcw_admin=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=3600$/);
    const page = await desk.agent.get('/admin');
    expect(page.text).toContain('2026年度待遇资格认证 · 办理情况');
    expect(page.text).toContain(STAFF.name);
    expect((await desk.summary()).status).toBe(200);
  });

  it.each([
    ['a wrong password', STAFF.name, 'wrong-password'],
    ['an unknown name', 'lisi', STAFF.password],
    ['an empty password', STAFF.name, ''],
  ])('refuses %s with 401 and shows nothing', async (_, name, password) => {
    await start();
    const desk = new Desk(t);
    const res = await desk.login(name, password);
    expect(res.status).toBe(401);
    expect(res.text).toContain('用户名或密码不对');
    expect(sessionCookie(res)).toBeUndefined();
    expect((await desk.summary()).status).toBe(401);
    expect((await desk.agent.get('/admin')).text).not.toContain('data-total');
  });

  it('sets a Secure, __Host- cookie in production', async () => {
    // A reachable Redis where the run has one: production's queues (outbox, reminders) connect to it.
    const env = { NODE_ENV: 'production', REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:1', FACE_CHECK_PROVIDER: 'stub', RECORDS_PUBLIC_KEY: generateRecordsKeyPair().publicLine };
    // No face check here sends a message: an outbox on the unreachable REDIS_URL would only keep reconnecting.
    t = await testApp({ store: createMemoryStore(), env: await adminEnv(env), overrides: { outbox: { enqueue: async () => undefined, drain: async () => 0, close: async () => undefined } } });
    const api = request(t.rt.app.callback());
    const page = await api.get('/admin');
    const loginCookie = ([] as string[]).concat(page.headers['set-cookie'] ?? [])[0]!;
    expect(loginCookie).toMatch(/^__Host-pcw_admin_login=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Secure; Max-Age=3600$/);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1]!;
    // A client keeps a Secure cookie for https only: sent back here by hand, as the browser behind the https proxy would.
    const res = await api.post('/admin/login').type('form').set('Cookie', loginCookie.split(';')[0]!).set('Sec-Fetch-Site', 'same-origin').send({ username: STAFF.name, password: STAFF.password, csrf });
    expect(res.status).toBe(303);
    expect(sessionCookie(res)).toMatch(/^__Host-pcw_admin=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Secure; Max-Age=3600$/);
  });
});

describe('guessing passwords', () => {
  it('answers 429 with Retry-After after a dozen wrong passwords for a name, even to the right one, until the lock ends', async () => {
    const clock = new Clock();
    await start({}, clock);
    const desk = new Desk(t);
    for (let i = 1; i <= 11; i++) expect((await desk.login(STAFF.name, `guess-${i}`, { address: `10.0.0.${i}` })).status).toBe(401);
    const twelfth = await desk.login(STAFF.name, 'guess-12', { address: '10.0.0.12' });
    expect(twelfth.status).toBe(429);
    expect(twelfth.headers['retry-after']).toBe('900');
    expect(twelfth.text).toContain('错误次数太多，请 15 分钟后再试');
    const right = await desk.login(STAFF.name, STAFF.password, { address: '10.9.9.9' });
    expect(right.status).toBe(429);
    expect(sessionCookie(right)).toBeUndefined();

    clock.advance(14 * 60_000);
    expect((await desk.login(STAFF.name, STAFF.password)).headers['retry-after']).toBe('60');
    clock.advance(61_000);
    expect((await desk.login(STAFF.name, STAFF.password)).status).toBe(303);
  });

  it('locks an address that tries a dozen names, but not the names from elsewhere', async () => {
    await start();
    const desk = new Desk(t);
    for (let i = 1; i <= 11; i++) expect((await desk.login(`user${i}`, 'x', { address: '10.1.1.1' })).status).toBe(401);
    expect((await desk.login('user12', 'x', { address: '10.1.1.1' })).status).toBe(429);
    expect((await desk.login(STAFF.name, STAFF.password, { address: '10.1.1.1' })).status).toBe(429);
    expect((await desk.login(STAFF.name, STAFF.password, { address: '10.2.2.2' })).status).toBe(303);
  });

  it('counts wrong passwords in a row only: a right one starts the count afresh', async () => {
    await start();
    const desk = new Desk(t);
    for (let i = 0; i < 11; i++) await desk.login(STAFF.name, 'nope');
    expect((await desk.login()).status).toBe(303);
    const later = new Desk(t);
    for (let i = 0; i < 11; i++) expect((await later.login(STAFF.name, 'nope')).status).toBe(401);
  });
});

describe('sessions', () => {
  it('ends with logout: the page shows the login again and the old cookie opens nothing', async () => {
    await start();
    const desk = new Desk(t);
    const cookie = sessionCookie(await desk.login())!.split(';')[0]!;
    const out = await desk.logout();
    expect(out.status).toBe(303);
    expect(sessionCookie(out)).toMatch(/Max-Age=0/);
    expect((await desk.summary()).status).toBe(401);
    const replay = await request(t.rt.app.callback()).get('/admin/api/summary').set('Cookie', cookie);
    expect(replay.status).toBe(401);
  });

  it('expires after ADMIN_SESSION_MINUTES: the API says 401 and the page asks to log in again', async () => {
    const clock = new Clock();
    await start({ ADMIN_SESSION_MINUTES: '30' }, clock);
    const desk = new Desk(t);
    await desk.login();
    clock.advance(29 * 60_000);
    expect((await desk.summary()).status).toBe(200);
    clock.advance(61_000);
    expect((await desk.summary()).status).toBe(401);
    const page = await desk.agent.get('/admin');
    expect(page.text).toContain('登录已过期，请重新登录');
    expect(page.text).not.toContain('data-total');
  });

  it('refuses a session cookie it never issued', async () => {
    await start();
    const res = await request(t.rt.app.callback()).get('/admin/api/summary').set('Cookie', `pcw_admin=${'A'.repeat(43)}`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'login required' });
  });
});

describe('cross-site posts', () => {
  it('refuses a login posted from another site, with the right password', async () => {
    await start();
    const res = await new Desk(t, 'cross-site').login();
    expect(res.status).toBe(403);
    expect(sessionCookie(res)).toBeUndefined();
  });

  it('refuses a login without the login page’s token, or from another Origin', async () => {
    await start();
    const desk = new Desk(t);
    await desk.openLogin();
    expect((await desk.login(STAFF.name, STAFF.password, { csrf: 'forged-token-forged-token-forged' })).status).toBe(403);
    const fromElsewhere = await desk.agent.post('/admin/login').type('form').set('Origin', 'https://evil.example').send({ username: STAFF.name, password: STAFF.password, csrf: (await desk.openLogin()).csrf });
    expect(fromElsewhere.status).toBe(403);
  });

  it('refuses a logout without the session’s token, and the session goes on', async () => {
    await start();
    const desk = new Desk(t);
    await desk.login();
    expect((await desk.logout('not-the-token')).status).toBe(403);
    expect((await desk.summary()).status).toBe(200);
  });
});

describe('the log', () => {
  it('records logins and failures with the staff name and address, never a password', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    t = await testApp({ env: await adminEnv(), overrides: { logger: createLogger('info', sink) } });
    const desk = new Desk(t);
    await desk.login(STAFF.name, 'Wrong-Password-1');
    await desk.login('Typed-Password-As-Name', 'x');
    await desk.login();
    await desk.logout();
    const log = lines.join('');
    expect(log).toMatch(/"user":"zhangwei".*"admin login failed"/);
    expect(log).toMatch(/"user":"\(unknown\)".*"admin login failed"/);
    expect(log).toMatch(/"user":"zhangwei".*"msg":"admin login"/);
    expect(log).toContain('admin logout');
    for (const secret of [STAFF.password, 'Wrong-Password-1', 'Typed-Password-As-Name']) expect(log).not.toContain(secret);
  });
});
