import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startFakeWechatApi, type FakeWechatApi, type FakeWechatApiOptions } from '../../src/dev/fake-wechat-api';
import type { ApiSettings } from '../../src/wechat-api';

export { startFakeWechatApi, TEMPLATE_FIELD_MAX_CHARS, type CustomMessage, type FakeWechatApi, type FakeWechatApiOptions, type RecordedRequest, type TemplateMessage } from '../../src/dev/fake-wechat-api';

export const TEST_APP_ID = 'wxtest0000000001';
export const TEST_APP_SECRET = 'test-secret-never-logged';

/** A fake WeChat API that checks the test credentials. */
export function startFakeWechat(opts: FakeWechatApiOptions = {}): Promise<FakeWechatApi> {
  return startFakeWechatApi({ appId: TEST_APP_ID, appSecret: TEST_APP_SECRET, ...opts });
}

/** Client settings pointing at `fake`, with the test credentials. */
export function apiSettings(fake: FakeWechatApi, overrides: Partial<ApiSettings> = {}): ApiSettings {
  return { apiBase: fake.url, appId: TEST_APP_ID, appSecret: TEST_APP_SECRET, tokenMode: 'stable', apiTimeoutMs: 2000, ...overrides };
}

/** A logger that keeps every call's arguments, to check what would have been written. */
export function recordingLogger(): { logger: { debug: jest.Mock; info: jest.Mock; warn: jest.Mock; error: jest.Mock }; text(): string } {
  const logger = { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };
  const text = () =>
    JSON.stringify(
      Object.values(logger).flatMap((m) => m.mock.calls),
      (_k, v: unknown) => (v instanceof Error ? { message: v.message, cause: String(v.cause) } : v),
    );
  return { logger, text };
}

/** A loopback port nothing listens on (taken and released), for "WeChat is unreachable". */
export async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
