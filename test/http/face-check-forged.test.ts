import request from 'supertest';
import { createTencentFaceCheck } from '../../src/face-check/tencent';
import { testApp, type TestApp } from '../helpers/app';
import { askAgainWithSameIdFor, openPage, person, toLink } from '../helpers/certify';
import { TEST_FACEID, faceIdEnv, lastSession, returnFrom, startTestFaceId, tapStart, type FakeFaceId } from '../helpers/fake-faceid';

/**
 * Never trust the browser: whatever comes back to our return route — query parameters, another
 * BizToken, none, a session that has not finished, a pass for somebody else — certifies nobody,
 * tells the follower nothing, and leaves the link's own session able to pass. The tap that opens a
 * session must come from our own page.
 */

let fake: FakeFaceId;
let t: TestApp;
beforeAll(async () => {
  fake = await startTestFaceId();
});
afterAll(() => fake.close());
beforeEach(async () => {
  fake.reset();
  t = await testApp({ env: faceIdEnv(fake) });
});
afterEach(() => t.close());

async function started() {
  const p = person();
  const { token } = await toLink(t.follower(), p);
  expect((await tapStart(t, token)).status).toBe(303);
  return { p, token, session: lastSession(fake) };
}

/** Nobody certified: no message, no record (another phone typing the same person hears no 已认证). */
async function nobodyCertified(p: ReturnType<typeof person>) {
  expect(t.notifier.sent).toEqual([]);
  expect(await askAgainWithSameIdFor(t, p)).not.toContain('本认证周期已认证');
}

describe('a forged return certifies nobody', () => {
  it('names a BizToken other than the one this link started, even one that passed for the same person', async () => {
    const { p, token, session } = await started();
    const elsewhere = await createTencentFaceCheck({ ...TEST_FACEID, endpoint: fake.url }).begin({ idNumber: p.id, name: p.name }, { returnUrl: 'https://evil.example/' });
    fake.finish(elsewhere.id, 0);
    const res = await returnFrom(t, token, { BizToken: elsewhere.id });
    expect(res.status).toBe(400);
    expect(res.text).toContain('data-screen="pending"');
    await nobodyCertified(p);
    // The link's own session is untouched and still decides.
    fake.finish(session.bizToken, 0);
    expect((await returnFrom(t, token, { BizToken: session.bizToken })).text).toContain('认证成功');
  });

  it('names no BizToken, even when the link’s session has passed', async () => {
    const { p, token, session } = await started();
    fake.finish(session.bizToken, 0);
    expect((await returnFrom(t, token)).status).toBe(400);
    expect((await returnFrom(t, token, { bizToken: session.bizToken })).status).toBe(400);
    await nobodyCertified(p);
    expect((await returnFrom(t, token, { BizToken: session.bizToken })).text).toContain('认证成功');
  });

  it('comes back before the person finished: "not finished yet", with the button, and no failure counted', async () => {
    const { p, token, session } = await started();
    const res = await returnFrom(t, token, { BizToken: session.bizToken });
    expect(res.status).toBe(200);
    expect(res.text).toContain('人脸识别还没有做完');
    expect(res.text).toContain(`action="/face-check/${token}/start"`);
    await nobodyCertified(p);
    expect((await openPage(t, token)).text).toContain('data-screen="start"');
  });

  it('carries a result in its query', async () => {
    const { p, token, session } = await started();
    const res = await returnFrom(t, token, { BizToken: session.bizToken, ErrCode: '0', result: 'pass', IdCard: p.id });
    expect(res.text).toContain('人脸识别还没有做完');
    await nobodyCertified(p);
  });

  it('comes to a link that never started a session', async () => {
    const { p, token } = await (async () => {
      const q = person();
      return { p: q, ...(await toLink(t.follower(), q)) };
    })();
    expect((await returnFrom(t, token, { BizToken: '6D6F3D1E-0000-0000-0000-000000000000' })).status).toBe(400);
    expect(fake.calls).toEqual([]);
    await nobodyCertified(p);
  });

  it('reports a pass the provider gave for another identity: the mismatch tip, and a failure counted', async () => {
    const { p, token, session } = await started();
    fake.finish(session.bizToken, 0, { idCard: '110101194001010013', name: '张三' });
    const res = await returnFrom(t, token, { BizToken: session.bizToken });
    expect(res.text).toContain('data-screen="failed"');
    expect(res.text).toContain('姓名和身份证号对不上');
    expect(res.text).toContain('今天还可以再试 2 次');
    await nobodyCertified(p);
  });

  it('is the stub’s /complete on a provider-checked link: 404', async () => {
    const { p, token } = await started();
    const res = await request(t.rt.app.callback()).post(`/face-check/${token}/complete`).set('Content-Type', 'application/json').send('{"result":"pass"}');
    expect(res.status).toBe(404);
    await nobodyCertified(p);
  });
});

describe('the tap that opens a session', () => {
  const post = (token: string, headers: Record<string, string>, body: string) => {
    let req = request(t.rt.app.callback()).post(`/face-check/${token}/start`);
    for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
    return req.send(body);
  };
  const FORM = { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://cert.example.test', 'Sec-Fetch-Site': 'same-origin' };

  it.each([
    ['without the page’s nonce', FORM, ''],
    ['with a made-up nonce', FORM, 'csrf=lq2w3e4r.AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB'],
  ])('%s shows the page again and opens nothing', async (_, headers, body) => {
    const { token } = await toLink(t.follower(), person());
    const res = await post(token, headers, body);
    expect(res.status).toBe(303);
    expect(res.headers['location']).toBe(`/face-check/${token}`);
    expect(fake.calls).toEqual([]);
  });

  it('refuses a nonce issued for another link', async () => {
    const a = await toLink(t.follower(), person());
    const b = await toLink(t.follower(), person());
    const pageOfA = (await openPage(t, a.token)).text;
    expect((await tapStart(t, b.token, pageOfA)).headers['location']).toBe(`/face-check/${b.token}`);
    expect(fake.calls).toEqual([]);
  });

  it.each([
    ['from another site', 403, { ...FORM, Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' }],
    ['as JSON', 415, { ...FORM, 'Content-Type': 'application/json' }],
  ])('refuses a post %s (%s)', async (_, status, headers) => {
    const { token } = await toLink(t.follower(), person());
    const csrf = /name="csrf" value="([^"]+)"/.exec((await openPage(t, token)).text)![1]!;
    expect((await post(token, headers, `csrf=${encodeURIComponent(csrf)}`)).status).toBe(status);
    expect(fake.calls).toEqual([]);
  });
});
