import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compose } from '../../src/compose';
import { ConfigError, loadConfig } from '../../src/config';
import { parsePrivateKey, parsePublicKey } from '../../src/records/envelope';
import { recordsKeygen } from '../../scripts/records-keygen';

/** RECORDS_PUBLIC_KEY and friends: who needs them, and what a bad one says. */

const prod = { NODE_ENV: 'production', WECHAT_TOKEN: 'abc123', WECHAT_APP_ID: 'wx1', WECHAT_APP_SECRET: 's', ID_HASH_SECRET: 'x'.repeat(32), REDIS_URL: 'redis://127.0.0.1:9', PUBLIC_BASE_URL: 'https://cert.example.cn', FACE_CHECK_PROVIDER: 'stub' };

describe('the records settings', () => {
  it('stops a production server without RECORDS_PUBLIC_KEY, naming it, before it touches Redis', async () => {
    const config = loadConfig(prod);
    await expect(compose(config)).rejects.toThrow(ConfigError);
    await expect(compose(config)).rejects.toThrow(/RECORDS_PUBLIC_KEY is required when NODE_ENV=production/);
  });

  it('lets tools that write no records (menu:push) load the same production settings without it', () => {
    expect(loadConfig(prod).records.publicKey).toBeNull();
  });

  it.each([
    ['a key of another kind', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGVyY2F0Y2hmaXNo', /RECORDS_PUBLIC_KEY: must start with "x25519:"/],
    ['a key cut short', 'x25519:SR1SDyqJIsoBH3kXm7E68XXOAeslvsnR9WI3', /RECORDS_PUBLIC_KEY: is not a 32-byte X25519 key/],
  ])('names RECORDS_PUBLIC_KEY when it holds %s', (_, value, message) => {
    expect(() => loadConfig({ ...prod, RECORDS_PUBLIC_KEY: value })).toThrow(message);
  });

  it('keeps records a year and a half by default, and never less than a year (the mark inside says "certified" for the cycle)', () => {
    expect(loadConfig({}).records.retentionMs).toBe(550 * 24 * 3600_000);
    expect(() => loadConfig({ RECORDS_RETENTION_DAYS: '200' })).toThrow(/RECORDS_RETENTION_DAYS/);
  });
});

describe('records:keygen', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'keygen-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = recordsKeygen(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, new Date('2026-03-01T00:00:00Z'));
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('writes a one-line public key that RECORDS_PUBLIC_KEY accepts, and a private key only its owner can read', () => {
    const r = run(['--out', dir]);
    expect(r.code).toBe(0);
    const pub = readFileSync(path.join(dir, 'records-2026.pub'), 'utf8');
    expect(pub).toMatch(/^x25519:[A-Za-z0-9_-]{43}\n$/);
    expect(loadConfig({ ...prod, RECORDS_PUBLIC_KEY: pub }).records.publicKey).toBe(pub.trim());
    const key = path.join(dir, 'records-2026.key');
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(parsePrivateKey(readFileSync(key, 'utf8')).publicKey.kid).toBe(parsePublicKey(pub).kid);
    expect(r.out).toContain(`RECORDS_PUBLIC_KEY=${pub.trim()}`);
    expect(r.out).toMatch(/OFF the server/);
  });

  it('never overwrites a key pair', () => {
    expect(run(['--out', dir]).code).toBe(0);
    const before = readFileSync(path.join(dir, 'records-2026.key'), 'utf8');
    const again = run(['--out', dir]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/exists already; nothing was written/);
    expect(readFileSync(path.join(dir, 'records-2026.key'), 'utf8')).toBe(before);
  });

  it('asks for --out', () => {
    expect(run([])).toMatchObject({ code: 2, err: expect.stringContaining('--out DIR is required') });
  });
});
