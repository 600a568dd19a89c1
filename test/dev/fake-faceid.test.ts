import { signTc3 } from '../../src/dev/tc3';
import { createTencentFaceCheck } from '../../src/face-check/tencent';
import { TEST_FACEID, startTestFaceId, type FakeFaceId } from '../helpers/fake-faceid';

/**
 * The fake FaceID refuses what the real API would, so that a request it accepts from Tencent's SDK
 * is one the real API would accept too: the signature, the credentials, the clock, the version.
 */

const PERSON = { idNumber: '11010519491231002X', name: '王秀英' };
const RETURN = 'https://cert.example.test/face-check/abc/return';

let fake: FakeFaceId;
beforeAll(async () => {
  fake = await startTestFaceId();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const provider = (over: Partial<{ secretId: string; secretKey: string; ruleId: string }> = {}) => createTencentFaceCheck({ ...TEST_FACEID, endpoint: fake.url, ...over });

/** A DetectAuth signed by hand, so that one thing at a time can be wrong. */
async function signedCall(body: object, opts: { key?: string; timestamp?: number; service?: string; signedHost?: string; tamper?: string } = {}) {
  const raw = JSON.stringify(body);
  const headers = signTc3(
    { signedHost: opts.signedHost ?? new URL(fake.url).hostname, action: 'DetectAuth', version: '2018-03-01', body: raw },
    { secretId: TEST_FACEID.secretId, secretKey: opts.key ?? TEST_FACEID.secretKey },
    { timestamp: opts.timestamp ?? Math.floor(Date.now() / 1000), service: opts.service ?? '127' },
  );
  const res = await fetch(fake.url, { method: 'POST', headers, body: opts.tamper ?? raw });
  return (await res.json()) as { Response: { Error?: { Code: string }; BizToken?: string } };
}
const detectAuth = { RuleId: TEST_FACEID.ruleId, IdCard: PERSON.idNumber, Name: PERSON.name, RedirectUrl: RETURN };

describe('the fake FaceID’s signature check', () => {
  it('accepts what Tencent’s SDK sends (service named after the endpoint’s first label, host signed without its port)', async () => {
    const begun = await provider().begin(PERSON, { returnUrl: RETURN });
    expect(begun.id).toMatch(/^[0-9A-F-]{36}$/);
    expect(fake.calls).toEqual([expect.objectContaining({ action: 'DetectAuth', refused: null })]);
  });

  it('accepts a request signed by hand the same way, so the refusals below differ in one thing only', async () => {
    expect((await signedCall(detectAuth)).Response.BizToken).toBeDefined();
  });

  it.each([
    ['another secret key', 'AuthFailure.SignatureFailure', { key: 'not-the-key' }],
    ['a body changed after signing', 'AuthFailure.SignatureFailure', { tamper: JSON.stringify({ ...detectAuth, Name: '张三' }) }],
    ['a timestamp six minutes old', 'AuthFailure.SignatureExpire', { timestamp: Math.floor(Date.now() / 1000) - 360 }],
    ['a service that is not this API', 'AuthFailure.SignatureFailure', { service: 'cvm' }],
    ['another host signed', 'AuthFailure.SignatureFailure', { signedHost: 'faceid.tencentcloudapi.com' }],
    ['the host signed with its port (the SDK signs the name alone)', 'AuthFailure.SignatureFailure', { signedHost: '@host' }],
  ])('refuses %s with %s', async (_, code, opts) => {
    const res = await signedCall(detectAuth, 'signedHost' in opts && opts.signedHost === '@host' ? { signedHost: new URL(fake.url).host } : opts);
    expect(res.Response.Error?.Code).toBe(code);
    expect(fake.sessions).toHaveLength(0);
  });

  it('refuses the SDK with a wrong secret key or SecretId, and the adapter says only the code', async () => {
    await expect(provider({ secretKey: 'wrong' }).begin(PERSON, { returnUrl: RETURN })).rejects.toMatchObject({ name: 'FaceProviderError', code: 'AuthFailure.SignatureFailure' });
    await expect(provider({ secretId: 'AKIDother' }).begin(PERSON, { returnUrl: RETURN })).rejects.toMatchObject({ code: 'AuthFailure.SecretIdNotFound' });
    const err = await provider({ secretKey: 'wrong' }).begin(PERSON, { returnUrl: RETURN }).catch((e: Error) => e);
    expect(`${(err as Error).message} ${JSON.stringify(err)}`).not.toMatch(/wrong|王秀英|11010519491231002X/);
  });

  it('refuses another RuleId', async () => {
    await expect(provider({ ruleId: '99' }).begin(PERSON, { returnUrl: RETURN })).rejects.toMatchObject({ code: 'InvalidParameterValue.RuleIdNotExist' });
  });
});

describe('the fake FaceID’s sessions', () => {
  it('answers ErrCode null until the person finishes, then the result, as GetDetectInfoEnhanced does', async () => {
    const p = provider();
    const begun = await p.begin(PERSON, { returnUrl: RETURN });
    expect(await p.verdict(begun.id, PERSON)).toEqual({ status: 'pending' });
    fake.finish(begun.id, 0);
    expect(await p.verdict(begun.id, PERSON)).toEqual({ status: 'passed' });
  });

  it('serves a provider page whose buttons finish the session and send the browser to RedirectUrl with the BizToken', async () => {
    const begun = await provider().begin(PERSON, { returnUrl: RETURN });
    const page = await (await fetch(begun.url)).text();
    expect(page).toContain('通过');
    expect(page).toContain('（2006）');
    const res = await fetch(`${fake.url}/h5/${begun.id}/finish`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'code=2006' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${RETURN}?BizToken=${begun.id}`);
    expect(fake.sessions[0]!.result).toMatchObject({ errCode: 2006 });
  });

  it('knows only the BizTokens it issued', async () => {
    await expect(provider().verdict('6D6F3D1E-0000-0000-0000-000000000000', PERSON)).resolves.toEqual({ status: 'failed', code: 'InvalidParameterValue.BizTokenIllegal', group: 'expired' });
  });
});

describe('the adapter', () => {
  it.each([
    ['WeChat’s OAuth page', 'https://open.weixin.qq.com', true],
    ['Tencent’s H5 page', 'https://h5.faceid.qq.com', true],
    ['another site', 'https://evil.example', false],
    ['a look-alike domain', 'https://faceid.qq.com.evil.example', false],
    ['Tencent over plain http', 'http://h5.faceid.qq.com', false],
  ])('sends the browser to %s: %s', async (_, pageBase, accepted) => {
    const other = await startTestFaceId({ pageBase });
    try {
      const begin = createTencentFaceCheck({ ...TEST_FACEID, endpoint: other.url }).begin(PERSON, { returnUrl: RETURN });
      if (accepted) await expect(begin).resolves.toMatchObject({ url: expect.stringMatching(new RegExp(`^${pageBase}/h5/`)) });
      else await expect(begin).rejects.toMatchObject({ code: 'unexpected_page_origin' });
    } finally {
      await other.close();
    }
  });
});
