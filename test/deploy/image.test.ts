import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnv, promisify } from 'node:util';
import { z } from 'zod';
import { parseDockerfile, replayStage, type Replayed } from '../helpers/dockerfile';
import { REDIS_URL } from '../helpers/redis';
import { findExecutable, freePort, NO_REDIS_SERVER } from '../helpers/redis-server';
import { describeUnless } from '../helpers/skip';
import { generateRecordsKeyPair } from '../../src/records/envelope';

/**
 * No Docker engine runs here, so the Dockerfile is replayed (test/helpers/dockerfile.ts): the build
 * stage builds from exactly what it copies, and the final stage's files alone start the service in
 * production mode, configured as README's "Deploying" says (.env.example filled in), against a real
 * Redis. Takes about half a minute: most of it is the build stage's `npm ci` (from npm's cache).
 */
const ROOT = path.resolve(__dirname, '..', '..');
const stages = parseDockerfile(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
const pkg = z.object({ devDependencies: z.record(z.string(), z.string()).default({}) }).parse(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')));

const missing = !findExecutable('npm')
  ? 'no npm on PATH to run the build stage'
  : !REDIS_URL
    ? `the production image needs Redis: REDIS_URL is not set and there is ${NO_REDIS_SERVER}`
    : null;

/** What the build machine gives a RUN line: a PATH, a home with npm's cache; not the test's NODE_ENV or npm_* variables. */
const buildEnv = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: process.env.HOME ?? os.homedir(),
  npm_config_prefer_offline: 'true',
  npm_config_update_notifier: 'false',
};

const exec = promisify(execFile);
const scratch: string[] = [];
const tmp = (name: string) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), `image-${name}-`));
  scratch.push(dir);
  return dir;
};

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describeUnless(missing, 'the Docker image, replayed without a Docker engine', () => {
  const replayed = new Map<string, Replayed>();
  let final: Replayed;

  beforeAll(async () => {
    for (const [i, stage] of stages.entries()) {
      const done = await replayStage(stage, { context: ROOT, dir: tmp(stage.name ?? `stage${i}`), earlier: replayed, baseEnv: buildEnv, runTimeoutMs: 240_000 });
      replayed.set(stage.name ?? String(i), done);
      final = done;
    }
  }, 300_000);
  afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('builds with exactly what the build stage copies', () => {
    const runs = [...replayed.values()].slice(0, -1).flatMap((s) => s.runs);
    expect(runs.length).toBeGreaterThan(0);
    for (const r of runs) expect({ command: r.command, code: r.code, output: r.code === 0 ? '' : r.output }).toEqual({ command: r.command, code: 0, output: '' });
  });

  it('leaves the benchmark, the test helpers, the development fakes and the dev dependencies out of the final stage', () => {
    const files = filesUnder(final.dir).filter((f) => !f.startsWith(`node_modules${path.sep}`));
    expect(files).toContain(path.join('dist', 'src', 'main.js'));
    expect(files.filter((f) => /(^|\/)(bench|test|dev)\//.test(f.split(path.sep).join('/')) || f.endsWith('.ts'))).toEqual([]);
    const devOnly = Object.keys(pkg.devDependencies).filter((name) => existsSync(path.join(final.dir, 'node_modules', name)));
    expect(devOnly).toEqual([]);
  });

  it('starts from the final stage alone in production mode: /healthz, /readyz and the HEALTHCHECK answer, SIGTERM stops it', async () => {
    const port = await freePort();
    // README's Deploying: .env.example, filled in. WeChat's API is pointed at a closed loopback port.
    const env: Record<string, string> = {
      ...parseEnv(readFileSync(path.join(ROOT, '.env.example'), 'utf8')),
      WECHAT_TOKEN: 'imagetoken',
      WECHAT_APP_ID: 'wx00image0000test',
      WECHAT_APP_SECRET: 'image-test-secret',
      ID_HASH_SECRET: 'image-test-id-hash-secret',
      // The office's public key, as `npm run records:keygen` prints it.
      RECORDS_PUBLIC_KEY: generateRecordsKeyPair().publicLine,
      TENCENTCLOUD_SECRET_ID: 'AKIDimagetest',
      TENCENTCLOUD_SECRET_KEY: 'image-test-faceid-key',
      FACEID_RULE_ID: '1',
      WECHAT_API_BASE: 'http://127.0.0.1:9',
      REDIS_URL: REDIS_URL!,
      REDIS_KEY_PREFIX: `image-test-${process.pid}:`,
      ...final.env,
      PORT: String(port),
      PATH: buildEnv.PATH,
    };
    expect(env.NODE_ENV).toBe('production');
    const [bin, ...args] = final.cmd ?? [];
    expect(bin).toBe('node');
    const child = spawn(process.execPath, args, { cwd: final.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    try {
      expect({ healthz: await firstAnswer(child, `http://127.0.0.1:${port}/healthz`), output }).toMatchObject({ healthz: 200 });
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      expect(final.healthcheck).not.toBeNull();
      await expect(exec('sh', ['-c', final.healthcheck!], { cwd: final.dir, env, timeout: 10_000 })).resolves.toBeDefined();
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      expect((await exited)[0]).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

/** The status of the first answer at `url`, polling while the server starts (bounded: 20 s), or 0 if it exited. */
async function firstAnswer(child: ChildProcess, url: string): Promise<number> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && child.exitCode === null) {
    const status = await fetch(url).then((r) => r.status, () => null);
    if (status !== null) return status;
    await new Promise((r) => setTimeout(r, 100));
  }
  return 0;
}
