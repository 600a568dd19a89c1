import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePort, RedisServer } from '../test/helpers/redis-server';
import { isGoodReply, pushSource, SCRIPT_LENGTH, type PushSource } from './load';
import { formatSummary, newestProfile, summarise } from './profile';
import { constantRate, percentile } from './rate';
import { roundTripsByStep } from './round-trips';

/**
 * `npm run bench`: a real redis-server (append-only, loopback), the built app, and the floor
 * (bench/floor.ts), each in its own process; autocannon in this one drives POST /wechat with
 * signed text pushes of thousands of followers. Every phase is bounded in time; nothing but
 * 127.0.0.1 is ever sent a request. Flags (or env): --duration 10 (BENCH_DURATION, s per phase),
 * --warmup 3, --rounds 2, --connections 50, --followers 2000, --rate 500, --profile (app under --cpu-prof,
 * summary printed), --fsync=always (Redis fsyncs every write; default everysec), --strict (exit 1
 * when a target is missed).
 * Phases: floor and app at full speed in turns, `rounds` times each (autocannon, closed loop), the
 * app at a fixed rate (open loop, bench/rate.ts), then a short untimed walk under MONITOR that
 * counts round trips.
 */

const TOKEN = 'benchtoken';
/** dist/bench → the repository. */
const ROOT = path.resolve(__dirname, '..', '..');

function option(name: string, fallback: number): number {
  const i = process.argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  const raw = i === -1 ? process.env[`BENCH_${name.toUpperCase()}`] : process.argv[i]!.includes('=') ? process.argv[i]!.split('=')[1] : process.argv[i + 1];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got ${raw}`);
  return value;
}
const flag = (name: string) => process.argv.includes(`--${name}`) || process.env[`BENCH_${name.toUpperCase()}`] === '1';

const opts = {
  duration: option('duration', 10),
  warmup: option('warmup', 3),
  connections: option('connections', 50),
  followers: option('followers', 2000),
  rate: option('rate', 500),
  rounds: option('rounds', 2),
  /** Redis's appendfsync: everysec as docker-compose.yml runs it, or always (no acknowledged write lost in a crash). */
  fsync: process.argv.includes('--fsync=always') || process.env.BENCH_FSYNC === 'always' ? ('always' as const) : ('everysec' as const),
  profile: flag('profile'),
  strict: flag('strict'),
};

const children: ChildProcess[] = [];
let redis: RedisServer | null = null;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startNode(script: string, env: Record<string, string>, nodeArgs: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeArgs, script], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  children.push(child);
  return child;
}

function get(port: number, pathname: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: pathname, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

async function waitFor(child: ChildProcess, port: number, pathname: string, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await get(port, pathname)) !== 200) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode} at start`);
    if (Date.now() > deadline) throw new Error(`${what} did not become ready on port ${port}`);
    await sleep(100);
  }
}

interface PhaseResult {
  readonly result: autocannon.Result;
  readonly good: number;
  readonly bad: number;
}

function fire(port: number, source: PushSource, duration: number, connections: number, overallRate?: number): Promise<PhaseResult> {
  let good = 0;
  let bad = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections,
        duration,
        timeout: 5, // WeChat's deadline: a slower answer counts as an error
        ...(overallRate ? { overallRate } : {}),
        requests: [
          {
            setupRequest: (req) => {
              const p = source.next();
              return { ...req, method: 'POST', path: p.path, body: p.body, headers: { 'content-type': 'text/xml' } };
            },
            onResponse: (status, body) => {
              if (isGoodReply(status, body)) good++;
              else bad++;
            },
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve({ result, good, bad })),
    );
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc; 0 where there is no /proc. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Runs a phase and prices it in CPU time of each process: steadier than req/s on a busy machine. */
async function priced<T extends { good: number; bad: number } | { sent: number }>(pids: Record<string, number | undefined>, run: () => Promise<T>): Promise<T & { cpu: Record<string, number> }> {
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
  const out = await run();
  const cpu = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid) - before[k]!]));
  return { ...out, cpu };
}

const errorsOf = (p: PhaseResult) => p.result.errors + p.result.non2xx + p.bad;
const rps = (p: PhaseResult) => (p.good + p.bad) / p.result.duration;

async function stopChild(child: ChildProcess, ms = 15_000): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

async function cleanup(): Promise<void> {
  await Promise.all(children.map((c) => stopChild(c, 5000)));
  await redis?.dispose();
}

async function main(): Promise<void> {
  const phases = (2 * opts.rounds + 1) * opts.duration + 2 * opts.warmup;
  // The whole run is bounded: whatever happens, everything is stopped after this.
  setTimeout(() => {
    process.stderr.write('bench: time budget exceeded, stopping\n');
    for (const c of children) c.kill('SIGKILL');
    void redis?.dispose().finally(() => process.exit(2));
  }, (phases + 90) * 1000).unref();

  const loadAtStart = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  redis = await RedisServer.launch({ appendfsync: opts.fsync });
  const appPort = await freePort();
  const floorPort = await freePort();
  const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
  const profileDir = path.join(ROOT, 'artifacts', 'profiles');
  if (opts.profile) mkdirSync(profileDir, { recursive: true });

  const floorServer = startNode(path.join(__dirname, 'floor.js'), { PORT: String(floorPort), WECHAT_TOKEN: TOKEN });
  const app = startNode(
    path.join(ROOT, 'dist', 'src', 'main.js'),
    {
      NODE_ENV: 'production',
      PORT: String(appPort),
      LOG_LEVEL: 'warn',
      REDIS_URL: redis.url,
      WECHAT_TOKEN: TOKEN,
      WECHAT_APP_ID: 'wxbench0000000001',
      WECHAT_APP_SECRET: 'bench-secret',
      WECHAT_API_BASE: 'http://127.0.0.1:9',
      PUBLIC_BASE_URL: 'https://cert.example.test',
      FACE_CHECK_PROVIDER: 'stub',
      ID_HASH_SECRET: 'bench-id-hash-secret-0123456789',
      CERT_WINDOW_START: `${year}-01-01`,
      CERT_WINDOW_END: `${year}-12-31`,
    },
    opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  );
  await waitFor(floorServer, floorPort, '/healthz', 'the floor server');
  await waitFor(app, appPort, '/readyz', 'the app');

  const log = (s: string) => process.stdout.write(`${s}\n`);
  const cpu = os.cpus();
  log(`bench: POST /wechat, signed plaintext text pushes; ${opts.followers} followers walking a ${SCRIPT_LENGTH}-push script; ` +
    `${opts.duration} s per phase after ${opts.warmup} s warm-up; ${opts.connections} connections`);
  log(`machine: ${cpu.length} × ${cpu[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ` +
    `redis-server appendonly=yes appendfsync=${opts.fsync}; generator, app, floor and Redis share the machine, loopback only`);

  // Floor and app take turns, so a neighbour's burst on this shared machine hits both alike;
  // the medians of the rounds are reported.
  const floorSource = pushSource({ token: TOKEN, followers: opts.followers, prefix: 'floor' });
  const appSource = pushSource({ token: TOKEN, followers: opts.followers, prefix: 'max' });
  await fire(floorPort, floorSource, opts.warmup, opts.connections);
  await fire(appPort, pushSource({ token: TOKEN, followers: opts.followers, prefix: 'warm' }), opts.warmup, opts.connections);
  const floors: Awaited<ReturnType<typeof measureFloor>>[] = [];
  const apps: Awaited<ReturnType<typeof measureApp>>[] = [];
  function measureFloor() {
    return priced({ floor: floorServer.pid }, () => fire(floorPort, floorSource, opts.duration, opts.connections));
  }
  function measureApp() {
    return priced({ app: app.pid, redis: redis!.pid }, () => fire(appPort, appSource, opts.duration, opts.connections));
  }
  for (let r = 0; r < opts.rounds; r++) {
    floors.push(await measureFloor());
    apps.push(await measureApp());
  }
  const appRate = await constantRate({ port: appPort, rate: opts.rate, seconds: opts.duration, source: pushSource({ token: TOKEN, followers: opts.followers, prefix: 'rate' }) });
  const trips = await roundTripsByStep({ port: appPort, redisUrl: redis.url, token: TOKEN, followers: 100 }).catch((err: Error) => {
    process.stderr.write(`round trips not counted: ${err.message}\n`);
    return [];
  });

  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const mid = s.length >> 1;
    return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  };
  const floorRps = median(floors.map(rps));
  const appRps = median(apps.map(rps));
  const ratio = appRps / floorRps;
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const rateP50 = percentile(appRate.latencies, 50);
  const rateP99 = percentile(appRate.latencies, 99);
  const rateRps = appRate.sent / appRate.seconds;
  const row = (name: string, r: number, p50: number, p99: number, errors: number) =>
    `  ${name.padEnd(34)} ${r.toFixed(0).padStart(7)} req/s   p50 ${ms(p50).padStart(8)}   p99 ${ms(p99).padStart(8)}   errors ${errors}`;
  log('');
  floors.forEach((f, r) => log(row(`floor (node:http, no store) #${r + 1}`, rps(f), f.result.latency.p50, f.result.latency.p99, errorsOf(f))));
  apps.forEach((a, r) => log(row(`app (Koa + Redis) #${r + 1}`, rps(a), a.result.latency.p50, a.result.latency.p99, errorsOf(a))));
  log(row(`app at a fixed ${opts.rate} req/s`, rateRps, rateP50, rateP99, appRate.errors));
  log('  (max: autocannon, closed loop, whole-ms latencies; fixed rate: open loop, latency from when each push was due)');
  log('');
  const allErrors = [...floors, ...apps].reduce((s, p) => s + errorsOf(p), 0) + appRate.errors;
  const ok = { ratio: ratio >= 0.5, p99: rateP99 <= 50, errors: allErrors === 0 };
  const mark = (b: boolean) => (b ? 'met' : 'MISSED');
  log(`floor:     ${floorRps.toFixed(0)} req/s (median of ${floors.length} rounds)`);
  log(`app:       ${appRps.toFixed(0)} req/s (median of ${apps.length} rounds)`);
  log(`ratio:     ${ratio.toFixed(2)} of the floor (target ≥ 0.5: ${mark(ok.ratio)})`);
  log(`at ${opts.rate}/s:  p50 ${ms(rateP50)}, p99 ${ms(rateP99)}, max ${ms(appRate.latencies.at(-1) ?? NaN)} (target p99 ≤ 50 ms: ${mark(ok.p99)})`);
  const perPush = (xs: number[]) => `${(median(xs) * 1e6).toFixed(0)} µs`;
  log(`cpu/push:  floor ${perPush(floors.map((f) => f.cpu.floor! / (f.good + f.bad)))}, ` +
    `app ${perPush(apps.map((a) => a.cpu.app! / (a.good + a.bad)))} + redis ${perPush(apps.map((a) => a.cpu.redis! / (a.good + a.bad)))} ` +
    `(medians; CPU time per push at full speed, steadier than req/s on a shared machine; load average at start ${loadAtStart})`);
  log(`errors:    ${allErrors} (connection errors, answers slower than 5 s, non-2xx, 系统繁忙 replies; target 0: ${mark(ok.errors)})`);
  log('redis round trips per push, by step of the script (Lua-internal commands not counted):');
  for (const t of trips) {
    const total = [...t.perPush.values()].reduce((a, b) => a + b, 0);
    const detail = [...t.perPush].map(([c, n]) => `${c} ${n.toFixed(2)}`).join(', ');
    log(`  ${String(t.step).padStart(2)}  ${total.toFixed(2)}  ${detail.padEnd(36)} ${t.name}`);
  }
  const mean = trips.reduce((sum, t) => sum + [...t.perPush.values()].reduce((a, b) => a + b, 0), 0) / trips.length;
  log(`  mean over the script: ${mean.toFixed(2)} (the ID and confirm steps read the certification record by design; confirm also stores the face-check link)`);

  const appExit = await stopChild(app);
  log(`app exit:  ${appExit} after SIGTERM`);
  if (opts.profile) {
    const file = newestProfile(profileDir);
    if (file) log(`\n${file}\n${formatSummary(summarise(file, 30))}`);
  }
  await cleanup();
  process.exit(opts.strict && !(ok.ratio && ok.p99 && ok.errors) ? 1 : 0);
}

process.on('SIGINT', () => void cleanup().finally(() => process.exit(130)));
main().catch(async (err: Error) => {
  process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`);
  await cleanup();
  process.exit(1);
});
