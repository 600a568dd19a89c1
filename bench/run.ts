import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, RedisServer } from '../test/helpers/redis-server';
import { appEnv, replyText, ROOT, startContender, type Running } from './contenders';
import { createFaqAnswerer } from './faq-answer';
import { fire, type PhaseResult } from './fire';
import { FAQ_QUESTION, pushSource, SCRIPT_LENGTH, type PushSource } from './load';
import { parseOptions, UsageError, USAGE, type Contender } from './options';
import { priced, stopAll, killAll, stopChild } from './processes';
import { formatSummary, newestProfile, summarise } from './profile';
import { constantRate } from './rate';
import { formatReport, type ContenderResult, type Priced } from './report';
import { roundTripsByStep, roundTripsOfFaq, type BatchTrips } from './round-trips';

/**
 * `npm run bench`: a real redis-server (append-only, loopback) and four contenders, each in its
 * own process (bench/contenders.ts): the bare node:http floor, the floor with the store work, the
 * co-wechat + ioredis peer, and the built app. autocannon in this process drives POST /wechat with
 * signed text pushes: the same FAQ question from each of 2 000 followers, a fresh MsgId every push.
 * Phases: a check that every contender gives the app's answer; a warm-up each; `rounds` rounds in
 * which the contenders take turns at full speed (closed loop), so a neighbour's burst on this
 * shared machine hits all alike and the medians are compared; the app on the whole dialogue
 * script; the app at a fixed rate (open loop, bench/rate.ts); then short untimed walks under
 * MONITOR that count Redis commands per push. Flags: bench/options.ts. Every phase is bounded in
 * time; nothing but 127.0.0.1 is ever sent a request. Exit 0 whether or not the targets are met;
 * 1 when the harness could not measure, 2 for a bad command line or the time budget exceeded.
 */
const TOKEN = 'benchtoken';
/** The order of the turns in a round, as the issue lists them. */
const ORDER: readonly Contender[] = ['app', 'floor', 'floor-store', 'koa-store', 'peer'];

let redis: RedisServer | null = null;
const log = (s = '') => process.stdout.write(`${s}\n`);

async function cleanup(): Promise<void> {
  await stopAll();
  await redis?.dispose();
}

/** Every contender but the bare floor must answer the question as the app does, or the comparison is void. */
async function checkSameAnswer(running: readonly Running[]): Promise<void> {
  const answers = await Promise.all(
    running.map(async (c) => {
      const source = pushSource({ token: TOKEN, followers: 1, prefix: `check-${c.id}`, workload: 'faq' });
      return { c, first: await replyText(c.port, source.next(), TOKEN), repeat: await replyText(c.port, source.next(), TOKEN) };
    }),
  );
  const app = answers.find((a) => a.c.id === 'app')!;
  if (!app.first.includes('问：')) throw new Error(`the app did not answer ${FAQ_QUESTION} with an FAQ entry: ${app.first.slice(0, 120)}`);
  for (const a of answers) {
    if (a.c.id === 'floor') continue;
    for (const [which, text] of [['first', a.first], ['repeat', a.repeat]] as const) {
      if (text !== app.first) throw new Error(`${a.c.label} answers the ${which} question differently from the app:\n  ${text.slice(0, 160)}\n  app: ${app.first.slice(0, 160)}`);
    }
  }
}

/**
 * What the answer itself costs (match + wording), timed in this process before any load: the part
 * of every contender's CPU per push that is not HTTP, XML or the store.
 */
function faqAnswerMicros(env: Record<string, string>): number {
  const faq = createFaqAnswerer(env);
  for (let i = 0; i < 200; i++) faq.answer(FAQ_QUESTION);
  const times = 2000;
  const start = process.hrtime.bigint();
  for (let i = 0; i < times; i++) faq.answer(FAQ_QUESTION);
  return Number(process.hrtime.bigint() - start) / 1000 / times;
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const n = opts.contenders.length;
  const phases = n * opts.warmup + (n * opts.rounds + opts.dialogueRounds + 1) * opts.duration;
  // The whole run is bounded: whatever happens, everything is stopped after this.
  setTimeout(() => {
    process.stderr.write('bench: time budget exceeded, stopping\n');
    killAll();
    void redis?.dispose().finally(() => process.exit(2));
  }, (phases + 120) * 1000).unref();

  const loadAtStart = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  redis = await RedisServer.launch({ appendfsync: opts.fsync });
  const profileDir = path.join(ROOT, 'artifacts', 'profiles');
  if (opts.profile) mkdirSync(profileDir, { recursive: true });
  const env = appEnv({ redisUrl: redis.url, token: TOKEN, extra: {} });
  const running: Running[] = [];
  for (const id of opts.contenders) {
    const own = id === 'app' ? { ...env, ...opts.appEnv } : env;
    const nodeArgs = id === 'app' && opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    running.push(await startContender(id, await freePort(), own, nodeArgs));
  }
  const app = running.find((c) => c.id === 'app')!;
  await checkSameAnswer(running);
  const answerMicros = faqAnswerMicros(env);

  const cpu = os.cpus();
  log(`bench: POST /wechat, signed plaintext text pushes: "${FAQ_QUESTION}" from each of ${opts.followers} followers, a fresh MsgId every push; ` +
    `${opts.rounds} rounds of ${opts.duration} s per contender after ${opts.warmup} s warm-up; ${opts.connections} connections`);
  log(`machine: ${cpu.length} × ${cpu[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ` +
    `redis-server appendonly=yes appendfsync=${opts.fsync}; generator, contenders and Redis share the machine, loopback only; load average at start ${loadAtStart}`);
  if (Object.keys(opts.appEnv).length) log(`app env: ${Object.entries(opts.appEnv).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  log(`every contender but the bare floor gives the app's answer to the question (checked); the answer alone (FAQ match + wording) costs ${answerMicros.toFixed(0)} µs in this process`);

  const sources = new Map<Contender, PushSource>(running.map((c) => [c.id, pushSource({ token: TOKEN, followers: opts.followers, prefix: c.id, workload: 'faq' })]));
  const measure = (c: Running, source: PushSource, seconds: number): Promise<Priced> => {
    const pids = { server: c.child.pid, ...(c.usesRedis ? { redis: redis!.pid } : {}) };
    return priced(pids, (): Promise<PhaseResult> => fire(c.port, source, seconds, opts.connections));
  };
  if (opts.warmup > 0) for (const c of running) await fire(c.port, sources.get(c.id)!, opts.warmup, opts.connections);
  const rounds = new Map<Contender, Priced[]>(running.map((c) => [c.id, []]));
  for (let r = 0; r < opts.rounds; r++) {
    for (const id of ORDER) {
      const c = running.find((x) => x.id === id);
      if (c) rounds.get(id)!.push(await measure(c, sources.get(id)!, opts.duration));
    }
    log(`round ${r + 1} of ${opts.rounds} done`);
  }
  const dialogue: Priced[] = [];
  const script = pushSource({ token: TOKEN, followers: opts.followers, prefix: 'script', workload: 'dialogue' });
  for (let r = 0; r < opts.dialogueRounds; r++) dialogue.push(await measure(app, script, opts.duration));
  const rate = await constantRate({ port: app.port, rate: opts.rate, seconds: opts.duration, source: pushSource({ token: TOKEN, followers: opts.followers, prefix: 'rate', workload: 'faq' }) });

  const counted = async (what: string, run: () => Promise<BatchTrips[]>) =>
    run().catch((err: Error) => {
      process.stderr.write(`round trips of ${what} not counted: ${err.message}\n`);
      return [];
    });
  const results: ContenderResult[] = [];
  for (const c of running) {
    const trips = c.usesRedis ? await counted(c.label, () => roundTripsOfFaq({ port: c.port, redisUrl: redis!.url, token: TOKEN, followers: 100, prefix: `trips-${c.id}` })) : [];
    results.push({ id: c.id, label: c.label, rounds: rounds.get(c.id)!, trips });
  }
  const dialogueTrips = opts.dialogueRounds > 0 ? await counted(`the ${SCRIPT_LENGTH}-push script`, () => roundTripsByStep({ port: app.port, redisUrl: redis!.url, token: TOKEN, followers: 100 })) : [];

  log();
  for (const line of formatReport({ contenders: results, dialogue, rate, rateTarget: opts.rate, dialogueTrips })) log(line);
  const appExit = await stopChild(app.child);
  log(`app exit: ${appExit} after SIGTERM; load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if (opts.profile) {
    const file = newestProfile(profileDir);
    if (file) log(`\n${file}\n${formatSummary(summarise(file, 30))}`);
  }
  await cleanup();
  process.exit(0);
}

process.on('SIGINT', () => void cleanup().finally(() => process.exit(130)));
main().catch(async (err: Error) => {
  if (err instanceof UsageError) process.stderr.write(`${err.message ? `bench: ${err.message}\n` : ''}${USAGE}\n`);
  else process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`);
  await cleanup();
  process.exit(err instanceof UsageError ? (err.message ? 2 : 0) : 1);
});
