import request from 'supertest';
import { createLogger } from '../../src/log';
import { testApp, type TestApp } from '../helpers/app';
import { askAgainWithSameIdFor, openPage, person, toLink, type Person } from '../helpers/certify';
import { TEST_FACEID, faceIdEnv, lastSession, returnFrom, startTestFaceId, tapStart, type FakeFaceId } from '../helpers/fake-faceid';

/**
 * The real provider's flow, with Tencent's SDK against the fake FaceID on loopback (every request's
 * TC3 signature checked): our page, the tap that opens the provider session, the provider's
 * verdict fetched by our server on the return, a tip and a fresh session after a failure, and the
 * offline ways once a person has failed FACE_CHECK_MAX_ATTEMPTS times in a day.
 */

let fake: FakeFaceId;
let t: TestApp;
let lines: string[];
beforeAll(async () => {
  fake = await startTestFaceId();
});
afterAll(() => fake.close());
beforeEach(async () => {
  fake.reset();
  lines = [];
  t = await testApp({ env: faceIdEnv(fake), overrides: { logger: createLogger('info', { write: (l: string) => void lines.push(l) }) } });
});
afterEach(() => t.close());

/** From the menu to the provider's page: returns the link's token and the session the tap opened. */
async function started(p: Person = person()) {
  const f = t.follower();
  const { token } = await toLink(f, p);
  const tap = await tapStart(t, token);
  expect(tap.status).toBe(303);
  const session = lastSession(fake);
  expect(tap.headers['location']).toBe(`${fake.url}/h5/${session.bizToken}`);
  return { f, p, token, session };
}

describe('our page', () => {
  it('shows whom the check is for (masked), how to prepare, and one button; no provider session yet', async () => {
    const { token } = await toLink(t.follower(), person());
    const page = await openPage(t, token);
    expect(page.status).toBe(200);
    expect(page.text).toContain('乌***格');
    expect(page.text).toContain('data-screen="start"');
    for (const tip of ['不要背着光', '摘下帽子、眼镜和口罩', '和眼睛一样高', 'Wi-Fi']) expect(page.text).toContain(tip);
    expect(page.text).toContain('脸必须是老人自己的');
    expect(page.text.match(/<form /g)).toHaveLength(1);
    expect(page.text).toContain(`action="/face-check/${token}/start"`);
    expect(page.text).not.toContain('模拟通过');
    expect(page.headers['content-security-policy']).toContain(`form-action 'self' https://qq.com https://*.qq.com`);
    expect(page.headers['content-security-policy']).toContain(fake.url);
    expect(fake.calls).toEqual([]);
  });

  it('opens one provider session on the tap: DetectAuth with the person, our return URL, nothing personal in Extra', async () => {
    const { p, token, session } = await started();
    expect(fake.calls.map((c) => [c.action, c.refused])).toEqual([['DetectAuth', null]]);
    expect(session).toMatchObject({ ruleId: TEST_FACEID.ruleId, idCard: p.id, name: p.name, redirectUrl: `https://cert.example.test/face-check/${token}/return` });
    expect(session.extra).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('the return from the provider', () => {
  it('certifies the person when the provider says passed, tells the follower in WeChat, and spends the link', async () => {
    const { f, p, token, session } = await started();
    expect(await askAgainWithSameIdFor(t, p)).not.toContain('本认证周期已认证');
    fake.finish(session.bizToken, 0);
    const back = await returnFrom(t, token, { BizToken: session.bizToken });
    expect(back.status).toBe(200);
    expect(back.text).toContain('data-screen="passed"');
    expect(back.text).toContain('认证成功');
    expect(fake.calls.map((c) => c.action)).toEqual(['DetectAuth', 'GetDetectInfoEnhanced']);
    expect(t.notifier.sent).toEqual([{ openid: f.openid, text: expect.stringContaining('认证成功') }]);
    expect(await askAgainWithSameIdFor(t, p)).toContain('本认证周期已认证');
    expect((await openPage(t, token)).status).toBe(410);
    // Opening the same return again (a reload) shows the success again, and tells nobody twice.
    expect((await returnFrom(t, token, { BizToken: session.bizToken })).text).toContain('data-screen="passed"');
    expect(t.notifier.sent).toHaveLength(1);
  });

  it('after a failure shows the tip for its group, keeps the link, and a new tap opens a fresh session that can pass', async () => {
    const { f, token, session } = await started();
    fake.finish(session.bizToken, 1201);
    const failed = await returnFrom(t, token, { BizToken: session.bizToken });
    expect(failed.text).toContain('data-screen="failed"');
    expect(failed.text).toContain('光线不好');
    expect(failed.text).toContain('今天还可以再试 2 次');
    expect(t.notifier.sent).toEqual([]);
    // The reload counts nothing twice.
    expect((await returnFrom(t, token, { BizToken: session.bizToken })).text).toContain('今天还可以再试 2 次');
    expect((await openPage(t, token)).text).toContain('光线不好');

    expect((await tapStart(t, token, failed.text)).status).toBe(303);
    const second = lastSession(fake);
    expect(second.bizToken).not.toBe(session.bizToken);
    fake.finish(second.bizToken, 0);
    expect((await returnFrom(t, token, { BizToken: second.bizToken })).text).toContain('认证成功');
    expect(t.notifier.sent).toEqual([{ openid: f.openid, text: expect.stringContaining('认证成功') }]);
  });

  it.each([
    [2010, '没有看到整张脸'],
    [1005, '动作没有认出来'],
    [2006, '姓名和身份证号对不上'],
    [2005, '查不到可以比对的身份证照片'],
    [1008, '网络不稳定'],
    [9999, '这次没有认证成功'],
  ])('turns code %s into one plain tip: %s', async (code, tip) => {
    const { token, session } = await started();
    fake.finish(session.bizToken, code);
    const res = await returnFrom(t, token, { BizToken: session.bizToken });
    expect(res.text).toContain(tip);
  });

  it('hides the try button where another try cannot help (name and ID do not match, no photo on record)', async () => {
    const { token, session } = await started();
    fake.finish(session.bizToken, 2005);
    const res = await returnFrom(t, token, { BizToken: session.bizToken });
    expect(res.text).toContain('data-group="noPhoto"');
    expect(res.text).toMatch(/main\[data-group="noPhoto"\] \.retry/);
    expect(res.text).toContain('上门认证');
  });

  it('stops after FACE_CHECK_MAX_ATTEMPTS failures in a day and shows the offline ways, on every link for that person', async () => {
    const p = person();
    const { f, token } = await started(p);
    for (let i = 0; i < 3; i++) {
      if (i > 0) expect((await tapStart(t, token)).status).toBe(303);
      const s = lastSession(fake);
      fake.finish(s.bizToken, 1005);
      const res = await returnFrom(t, token, { BizToken: s.bizToken });
      expect(res.text).toContain(i < 2 ? 'data-screen="failed"' : 'data-screen="offline"');
    }
    const offline = await returnFrom(t, token, { BizToken: lastSession(fake).bizToken });
    for (const way of ['请换一种方式认证', '0471-3670679', '0471-3670075', '新城区社会保险事业服务中心', '社区', '上门认证']) expect(offline.text).toContain(way);
    // The third failure spent the link and the follower hears it in WeChat, with the same offline ways.
    expect(t.notifier.sent).toEqual([{ openid: f.openid, text: expect.stringContaining('没有通过') }]);
    expect(t.notifier.sent[0]!.text).toContain('今天能试的次数已经用完了');
    expect(t.notifier.sent[0]!.text).not.toContain('再试一次请回复 1');
    // In WeChat 再试一次 then gives no new link (it would only show these ways): tomorrow, and the offline ways.
    const asked = await f.say('再试一次');
    expect(asked).toContain('今天能试的次数已经用完了');
    expect(asked).not.toContain('/face-check/');
    expect((await tapStart(t, token, offline.text)).status).toBe(410);

    // Another link for the same person, the same day: the offline ways at once, no provider session.
    const again = await toLink(t.follower(), p);
    const sessions = fake.sessions.length;
    expect((await openPage(t, again.token)).text).toContain('data-screen="offline"');
    expect((await tapStart(t, again.token)).text).toContain('data-screen="offline"');
    expect(fake.sessions).toHaveLength(sessions);
  });

  it('allows tries again the next day', async () => {
    const p = person();
    const { token } = await started(p);
    for (let i = 0; i < 3; i++) {
      if (i > 0) await tapStart(t, token);
      fake.finish(lastSession(fake).bizToken, 1201);
      await returnFrom(t, token, { BizToken: lastSession(fake).bizToken });
    }
    t.clock.advance(24 * 3600_000);
    const next = await toLink(t.follower(), p);
    expect((await tapStart(t, next.token)).status).toBe(303);
  });
});

describe('the link’s life', () => {
  it('may be opened for FACE_CHECK_TOKEN_MINUTES; once a session started, retries and the return work within the session’s life', async () => {
    const { token, session } = await started();
    t.clock.advance(60 * 60_000);
    fake.finish(session.bizToken, 1201);
    const failed = await returnFrom(t, token, { BizToken: session.bizToken });
    expect(failed.text).toContain('光线不好');
    expect((await tapStart(t, token, failed.text)).status).toBe(303);
    t.clock.advance(61 * 60_000);
    // Two hours after the first session no new one may start, but the one running may come back.
    expect((await openPage(t, token)).status).toBe(410);
    fake.finish(lastSession(fake).bizToken, 0);
    expect((await returnFrom(t, token, { BizToken: lastSession(fake).bizToken })).text).toContain('认证成功');
  });

  it('expires unopened after FACE_CHECK_TOKEN_MINUTES, and a started one once its session is over', async () => {
    const { token: unopened } = await toLink(t.follower(), person());
    const { token, session } = await started();
    t.clock.advance(16 * 60_000);
    expect((await openPage(t, unopened)).status).toBe(410);
    t.clock.advance(2 * 3600_000);
    fake.finish(session.bizToken, 0);
    const late = await returnFrom(t, token, { BizToken: session.bizToken });
    expect(late.status).toBe(410);
    expect(t.notifier.sent).toEqual([]);
  });
});

describe('when the provider cannot be reached', () => {
  it('says so kindly on the tap (503, Retry-After), keeps the link and logs the code, never a secret', async () => {
    const { token } = await toLink(t.follower(), person());
    fake.failNext('DetectAuth', 'InternalError');
    const res = await tapStart(t, token);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('30');
    expect(res.text).toContain('人脸识别暂时打不开');
    expect((await tapStart(t, token, res.text)).status).toBe(303);
    const log = lines.join('\n');
    expect(log).toContain('InternalError');
    for (const secret of [TEST_FACEID.secretKey, TEST_FACEID.secretId]) expect(log).not.toContain(secret);
  });

  it('says the result could not be fetched, and the same return works a moment later', async () => {
    const { token, session } = await started();
    fake.finish(session.bizToken, 0);
    fake.failNext('GetDetectInfoEnhanced', 'InternalError');
    const first = await returnFrom(t, token, { BizToken: session.bizToken });
    expect(first.status).toBe(503);
    expect(first.text).toContain('暂时查不到认证结果');
    expect(t.notifier.sent).toEqual([]);
    expect((await returnFrom(t, token, { BizToken: session.bizToken })).text).toContain('认证成功');
  });
});

it('has no stub routes: /complete is 404 and spends nothing', async () => {
  const { token } = await toLink(t.follower(), person());
  const res = await request(t.rt.app.callback()).post(`/face-check/${token}/complete`).set('Content-Type', 'application/json').send('{"result":"pass"}');
  expect(res.status).toBe(404);
  expect(t.notifier.sent).toEqual([]);
  expect((await openPage(t, token)).text).toContain('data-screen="start"');
});

it('has no provider routes with the stub: /start and /return are 404', async () => {
  const stub = await testApp();
  try {
    const { token } = await toLink(stub.follower(), person());
    expect((await request(stub.rt.app.callback()).post(`/face-check/${token}/start`).type('form').send('csrf=x')).status).toBe(404);
    expect((await request(stub.rt.app.callback()).get(`/face-check/${token}/return`).query({ BizToken: 'x' })).status).toBe(404);
    expect((await openPage(stub, token)).text).toContain('模拟通过');
  } finally {
    await stub.close();
  }
});
