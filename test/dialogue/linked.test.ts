import { testApp, type TestApp } from '../helpers/app';
import { complete, person, toLink } from '../helpers/certify';

/**
 * A follower who writes after getting a link hears what became of it: the result once it is known,
 * or until when the link is still open. A result WeChat would not deliver starts their next reply.
 */

let t: TestApp;
beforeEach(async () => {
  // 10:00 China time, links valid 15 minutes.
  t = await testApp({ env: { FACE_CHECK_TOKEN_MINUTES: '15' } });
});
afterEach(() => t.close());

const TAIL = '为另一位老人认证请回复 1；结束请回复“退出”。';

describe('writing after the link', () => {
  it('says the link is still open, and until when (China time)', async () => {
    const f = t.follower();
    await toLink(f, person());
    t.clock.advance(5 * 60_000);
    const reply = await f.say('好的');
    expect(reply).toContain('乌***格的人脸识别还没有完成。上面的链接今天10:15前有效');
    expect(reply.endsWith(TAIL)).toBe(true);
  });

  it('tells the result once the face check passed', async () => {
    const f = t.follower();
    const { token } = await toLink(f, person());
    await complete(t, token);
    expect(await f.say('怎么样了')).toContain('乌***格的认证结果：认证成功（2026年4月15日），今年不用再认证了。');
  });

  it('tells a failed check, and how to try again', async () => {
    const f = t.follower();
    const { token } = await toLink(f, person());
    await complete(t, token, { result: 'fail' });
    expect(await f.say('好了吗')).toContain('乌***格的人脸识别没有通过。可以发送“认证”再试一次');
  });

  it('says an unused link expired, and how to start again', async () => {
    const f = t.follower();
    await toLink(f, person());
    t.clock.advance(16 * 60_000);
    expect(await f.say('好了吗')).toContain('乌***格的人脸识别链接已经过期了。请发送“认证”重新办理。');
  });

  it('answers a question first, then where the link stands', async () => {
    const f = t.follower();
    await toLink(f, person());
    const reply = await f.say('每年认证几次？');
    expect(reply).toMatch(/^问：/);
    expect(reply).toContain('链接今天10:15前有效');
  });
});

describe('a result WeChat would not deliver', () => {
  it.each(['window_closed', 'not_follower'] as const)('(%s) starts the next reply, whatever it is, and a retry of that push gets the same reply', async (outcome) => {
    const f = t.follower();
    const { token } = await toLink(f, person());
    await f.say('退出');
    t.notifier.outcome = outcome;
    await complete(t, token);
    expect(t.notifier.sent).toHaveLength(1);

    const push = { msgId: '90000000001' };
    const reply = await f.say('你好', push);
    expect(reply).toMatch(/^认证成功！\n乌\*\*\*格（养老资格认证）已于2026年4月15日完成2026年度待遇资格认证/);
    expect(reply).toContain('欢迎关注');
    expect(await f.say('你好', push)).toBe(reply);
    expect(await f.say('你好')).not.toContain('认证成功');
    // Kept, not tried again.
    expect(t.notifier.sent).toHaveLength(1);
  });

  it('waits for a reply that speaks: a silent event leaves it for the next one', async () => {
    const f = t.follower();
    const { token } = await toLink(f, person());
    await f.say('退出');
    t.notifier.outcome = 'window_closed';
    await complete(t, token, { result: 'fail' });
    expect(await f.event('VIEW', 'https://example.test/')).toBe('');
    expect(await f.event('subscribe')).toMatch(/^乌\*\*\*格的人脸识别没有通过。/);
  });
});
