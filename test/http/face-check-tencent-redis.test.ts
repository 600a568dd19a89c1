import Redis from 'ioredis';
import { appOn, person, toLink, type AppOnStore } from '../helpers/certify';
import { faceIdEnv, lastSession, returnFrom, startTestFaceId, tapStart, type FakeFaceId } from '../helpers/fake-faceid';
import { REDIS_URL, describeRedis } from '../helpers/redis';

/**
 * The provider flow's writes on a real Redis: a failure is counted once however many tabs come
 * back with it, a pass tells the follower once, and what is kept lives as long as the flow needs.
 */
describeRedis('the provider flow on a real Redis', () => {
  let fake: FakeFaceId;
  let app: AppOnStore;
  beforeAll(async () => {
    fake = await startTestFaceId();
  });
  afterAll(() => fake.close());
  beforeEach(async () => {
    fake.reset();
    app = await appOn('redis', { env: faceIdEnv(fake) });
  });
  afterEach(() => app.close());

  async function started() {
    const p = person();
    const { token } = await toLink(app.t.follower(), p);
    expect((await tapStart(app.t, token)).status).toBe(303);
    return { p, token, session: lastSession(fake) };
  }

  it('counts one failure when two tabs come back with the same failed session at once', async () => {
    const { token, session } = await started();
    fake.finish(session.bizToken, 1201);
    const both = await Promise.all([returnFrom(app.t, token, { BizToken: session.bizToken }), returnFrom(app.t, token, { BizToken: session.bizToken })]);
    for (const res of both) expect(res.text).toContain('今天还可以再试 2 次');
    const failures = [...(await app.values()).entries()].filter(([k]) => k.startsWith('fcfail:'));
    expect(failures.map(([, v]) => v)).toEqual(['1']);
  });

  it('tells the follower once when two tabs come back with the same pass at once', async () => {
    const { token, session } = await started();
    fake.finish(session.bizToken, 0);
    const both = await Promise.all([returnFrom(app.t, token, { BizToken: session.bizToken }), returnFrom(app.t, token, { BizToken: session.bizToken })]);
    for (const res of both) expect(res.text).toContain('认证成功');
    expect(app.t.notifier.sent).toHaveLength(1);
  });

  it('keeps a started link for the session’s life and a day, and a day’s failures for two days', async () => {
    const { token, session } = await started();
    fake.finish(session.bizToken, 1005);
    await returnFrom(app.t, token, { BizToken: session.bizToken });
    const { prefix } = app.t.store as typeof app.t.store & { prefix: string };
    const redis = new Redis(REDIS_URL!);
    try {
      const link = app.t.rt.layout.link(token.slice(0, 20), token).key;
      const [failKey] = await redis.keys(`${prefix}fcfail:*`);
      const linkTtl = await redis.pttl(prefix + link);
      expect(linkTtl).toBeGreaterThan(2 * 3600_000 + 23 * 3600_000);
      expect(linkTtl).toBeLessThanOrEqual(2 * 3600_000 + 24 * 3600_000);
      expect(await redis.pttl(failKey!)).toBeGreaterThan(47 * 3600_000);
    } finally {
      redis.disconnect();
    }
  });
});
