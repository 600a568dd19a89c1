import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cycleAt } from '../src/calendar';
import { ConfigError, loadConfig } from '../src/config';

const prod = { NODE_ENV: 'production', WECHAT_TOKEN: 'abc123', WECHAT_APP_ID: 'wx1', WECHAT_APP_SECRET: 's', ID_HASH_SECRET: 'x'.repeat(32), REDIS_URL: 'redis://r:6379', PUBLIC_BASE_URL: 'https://cert.example.cn', FACE_CHECK_PROVIDER: 'stub' };

describe('configuration', () => {
  it('runs on a fresh machine with documented development defaults', () => {
    const c = loadConfig({}, new Date('2026-05-01T00:00:00Z'));
    expect(c.port).toBe(3000);
    expect(c.redis).toBeNull();
    expect(c.wechat.token).toBe('devtoken');
    expect(c.publicBaseUrl).toBe('http://localhost:3000');
    expect(c.cert).toMatchObject({ windowStart: '2026-03-11', windowEnd: '2026-06-30', cycle: 2026, dialogueIdleMs: 30 * 60_000, faceCheckTokenMs: 15 * 60_000 });
  });

  it.each(['WECHAT_TOKEN', 'WECHAT_APP_ID', 'WECHAT_APP_SECRET', 'ID_HASH_SECRET', 'REDIS_URL', 'PUBLIC_BASE_URL', 'FACE_CHECK_PROVIDER'])(
    'stops a production start-up without %s, naming it',
    (name) => {
      const env: Record<string, string> = { ...prod };
      delete env[name];
      expect(() => loadConfig(env)).toThrow(new RegExp(name));
    },
  );

  it('names a bad setting and what is wrong with it', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ WECHAT_ENCODING_AES_KEY: 'short' })).toThrow(/WECHAT_ENCODING_AES_KEY: must be 43/);
    expect(() => loadConfig({ CERT_WINDOW_START: '2026-02-30' })).toThrow(/CERT_WINDOW_START/);
    expect(() => loadConfig({ CERT_WINDOW_START: '2026-07-01', CERT_WINDOW_END: '2026-06-30' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(/REDIS_URL/);
  });

  it('is frozen once read', () => {
    const c = loadConfig(prod);
    expect(Object.isFrozen(c) && Object.isFrozen(c.wechat)).toBe(true);
    expect(c.wechat.apiBase).toBe('https://api.weixin.qq.com');
  });

  it('reaches Redis Sentinel and Cluster through settings', () => {
    expect(loadConfig({ REDIS_SENTINELS: 'a:26379,b:26379', REDIS_SENTINEL_NAME: 'mymaster' }).redis).toMatchObject({ sentinels: [{ host: 'a', port: 26379 }, { host: 'b', port: 26379 }], sentinelName: 'mymaster' });
    expect(loadConfig({ REDIS_CLUSTER_NODES: 'n1:7000,n2:7001' }).redis).toMatchObject({ clusterNodes: [{ host: 'n1', port: 7000 }, { host: 'n2', port: 7001 }] });
    expect(() => loadConfig({ REDIS_SENTINELS: 'a:1' })).toThrow(/REDIS_SENTINEL_NAME/);
  });

  it('refuses a production PUBLIC_BASE_URL that is not https, since links carry a token', () => {
    expect(() => loadConfig({ ...prod, PUBLIC_BASE_URL: 'http://cert.example.cn' })).toThrow(/https/);
  });

  it('says which settings were left at a development default', () => {
    expect(loadConfig({}).defaultsUsed).toEqual(['WECHAT_TOKEN', 'WECHAT_APP_ID', 'WECHAT_APP_SECRET', 'ID_HASH_SECRET']);
    expect(loadConfig(prod).defaultsUsed).toEqual([]);
  });

  it('starts from .env.example once the required values are filled in, its empty lines meaning "not set"', () => {
    const lines = readFileSync(path.join(__dirname, '..', '.env.example'), 'utf8').split('\n');
    const env = Object.fromEntries(lines.filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    const filled = { ...env, WECHAT_TOKEN: 'abc123', WECHAT_APP_ID: 'wx1', WECHAT_APP_SECRET: 's', ID_HASH_SECRET: 'x'.repeat(32) };
    const c = loadConfig(filled);
    expect(c.env).toBe('production');
    expect(c.wechat.aesKeys).toEqual([]);
    expect(c.redis).toMatchObject({ url: 'redis://redis:6379' });
  });

  it('moves a window that follows the clock into the new year, and keeps a configured one', () => {
    const started = loadConfig({}, new Date('2026-11-28T12:00:00+08:00'));
    const next = cycleAt(started.cert, Date.parse('2027-03-12T09:00:00+08:00'));
    expect(next).toMatchObject({ cycle: 2027, windowStart: '2027-03-11', windowEnd: '2027-06-30' });
    const fixed = loadConfig({ CERT_WINDOW_START: '2026-03-11', CERT_WINDOW_END: '2026-06-30' });
    expect(cycleAt(fixed.cert, Date.parse('2027-03-12T09:00:00+08:00')).cycle).toBe(2026);
  });

  it('refuses WECHAT_REQUIRE_ENCRYPTION without an EncodingAESKey', () => {
    expect(() => loadConfig({ WECHAT_REQUIRE_ENCRYPTION: 'true' })).toThrow(/WECHAT_ENCODING_AES_KEY/);
  });
});
