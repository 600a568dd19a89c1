import { createLogger } from '../../src/log';
import { createMemoryStore } from '../../src/store';
import { Clock, testApp } from '../helpers/app';
import { appOn, clearDataIn, complete, keyRecordingStore, linkIn, onEachStore, openPage, person, type AppOnStore, type Person } from '../helpers/certify';
import { faceIdEnv, lastSession, returnFrom, startTestFaceId, tapStart, type FakeFaceId } from '../helpers/fake-faceid';

/**
 * ID numbers, names and phones of old people: once entered, no reply, page, link, stored record or
 * log line holds them in clear.
 */

/** A full path with the detours people take: mistakes, a question, 返回, then the link and more. */
async function fullPath(app: AppOnStore, p: Person) {
  const f = app.t.follower();
  const replies: string[] = [];
  const say = async (text: string) => replies.push(await f.say(text));
  for (const text of ['认证', '1', '2', p.id.toLowerCase(), '没有智能手机怎么办', p.name, '返回', p.name, '12345', p.phone, '6', '1']) await say(text);
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

  it('shows the items of a pasted line only masked, in every reply up to the link and after it', async () => {
    app = await appOn(adapter);
    const p = person({ name: '张桂兰' });
    const f = app.t.follower();
    const replies: string[] = [];
    for (const text of ['认证', `${p.name} ${p.id} ${p.phone}`, '1', '名字不对', p.name, '1', '怎么又没通过', '好的']) replies.push(await f.say(text));
    expect(replies[1]).toContain('姓名：张*兰');
    replies.forEach((reply, i) => expect({ i, found: clearDataIn(reply, p) }).toEqual({ i, found: [] }));
  });

  it('keeps the entries with a link only sealed, for a retry, and drops them once the face check passed', async () => {
    app = await appOn(adapter);
    const p = person();
    const f = app.t.follower();
    for (const text of ['认证', '1', `${p.name} ${p.id} ${p.phone}`, '1']) await f.say(text);
    const { token } = linkIn(await f.say('1'));
    const state = async () => (await app.t.store.get(app.t.rt.layout.follower(f.openid).state.key)) ?? '';
    const opened = async () => [...(await app.values()).values()].map((v) => app.t.rt.layout.unseal(v) ?? v).join('\n');
    expect(clearDataIn([...(await app.values()).values()].join('\n'), p)).toEqual([]);
    expect(clearDataIn(app.t.rt.layout.unseal(await state()) ?? '', p)).toEqual(['id', 'name', 'phone']);

    // A pass drops them at once, without waiting for the follower's next message.
    await complete(app.t, token);
    expect(app.t.rt.layout.unseal(await state())).toContain('linked');
    expect(clearDataIn(await opened(), p)).toEqual([]);
    expect(await f.say('谢谢')).toContain('认证成功');
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

  it('seals the office\'s record so that the server itself cannot read it back, and keeps a refused result message without clear data', async () => {
    app = await appOn(adapter);
    const p = person();
    const { token } = await fullPath(app, p);
    app.t.notifier.outcome = 'window_closed';
    await complete(app.t, token);

    // The outbox keeps the refused message just after the callback is answered.
    let values = await app.values();
    for (let i = 0; i < 100 && ![...values.keys()].some((k) => k.endsWith(':notice')); i++) {
      await new Promise((r) => setTimeout(r, 20));
      values = await app.values();
    }
    const marks = [...values].filter(([k]) => k.startsWith('rec:'));
    expect(marks).toHaveLength(1);
    const mark = app.t.rt.layout.codecs.mark.decode(marks[0]![1])!;
    expect(mark.record).toMatch(/^r1\./);
    // Not one of the server's own sealed values: none of its keys opens it.
    expect(app.t.rt.layout.unseal(mark.record!)).toBeNull();
    expect([...values.keys()].some((k) => k.endsWith(':notice'))).toBe(true);
    for (const [key, value] of values) {
      expect({ key, found: clearDataIn(`${key} ${value}`, p) }).toEqual({ key, found: [] });
      expect({ key, found: clearDataIn(app.t.rt.layout.unseal(value) ?? '', p) }).toEqual({ key, found: [] });
    }
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
  const app: AppOnStore = { t, values: async () => new Map(), hashes: async () => new Map(), close: () => t.close() };
  const { token } = await fullPath(app, p);
  await complete(t, token);
  await complete(t, token);
  await t.close();
  expect(lines.length).toBeGreaterThan(0);
  expect(clearDataIn(lines.join('\n'), p)).toEqual([]);
});

describe('with Tencent’s FaceID as the provider', () => {
  let fake: FakeFaceId;
  beforeAll(async () => {
    fake = await startTestFaceId();
  });
  afterAll(() => fake.close());

  it('puts none of them in our pages, RedirectUrl, Extra, the log (at trace) or the metrics; the store holds them sealed, then not at all', async () => {
    const lines: string[] = [];
    const clock = new Clock();
    const store = keyRecordingStore(createMemoryStore({ now: clock.now }));
    const t = await testApp({ clock, store, env: faceIdEnv(fake), overrides: { logger: createLogger('trace', { write: (line: string) => void lines.push(line) }) } });
    const app: AppOnStore = { t, values: () => store.values(), hashes: () => store.hashes(), close: () => t.close() };
    try {
      const p = person();
      const { token } = await fullPath(app, p);
      const pages = [(await openPage(t, token)).text];

      expect((await tapStart(t, token)).status).toBe(303);
      fake.finish(lastSession(fake).bizToken, 2006);
      pages.push((await returnFrom(t, token, { BizToken: lastSession(fake).bizToken })).text);
      // Between tries the link's record holds the person for the provider, sealed only.
      for (const [key, value] of await store.values()) expect({ key, found: clearDataIn(`${key} ${value}`, p) }).toEqual({ key, found: [] });

      pages.push((await tapStart(t, token, pages[1])).text);
      fake.finish(lastSession(fake).bizToken, 0);
      pages.push((await returnFrom(t, token, { BizToken: lastSession(fake).bizToken })).text);
      expect(pages[3]).toContain('认证成功');
      pages.forEach((page, i) => expect({ i, found: clearDataIn(page, p) }).toEqual({ i, found: [] }));

      // The provider needs the ID number and name (DetectAuth's IdCard, Name); nothing else carries them.
      const sent = fake.calls.filter((c) => c.action === 'DetectAuth').map((c) => JSON.parse(c.raw) as Record<string, string>);
      expect(sent).toHaveLength(2);
      for (const body of sent) {
        expect(body).toMatchObject({ IdCard: p.id, Name: p.name });
        expect(clearDataIn(`${body['RedirectUrl']} ${body['Extra']}`, p)).toEqual([]);
        expect(body['Extra']).toMatch(/^[0-9a-f]{16}$/);
      }
      expect(lines.length).toBeGreaterThan(0);
      expect(clearDataIn(lines.join('\n'), p)).toEqual([]);
      expect(clearDataIn(await t.rt.metrics.registry.metrics(), p)).toEqual([]);

      const values = await store.values();
      for (const [key, value] of values) expect({ key, found: clearDataIn(`${key} ${t.rt.layout.unseal(value) ?? value}`, p) }).toEqual({ key, found: [] });
      const link = t.rt.layout.link(token.slice(0, 20), token);
      expect(link.codec.decode(values.get(link.key)!)).toMatchObject({ status: 'pass', idNumber: '', name: '', phone: '' });
    } finally {
      await app.close();
    }
  });
});
