import request from 'supertest';
import { startFakeFaceId, type FakeFaceId, type FakeFaceIdOptions } from '../../src/dev/fake-faceid';
import type { TestApp } from './app';

export { startFakeFaceId, type FakeCall, type FakeFaceId, type FakeSession } from '../../src/dev/fake-faceid';

/** The test account's FaceID credentials: the fake checks every request is signed with them. */
export const TEST_FACEID = { secretId: 'AKIDtest0000000000000000000000000001', secretKey: 'faceid-test-secret-key-never-logged', ruleId: '7' } as const;

/** A fake FaceID that checks the test credentials and RuleId. */
export function startTestFaceId(opts: Partial<FakeFaceIdOptions> = {}): Promise<FakeFaceId> {
  return startFakeFaceId({ ...TEST_FACEID, ...opts });
}

/** Settings for an app that checks faces with Tencent's FaceID, here `fake`. */
export function faceIdEnv(fake: FakeFaceId, more: Record<string, string> = {}): Record<string, string> {
  return {
    FACE_CHECK_PROVIDER: 'tencent',
    TENCENTCLOUD_SECRET_ID: TEST_FACEID.secretId,
    TENCENTCLOUD_SECRET_KEY: TEST_FACEID.secretKey,
    FACEID_RULE_ID: TEST_FACEID.ruleId,
    FACEID_ENDPOINT: fake.url,
    ...more,
  };
}

/** What our page's form sends from a phone: the page's nonce, from the page's own origin. */
export async function tapStart(t: TestApp, token: string, page?: string) {
  const html = page ?? (await request(t.rt.app.callback()).get(`/face-check/${token}`)).text;
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!csrf) throw new Error('no form nonce on the page');
  return request(t.rt.app.callback())
    .post(`/face-check/${token}/start`)
    .set('Origin', new URL(t.rt.config.publicBaseUrl).origin)
    .set('Sec-Fetch-Site', 'same-origin')
    .type('form')
    .send({ csrf });
}

/** The browser back from the provider: our return route with the query the provider adds. */
export const returnFrom = (t: TestApp, token: string, query: Record<string, string> = {}) =>
  request(t.rt.app.callback()).get(`/face-check/${token}/return`).query(query);

/** The session the fake opened last (the one our start route redirected to). */
export function lastSession(fake: FakeFaceId) {
  const s = fake.sessions[fake.sessions.length - 1];
  if (!s) throw new Error('the fake FaceID has no session');
  return s;
}
