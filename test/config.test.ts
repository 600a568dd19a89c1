import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cycleAt } from '../src/calendar';
import { ConfigError, loadConfig } from '../src/config';

/** Values of one's own for every setting that has a public development default. */
const own = { WECHAT_TOKEN: 'abc123', WECHAT_APP_ID: 'wx1', WECHAT_APP_SECRET: 's', ID_HASH_SECRET: 'x'.repeat(32) };
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
    expect(loadConfig({ ...own, REDIS_SENTINELS: 'a:26379,b:26379', REDIS_SENTINEL_NAME: 'mymaster' }).redis).toMatchObject({ sentinels: [{ host: 'a', port: 26379 }, { host: 'b', port: 26379 }], sentinelName: 'mymaster' });
    expect(loadConfig({ ...own, REDIS_CLUSTER_NODES: 'n1:7000,n2:7001' }).redis).toMatchObject({ clusterNodes: [{ host: 'n1', port: 7000 }, { host: 'n2', port: 7001 }] });
    expect(() => loadConfig({ ...own, REDIS_SENTINELS: 'a:1' })).toThrow(/REDIS_SENTINEL_NAME/);
    expect(() => loadConfig({ ...own, REDIS_CLUSTER_NODES: 'n1:70000' })).toThrow(/REDIS_CLUSTER_NODES: "n1:70000" is not host:port/);
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
    const filled = { ...env, WECHAT_TOKEN: 'abc123', WECHAT_APP_ID: 'wx1', WECHAT_APP_SECRET: 's', ID_HASH_SECRET: 'x'.repeat(32), TENCENTCLOUD_SECRET_ID: 'AKID1', TENCENTCLOUD_SECRET_KEY: 'k', FACEID_RULE_ID: '1' };
    const c = loadConfig(filled);
    expect(c.env).toBe('production');
    expect(c.faceCheckProvider).toBe('tencent');
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

});

describe('plaintext pushes', () => {
  const key = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

  it('are refused by default once an EncodingAESKey is set; WECHAT_ALLOW_PLAINTEXT=true allows them', () => {
    expect(loadConfig({ WECHAT_ENCODING_AES_KEY: key }).wechat.allowPlaintext).toBe(false);
    expect(loadConfig({ WECHAT_ENCODING_AES_KEY: key, WECHAT_ALLOW_PLAINTEXT: 'true' }).wechat.allowPlaintext).toBe(true);
    expect(() => loadConfig({ WECHAT_ALLOW_PLAINTEXT: 'yes' })).toThrow(/WECHAT_ALLOW_PLAINTEXT/);
  });

  it('stops a start-up that still sets the removed WECHAT_REQUIRE_ENCRYPTION, saying what replaced it', () => {
    for (const value of ['true', 'false']) {
      expect(() => loadConfig({ WECHAT_ENCODING_AES_KEY: key, WECHAT_REQUIRE_ENCRYPTION: value })).toThrow(/WECHAT_REQUIRE_ENCRYPTION was removed.*WECHAT_ALLOW_PLAINTEXT/);
    }
  });
});

describe('development secrets', () => {
  const shared = { REDIS_URL: 'redis://r:6379' };

  it.each(['WECHAT_TOKEN', 'WECHAT_APP_ID', 'WECHAT_APP_SECRET', 'ID_HASH_SECRET'] as const)(
    'are refused with a shared store whatever NODE_ENV says: %s left unset stops start-up, naming it',
    (name) => {
      const env: Record<string, string> = { ...own, ...shared };
      delete env[name];
      expect(() => loadConfig(env)).toThrow(new RegExp(`${name} is not set: with a shared store`));
      expect(() => loadConfig({ ...env, NODE_ENV: 'test' })).toThrow(new RegExp(name));
    },
  );

  it('are refused when set explicitly to the public development value, with a shared store or in production', () => {
    const devHash = loadConfig({}).idHashSecret;
    expect(() => loadConfig({ ...own, ...shared, ID_HASH_SECRET: devHash })).toThrow(/ID_HASH_SECRET is the public development default/);
    expect(() => loadConfig({ ...prod, ID_HASH_SECRET: devHash })).toThrow(/ID_HASH_SECRET is the public development default/);
    expect(() => loadConfig({ ...own, REDIS_SENTINELS: 'a:1', REDIS_SENTINEL_NAME: 'm', WECHAT_TOKEN: 'devtoken' })).toThrow(/WECHAT_TOKEN/);
    expect(() => loadConfig({ ...own, REDIS_CLUSTER_NODES: 'n1:7000', WECHAT_APP_SECRET: 'dev-secret' })).toThrow(/WECHAT_APP_SECRET/);
  });

  it('still run a laptop without a shared store', () => {
    expect(loadConfig({}).defaultsUsed).toHaveLength(4);
    expect(loadConfig({ ...own, ...shared }).defaultsUsed).toEqual([]);
  });
});

describe('settings that would fail later, far from their name', () => {
  it.each([
    ['REDIS_URL', 'redis://r:port'],
    ['REDIS_URL', 'redis://[::1'],
    ['REDIS_URL', 'redis://'],
    ['PUBLIC_BASE_URL', 'https://cert.example.cn/?x=1'],
    ['PUBLIC_BASE_URL', 'https://cert.example.cn/#'],
    ['PUBLIC_BASE_URL', 'https://user:pw@cert.example.cn'],
    ['PUBLIC_BASE_URL', 'ftp://cert.example.cn'],
    ['WECHAT_API_BASE', 'ftp://x'],
    ['WECHAT_API_BASE', 'javascript:alert(1)'],
    ['FACE_CHECK_TOKEN_MINUTES', '0.0001'],
    ['FACE_CHECK_TOKEN_MINUTES', '0'],
    ['HOST', 'not a host!'],
    ['METRICS_HOST', 'http://127.0.0.1'],
    ['METRICS_PORT', '70000'],
    ['PUSH_READ_TIMEOUT_MS', '10'],
  ])('%s=%s stops start-up, naming the setting', (name, value) => {
    expect(() => loadConfig({ ...own, [name]: value })).toThrow(new RegExp(`${name}: `));
  });

  it('accepts a PUBLIC_BASE_URL with a path prefix, for a proxy that serves the app under one', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://gov.example.cn/cert/' }).publicBaseUrl).toBe('https://gov.example.cn/cert');
    expect(loadConfig({ FACE_CHECK_TOKEN_MINUTES: '1' }).cert.faceCheckTokenMs).toBe(60_000);
  });
});

describe('listeners', () => {
  it('bind loopback outside production, every interface in production, or HOST', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'test' }).host).toBe('127.0.0.1');
    expect(loadConfig(prod).host).toBe('0.0.0.0');
    expect(loadConfig({ ...prod, HOST: '10.0.0.5' }).host).toBe('10.0.0.5');
  });

  it('serve metrics apart, on 127.0.0.1:9464 unless told otherwise, or not at all with METRICS_PORT=0', () => {
    expect(loadConfig(prod).metrics).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(loadConfig({ METRICS_PORT: '0' }).metrics).toBeNull();
    expect(loadConfig({ METRICS_PORT: '9100', METRICS_HOST: '0.0.0.0' }).metrics).toEqual({ port: 9100, host: '0.0.0.0' });
    expect(() => loadConfig({ PORT: '9464' })).toThrow(/METRICS_PORT must differ from PORT/);
  });

  it('give a push body PUSH_READ_TIMEOUT_MS (3 s by default) to arrive', () => {
    expect(loadConfig({}).pushReadTimeoutMs).toBe(3000);
  });
});

describe('the face-check provider', () => {
  const tencent = { FACE_CHECK_PROVIDER: 'tencent', TENCENTCLOUD_SECRET_ID: 'AKIDexample', TENCENTCLOUD_SECRET_KEY: 'example-secret-key', FACEID_RULE_ID: '1' };

  it('is the stub in development unless told; tencent reads its settings and Tencent’s endpoint by default', () => {
    expect(loadConfig({})).toMatchObject({ faceCheckProvider: 'stub', faceId: null, faceCheckMaxAttempts: 3 });
    expect(loadConfig(tencent).faceId).toEqual({ secretId: 'AKIDexample', secretKey: 'example-secret-key', ruleId: '1', endpoint: 'https://faceid.tencentcloudapi.com' });
    expect(loadConfig({ ...prod, ...tencent }).faceCheckProvider).toBe('tencent');
  });

  it.each(['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'FACEID_RULE_ID'])('with tencent, stops start-up without %s, naming it', (name) => {
    const env: Record<string, string> = { ...tencent };
    delete env[name];
    expect(() => loadConfig(env)).toThrow(new RegExp(`FACE_CHECK_PROVIDER=tencent needs ${name}`));
  });

  it.each([
    ['FACEID_ENDPOINT', 'ftp://faceid.example'],
    ['FACEID_ENDPOINT', 'https://faceid.example/api'],
    ['FACEID_ENDPOINT', 'https://faceid.example/?x=1'],
    ['FACE_CHECK_MAX_ATTEMPTS', '0'],
    ['FACE_CHECK_MAX_ATTEMPTS', 'three'],
    ['FACEID_RULE_ID', 'rule id with spaces'],
    ['FACE_CHECK_PROVIDER', 'alipay'],
  ])('%s=%s stops start-up, naming the setting and never echoing the secret key', (name, value) => {
    let message = '';
    try {
      loadConfig({ ...tencent, [name]: value });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(new RegExp(`${name}: `));
    expect(message).not.toContain('example-secret-key');
  });

  it('takes a local fake over http in development, and refuses it in production', () => {
    expect(loadConfig({ ...tencent, FACEID_ENDPOINT: 'http://127.0.0.1:3002' }).faceId?.endpoint).toBe('http://127.0.0.1:3002');
    expect(() => loadConfig({ ...prod, ...tencent, FACEID_ENDPOINT: 'http://127.0.0.1:3002' })).toThrow(/FACEID_ENDPOINT must be https/);
  });
});
