import request from 'supertest';
import { testApp, type Follower, type TestApp } from '../helpers/app';
import { openPage, person, toLink } from '../helpers/certify';

/**
 * The stub's callback is called by its own page, in the browser. Another site's page must not be
 * able to spend a link (a form post or a text/plain fetch needs no permission to go cross-site), and
 * a body says one thing only: two `result` members, of which JSON.parse would take the last, are
 * refused rather than guessed at. Each refusal leaves the link open and tells the follower nothing.
 */

const OWN_ORIGIN = 'https://cert.example.test'; // PUBLIC_BASE_URL of the test config
const PASS = '{"result":"pass"}';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(() => t.close());

/** A callback with the given headers and raw body. */
function call(token: string, headers: Record<string, string>, body: string) {
  let req = request(t.rt.app.callback()).post(`/face-check/${token}/complete`);
  for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
  return req.send(body);
}
/** What the page's own XMLHttpRequest sends from a phone. */
const FROM_PAGE = { 'Content-Type': 'application/json', Origin: OWN_ORIGIN, 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'cors' };

async function refusedAndStillOpen(f: Follower, token: string, res: request.Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.body.ok).toBe(false);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(t.notifier.sent).toEqual([]);
  expect((await openPage(t, token)).status).toBe(200);
  const done = await call(token, FROM_PAGE, PASS);
  expect(done.status).toBe(200);
  expect(t.notifier.sent).toEqual([{ openid: f.openid, text: expect.stringContaining('认证成功') }]);
}

describe('the page’s own call', () => {
  it.each([
    ['with Origin and Sec-Fetch-Site, as Chromium sends it', FROM_PAGE],
    ['with a charset on the content type', { ...FROM_PAGE, 'Content-Type': 'application/json; charset=UTF-8' }],
    ['from an old browser that sends no Sec-Fetch headers', { 'Content-Type': 'application/json', Origin: OWN_ORIGIN }],
    ['without Origin (a call from a server, not a page)', { 'Content-Type': 'application/json' }],
  ])('is accepted %s', async (_, headers) => {
    const f = t.follower();
    const { token } = await toLink(f, person());
    const res = await call(token, headers, PASS);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, result: 'pass' });
    expect(t.notifier.sent).toEqual([{ openid: f.openid, text: expect.stringContaining('认证成功') }]);
  });
});

describe('a call from another site', () => {
  it.each([
    ['another origin', { ...FROM_PAGE, Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' }],
    ['another origin, no Sec-Fetch headers', { 'Content-Type': 'application/json', Origin: 'https://evil.example' }],
    ['our host over plain http', { ...FROM_PAGE, Origin: 'http://cert.example.test' }],
    ['an opaque origin (a sandboxed frame, a data: page)', { ...FROM_PAGE, Origin: 'null' }],
    ['Sec-Fetch-Site cross-site without Origin', { 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'cross-site' }],
    ['Sec-Fetch-Site same-site (a sibling subdomain)', { ...FROM_PAGE, 'Sec-Fetch-Site': 'same-site' }],
  ])('is refused with 403: %s', async (_, headers) => {
    const f = t.follower();
    const { token } = await toLink(f, person());
    await refusedAndStillOpen(f, token, await call(token, headers, PASS), 403);
  });
});

describe('a body that is not JSON by its content type', () => {
  it.each([
    ['a form post', 'application/x-www-form-urlencoded', 'result=pass'],
    ['JSON sent as text/plain (no preflight needed cross-site)', 'text/plain', PASS],
    ['JSON sent as a form', 'application/x-www-form-urlencoded', PASS],
    ['multipart', 'multipart/form-data; boundary=x', PASS],
  ])('is refused with 415: %s', async (_, type, body) => {
    const f = t.follower();
    const { token } = await toLink(f, person());
    await refusedAndStillOpen(f, token, await call(token, { ...FROM_PAGE, 'Content-Type': type }, body), 415);
  });

  it('is refused with 415 when there is no content type at all', async () => {
    const f = t.follower();
    const { token } = await toLink(f, person());
    const res = await request(t.rt.app.callback()).post(`/face-check/${token}/complete`).set('Origin', OWN_ORIGIN).send(Buffer.from(PASS));
    await refusedAndStillOpen(f, token, res, 415);
  });
});

describe('a JSON body that is not exactly one result', () => {
  it.each([
    ['two results, the last a pass', '{"result":"fail","result":"pass"}'],
    ['two results, one spelt with an escape', '{"result":"fail","res\\u0075lt":"pass"}'],
    ['the same result twice', '{"result":"pass", "result":"pass"}'],
    ['an extra member', '{"result":"pass","by":"me"}'],
    ['a nested result', '{"result":{"result":"pass"}}'],
    ['an array', '[{"result":"pass"}]'],
    ['a bare string', '"pass"'],
  ])('is refused with 400: %s', async (_, body) => {
    const f = t.follower();
    const { token } = await toLink(f, person());
    await refusedAndStillOpen(f, token, await call(token, FROM_PAGE, body), 400);
  });

  it.each([
    ['spaces and line breaks', '{ "result" :\n "fail" }\n'],
    ['an escaped key', '{"res\\u0075lt":"fail"}'],
  ])('is read when it is one result written with %s', async (_, body) => {
    const f = t.follower();
    const { token } = await toLink(f, person());
    const res = await call(token, FROM_PAGE, body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, result: 'fail' });
    expect(t.notifier.sent).toEqual([{ openid: f.openid, text: expect.stringContaining('没有通过') }]);
  });
});
