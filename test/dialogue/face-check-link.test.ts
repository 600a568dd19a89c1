import { randomBytes } from 'node:crypto';
import { testApp, type TestApp } from '../helpers/app';
import { complete, openPage, person, toLink } from '../helpers/certify';

/** The face-check link: used once, unknown, expired, and a provider callback that makes no sense. */

let t: TestApp;
afterEach(() => t.close());

const unknownToken = () => randomBytes(24).toString('base64url');

describe('a used link', () => {
  beforeEach(async () => {
    t = await testApp();
  });

  it.each(['pass', 'fail'])('refuses a second completion after a %s, and the follower hears only once', async (first) => {
    const { token } = await toLink(t.follower(), person());
    expect((await complete(t, token, { result: first })).status).toBe(200);

    const again = await complete(t, token, { result: 'pass' });
    expect(again.status).toBe(410);
    expect(again.body).toEqual({ ok: false, error: 'used' });
    expect(t.notifier.sent).toHaveLength(1);
  });

  it('shows a kind page saying the link was used, with a 4xx status', async () => {
    const { token } = await toLink(t.follower(), person());
    await complete(t, token);
    const page = await openPage(t, token);
    expect(page.status).toBe(410);
    expect(page.type).toBe('text/html');
    expect(page.text).toContain('这个认证链接已经用过了');
    expect(page.text).toContain('发送“认证”');
  });
});

describe('an unknown link', () => {
  beforeEach(async () => {
    t = await testApp();
  });

  it.each([
    ['a well-formed token never issued', unknownToken()],
    ['a token cut short when copied', unknownToken().slice(0, 20)],
  ])('shows a kind 404 page for %s', async (_, token) => {
    const page = await openPage(t, token);
    expect(page.status).toBe(404);
    expect(page.type).toBe('text/html');
    expect(page.text).toContain('找不到这个认证链接');
    expect(page.text).toContain('发送“认证”');
  });

  it('refuses a completion for it with 404 and tells nobody anything', async () => {
    const res = await complete(t, unknownToken());
    expect(res.status).toBe(404);
    expect(t.notifier.sent).toEqual([]);
  });
});

describe('an expired link', () => {
  beforeEach(async () => {
    t = await testApp({ env: { FACE_CHECK_TOKEN_MINUTES: '15' } });
  });

  it('still works a minute before it expires', async () => {
    const { token } = await toLink(t.follower(), person());
    t.clock.advance(14 * 60_000);
    expect((await openPage(t, token)).status).toBe(200);
    expect((await complete(t, token)).status).toBe(200);
  });

  it('shows a kind 410 page once FACE_CHECK_TOKEN_MINUTES have passed', async () => {
    const { replies, token } = await toLink(t.follower(), person());
    expect(replies[replies.length - 1]).toContain('链接15分钟内有效');
    t.clock.advance(15 * 60_000 + 1000);
    const page = await openPage(t, token);
    expect(page.status).toBe(410);
    expect(page.text).toContain('这个认证链接已经过期');
    expect(page.text).toContain('发送“认证”');
  });

  it('refuses a late completion: no message, no record, and the person can certify anew', async () => {
    const f = t.follower();
    const p = person();
    const { token } = await toLink(f, p);
    t.clock.advance(16 * 60_000);

    const res = await complete(t, token);
    expect(res.status).toBe(410);
    expect(res.body).toEqual({ ok: false, error: 'expired' });
    expect(t.notifier.sent).toEqual([]);

    expect(await f.say('认证')).toContain('请选择认证类别');
    await f.say('1');
    expect(await f.say(p.id)).toContain('请发送姓名');
  });
});

describe('a callback that makes no sense', () => {
  beforeEach(async () => {
    t = await testApp();
  });

  it.each([
    ['a body that is not JSON', 'result=pass'],
    ['result "maybe"', { result: 'maybe' }],
    ['no result at all', {}],
    ['an empty body', ''],
    ['JSON null', 'null'],
    ['result in capitals', { result: 'PASS' }],
  ])('is refused with 400 for %s, and the link still works afterwards', async (_, body) => {
    const f = t.follower();
    const { token } = await toLink(f, person());

    const res = await complete(t, token, body);
    expect(res.status).toBe(400);
    expect(res.body.ok).toBe(false);
    expect(t.notifier.sent).toEqual([]);

    expect((await openPage(t, token)).status).toBe(200);
    const done = await complete(t, token, { result: 'pass' });
    expect(done.status).toBe(200);
    expect(t.notifier.sent).toEqual([{ openid: f.openid, text: expect.stringContaining('认证成功') }]);
  });
});
