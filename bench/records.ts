import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import { officeKeys } from '../test/helpers/records';
import { RedisServer } from '../test/helpers/redis-server';
import { seedRecords } from './records-seed';

/**
 * `npm run bench:records [-- --count 10000]`: seeds a redis-server of its own (loopback) with
 * `count` sealed records, then runs the built `records:export` to CSV and to xlsx as the office
 * would, each in its own process under /usr/bin/time -v when it exists: wall time and peak memory.
 */
const ROOT = path.resolve(__dirname, '..', '..');

async function main(): Promise<void> {
  const at = process.argv.indexOf('--count');
  const count = Math.min(100_000, Math.max(1, Number(at > 0 ? process.argv[at + 1] : 10_000) || 10_000));
  const server = await RedisServer.launch();
  const keys = officeKeys();
  try {
    const redis = new Redis(server.url);
    const seeded = Date.now();
    await seedRecords(redis, 'pcw:', 2026, count, keys.publicLine);
    redis.disconnect();
    console.log(`seeded ${count} sealed records in ${((Date.now() - seeded) / 1000).toFixed(1)} s (sealing included)`);
    const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
    for (const format of ['csv', 'xlsx'] as const) {
      const out = path.join(keys.dir, `all.${format}`);
      const cli = [path.join(ROOT, 'dist', 'scripts', 'records-export.js'), '--key', keys.keyFile, '--cycle', '2026', '--out', out];
      const started = process.hrtime.bigint();
      const run = timeBin ? spawnSync(timeBin, ['-v', process.execPath, ...cli], { env: { ...process.env, REDIS_URL: server.url }, encoding: 'utf8', timeout: 300_000 })
        : spawnSync(process.execPath, cli, { env: { ...process.env, REDIS_URL: server.url }, encoding: 'utf8', timeout: 300_000 });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (run.status !== 0) throw new Error(`export failed: ${run.stderr}`);
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr)?.[1];
      console.log(`${format.padEnd(4)} ${count} rows: ${seconds.toFixed(1)} s wall (process start included), peak RSS ${rss ? `${(Number(rss) / 1024).toFixed(0)} MiB` : 'n/a'}, file ${(statSync(out).size / 1024).toFixed(0)} KiB`);
    }
  } finally {
    await server.dispose();
    rmSync(keys.dir, { recursive: true, force: true });
  }
}

void main().catch((err: Error) => {
  console.error(err.message);
  process.exitCode = 1;
});
