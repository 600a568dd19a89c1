import { loadConfig, type Config } from '../../src/config';
import { TEST_AES_KEY, TEST_APP_ID, TEST_PREVIOUS_AES_KEY, TEST_TOKEN } from './push';

/** A config as tests want it: the test account's token, app id and both AES keys, quiet logs. */
export function testConfig(overrides: Record<string, string> = {}, now = new Date()): Config {
  return loadConfig(
    {
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
      ...overrides,
    },
    now,
  );
}
