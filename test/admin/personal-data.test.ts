import { Writable } from 'node:stream';
import { createLogger } from '../../src/log';
import { adminEnv, Desk } from '../helpers/admin';
import { testApp } from '../helpers/app';
import { appOn, clearDataIn, complete, linkIn, onEachStore, openPage, person, type AppOnStore, type Person } from '../helpers/certify';

/**
 * The console and the counters behind it hold no ID number, name, phone or openid: not in a
 * counter's key or field, not on the page, not in /admin/api/summary, not in the console's keys.
 */

/** A follower's whole path with the detours, and personal data typed where it does not belong. */
async function fullPath(app: AppOnStore, p: Person) {
  const f = app.t.follower();
  const replies: string[] = [];
  for (const text of ['认证', '1', '1', p.id, `${p.name}怎么认证`, p.name, '返回', p.name, p.phone, '1']) replies.push(await f.say(text));
  const { token } = linkIn(replies[replies.length - 1]!);
  await openPage(app.t, token);
  await complete(app.t, token, { result: 'fail' });
  for (const text of [`我的手机号是${p.phone}能认证吗`, p.id, p.name]) await f.say(text);
  return f;
}

const personal = (text: string, p: Person, openid: string) => [...clearDataIn(text, p), ...(text.includes(openid) ? ['openid'] : [])];

onEachStore((adapter) => {
  let app: AppOnStore;
  afterEach(() => app.close());

  it('keeps counters of numbers under fixed names: no ID number, name, phone or openid in a key or a field', async () => {
    app = await appOn(adapter, { env: await adminEnv() });
    const p = person();
    const f = await fullPath(app, p);
    // A staff member who types an ID number as the user name: counted for the lockout, under a hash.
    await new Desk(app.t).login(p.id, p.phone);
    await app.t.rt.stats.flush();
    const hashes = await app.hashes();
    expect([...hashes.keys()].some((k) => k.startsWith('stats:2026:'))).toBe(true);
    expect([...hashes.keys()].some((k) => k.startsWith('admin:f:name:'))).toBe(true);
    for (const [key, fields] of hashes) {
      const all = `${key} ${JSON.stringify(fields)}`;
      expect({ key, found: personal(all, p, f.openid) }).toEqual({ key, found: [] });
      for (const [field, n] of Object.entries(fields)) {
        expect(field).toMatch(/^[a-zA-Z]+(:[a-zA-Z0-9-]+)*$/);
        expect(n).toMatch(/^\d+$/);
      }
    }
    for (const key of (await app.values()).keys()) expect({ key, found: personal(key, p, f.openid) }).toEqual({ key, found: [] });
  });

  it('shows none of them on the page, in the summary or in what the page loads', async () => {
    app = await appOn(adapter, { env: await adminEnv() });
    const p = person();
    const f = await fullPath(app, p);
    const desk = new Desk(app.t);
    await desk.login();
    const page = await desk.agent.get('/admin');
    const summary = await desk.summary();
    expect(summary.body.totals).toMatchObject({ started: 1, linkIssued: 1, linkOpened: 1, failed: 1 });
    const assets = await Promise.all(['/admin/assets/console.js', '/admin/assets/style.css'].map((a) => desk.agent.get(a)));
    for (const [where, text] of [['page', page.text], ['summary', summary.text], ...assets.map((a, i) => [`asset ${i}`, a.text])] as const) {
      expect({ where, found: personal(text, p, f.openid) }).toEqual({ where, found: [] });
      // Not even masked: the console counts, it names nobody.
      expect(text).not.toContain('乌***格');
    }
  });
});

it('logs no ID number, name or phone typed into the login form', async () => {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  const t = await testApp({ env: await adminEnv(), overrides: { logger: createLogger('trace', sink) } });
  const p = person();
  await new Desk(t).login(p.id, p.phone);
  await new Desk(t).login(p.name, p.id);
  await t.close();
  expect(lines.join('')).toContain('admin login failed');
  expect(clearDataIn(lines.join(''), p)).toEqual([]);
});
