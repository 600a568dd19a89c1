import { createMemoryStore } from '../../src/store';
import { createCustomerServiceNotifier, createWechatApiClient } from '../../src/wechat-api';
import { apiSettings, closedPort, recordingLogger, startFakeWechat, type FakeWechatApi } from '../helpers/fake-wechat';

const SEND = '/cgi-bin/message/custom/send';

describe('the customer-service notifier', () => {
  let fake: FakeWechatApi;

  beforeAll(async () => {
    fake = await startFakeWechat();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  const notifier = (logger?: ReturnType<typeof recordingLogger>['logger'], base?: string) =>
    createCustomerServiceNotifier(createWechatApiClient({ settings: { ...apiSettings(fake), ...(base ? { apiBase: base } : {}) }, store: createMemoryStore() }), logger);

  it('tells the follower and reports the message sent', async () => {
    await expect(notifier().sendText('o_follower_123456', '人脸识别已通过，本年度认证完成。')).resolves.toBe('sent');
    expect(fake.customMessages).toEqual([{ touser: 'o_follower_123456', content: '人脸识别已通过，本年度认证完成。' }]);
  });

  it('reports a closed 48-hour window (45015) as an expected outcome, logged, not thrown', async () => {
    const { logger, text } = recordingLogger();
    fake.failNext(SEND, 45015, 1, 'response out of time limit or subscription is canceled');
    await expect(notifier(logger).sendText('o_follower_123456', '认证结果')).resolves.toBe('window_closed');
    expect(logger.info).toHaveBeenCalledWith(expect.objectContaining({ errcode: 45015 }), expect.any(String));
    expect(logger.error).not.toHaveBeenCalled();
    expect(text()).not.toContain('o_follower_123456');
    expect(text()).not.toContain('认证结果');
  });

  it('reports another errcode as a failure, logged as an error', async () => {
    const { logger } = recordingLogger();
    fake.failNext(SEND, 45047, 1, 'out of response count limit');
    await expect(notifier(logger).sendText('o_follower_123456', '认证结果')).resolves.toBe('failed');
    expect(logger.error).toHaveBeenCalledWith(expect.objectContaining({ errcode: 45047 }), expect.any(String));
  });

  it('reports an unreachable WeChat as worth another try instead of throwing', async () => {
    await expect(notifier(undefined, `http://127.0.0.1:${await closedPort()}`).sendText('o_follower_123456', '认证结果')).resolves.toBe('retry');
  });

  it.each([
    [-1, 'system busy', 'retry'],
    [45009, 'reach max api daily quota limit', 'retry'],
    [43004, 'require subscribe', 'not_follower'],
  ] as const)('reports errcode %d (%s) as %s', async (errcode, errmsg, outcome) => {
    fake.failNext(SEND, errcode, 1, errmsg);
    await expect(notifier().sendText('o_follower_123456', '认证结果')).resolves.toBe(outcome);
    expect(fake.customMessages).toEqual([]);
  });
});
