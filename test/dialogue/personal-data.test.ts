import { createLogger } from '../../src/log';
import { testApp } from '../helpers/app';
import { appOn, clearDataIn, complete, linkIn, onEachStore, openPage, person, type AppOnStore, type Person } from '../helpers/certify';

/**
 * ID numbers, names and phones of old people: once entered, no reply, page, link, stored record or
 * log line holds them in clear.
 */

/** A full path with the detours people take: mistakes, a question, 返回, then the link and more. */
async function fullPath(app: AppOnStore, p: Person) {
  const f = app.t.follower();
  const replies: string[] = [];
  const say = async (text: string) => replies.push(await f.say(text));
  for (const text of ['认证', '1', '2', p.id.toLowerCase(), '没有智能手机怎么办', p.name, '返回', p.name, '12345', p.phone, '3', '1']) await say(text);
  const { url, token } = linkIn(replies[replies.length - 1]!);
  for (const text of ['认证', '帮助', '退出']) await say(text);
  await f.tap('CERT_NOTICE');
  return { f, replies, url, token };
}

onEachStore((adapter) => {
  let app: AppOnStore;
  afterEach(() => app.close());

  it('shows no full ID number, name or phone in any reply after they were entered', async () => {
    app = await appOn(adapter);
    const p = person();
    const { replies } = await fullPath(app, p);
    expect(replies.join('\n')).toContain('乌***格');
    replies.forEach((reply, i) => expect({ i, found: clearDataIn(reply, p) }).toEqual({ i, found: [] }));
  });

  it('puts none of them in the face-check link, its page or the customer-service message', async () => {
    app = await appOn(adapter);
    const p = person();
    const { url, token } = await fullPath(app, p);
    expect(url).toMatch(/^https:\/\/cert\.example\.test\/face-check\/[A-Za-z0-9_-]{52}$/);
    expect(clearDataIn(url, p)).toEqual([]);

    const page = await openPage(app.t, token);
    expect(page.status).toBe(200);
    expect(page.text).toContain('乌***格');
    expect(clearDataIn(page.text, p)).toEqual([]);

    await complete(app.t, token);
    expect(clearDataIn((await openPage(app.t, token)).text, p)).toEqual([]);
    expect(app.t.notifier.sent).toHaveLength(1);
    expect(clearDataIn(app.t.notifier.sent[0]!.text, p)).toEqual([]);
  });

  it('stores no clear ID number, name or phone once the link is issued: not in the link, the record or the state', async () => {
    app = await appOn(adapter);
    const p = person();
    const { f, token } = await fullPath(app, p);
    await complete(app.t, token);

    const values = await app.values();
    const keys = [...values.keys()];
    const linkSlot = app.t.rt.layout.link(token.slice(0, 20), token);
    expect(keys).toContain(linkSlot.key);
    // Neither a key nor a value lets someone reading the store (or a backup) open the link.
    for (const [key, value] of values) expect(`${key} ${value}`).not.toContain(token.slice(20));
    expect(keys.filter((k) => k.startsWith('rec:'))).toHaveLength(1);
    expect(keys.some((k) => k.endsWith(':state'))).toBe(true);
    // Key names name nobody: a follower's keys carry a keyed hash of the openid, not the openid.
    expect(keys.filter((k) => k.includes(f.openid))).toEqual([]);
    for (const [key, value] of values) expect({ key, found: clearDataIn(`${key} ${value}`, p) }).toEqual({ key, found: [] });

    const link = linkSlot.codec.decode(values.get(linkSlot.key)!);
    expect(link).toMatchObject({ maskedName: '乌***格', status: 'pass', idNumber: '', name: '', phone: '' });
  });

  it('puts none of them in a reminder, nor in what is kept for it (sealed, a masked name only)', async () => {
    // 2026-04-15 is 76 days before the window's end: a reminder day.
    app = await appOn(adapter, { env: { REMINDER_DAYS_BEFORE_END: '76', REMINDER_TEMPLATE_ID: 'TPL_personal_data_01' } });
    const p = person();
    const { f } = await fullPath(app, p);
    const entry = app.t.rt.layout.follower(f.openid).reminders(2026);
    const kept = (await app.values()).get(entry.key)!;
    expect(kept).not.toContain('乌***格');
    expect(entry.codec.decode(kept)).toEqual({ openid: f.openid, people: [expect.objectContaining({ maskedName: '乌***格', status: 'began' })] });
    expect(clearDataIn(app.t.rt.layout.unseal(kept)!, p)).toEqual([]);

    await app.t.rt.reminders.run('send');
    expect(await app.t.rt.reminderOutbox.drain(5000)).toBe(0);
    expect(app.t.notifier.templates).toHaveLength(1);
    expect(JSON.stringify(app.t.notifier.templates[0])).toContain('乌***格');
    expect(clearDataIn(JSON.stringify(app.t.notifier.templates), p)).toEqual([]);
    // What the reminders keep (the entry, the markers), opened: no clear data. (The unused link still holds it, sealed, for the provider.)
    const reminderKeys = [...(await app.values())].filter(([key]) => key.includes(':rm:'));
    expect(reminderKeys.length).toBeGreaterThanOrEqual(3);
    for (const [key, value] of reminderKeys) expect({ key, found: clearDataIn(`${key} ${app.t.rt.layout.unseal(value) ?? value}`, p) }).toEqual({ key, found: [] });
  });

  it('forgets entered data when a dialogue is abandoned and times out', async () => {
    app = await appOn(adapter, { env: { DIALOGUE_IDLE_MINUTES: '0.05' } });
    const p = person();
    const f = app.t.follower();
    for (const text of ['认证', '1', '1', p.id, p.name]) await f.say(text);
    const opened = async () => [...(await app.values()).values()].map((v) => app.t.rt.layout.unseal(v) ?? v).join('\n');
    // At rest (Redis's append-only file, its backups) the open dialogue is sealed; opened, it holds what was entered.
    expect(clearDataIn([...(await app.values()).values()].join('\n'), p)).toEqual([]);
    expect(clearDataIn(await opened(), p)).toEqual(['id', 'name']);

    if (adapter === 'memory') app.t.clock.advance(4000);
    else await new Promise((r) => setTimeout(r, 3500));
    expect(clearDataIn(await opened(), p)).toEqual([]);
  });
});

it('writes no full ID number, name or phone to the log, even at trace level', async () => {
  const lines: string[] = [];
  const logger = createLogger('trace', { write: (line: string) => void lines.push(line) });
  const t = await testApp({ overrides: { logger } });
  const p = person();
  const app: AppOnStore = { t, values: async () => new Map(), close: () => t.close() };
  const { token } = await fullPath(app, p);
  await complete(t, token);
  await complete(t, token);
  await t.close();
  expect(lines.length).toBeGreaterThan(0);
  expect(clearDataIn(lines.join('\n'), p)).toEqual([]);
});
