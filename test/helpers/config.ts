import { loadConfig, type Config } from '../../src/config';
import { TEST_AES_KEY, TEST_APP_ID, TEST_PREVIOUS_AES_KEY, TEST_TOKEN } from './push';

/**
 * A config as tests want it: the test account's token, app id and both AES keys, quiet logs, and
 * no development secret (so REDIS_URL may be added). The account is mid switch-over
 * (WECHAT_ALLOW_PLAINTEXT=true) so that suites can speak plaintext and read replies directly;
 * the tests of the default — plaintext refused whenever a key is set — pass
 * `{ WECHAT_ALLOW_PLAINTEXT: '' }` (empty means not set, as in .env).
 */
export function testConfig(overrides: Record<string, string> = {}, now = new Date()): Config {
  return loadConfig({ ...TEST_ENV, ...overrides }, now);
}

/** The environment behind `testConfig`, for a command that reads its own (`npm run reminders`). */
export const TEST_ENV: Readonly<Record<string, string>> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  WECHAT_TOKEN: TEST_TOKEN,
  WECHAT_APP_ID: TEST_APP_ID,
  WECHAT_APP_SECRET: 'test-secret',
  WECHAT_ENCODING_AES_KEY: TEST_AES_KEY,
  WECHAT_ENCODING_AES_KEY_PREVIOUS: TEST_PREVIOUS_AES_KEY,
  WECHAT_API_BASE: 'http://127.0.0.1:9',
  PUBLIC_BASE_URL: 'https://cert.example.test',
  ID_HASH_SECRET: 'test-id-hash-secret-0123456789',
  WECHAT_ALLOW_PLAINTEXT: 'true',
};
