import { parseArgs } from 'node:util';

/**
 * The benchmark's command line (node:util parseArgs). A number may also come from the environment
 * as BENCH_<NAME> (e.g. BENCH_DURATION=5), for CI settings; the command line wins.
 */
export const CONTENDERS = ['floor', 'floor-store', 'koa-store', 'peer', 'app'] as const;
export type Contender = (typeof CONTENDERS)[number];

export interface BenchOptions {
  /** Seconds per timed phase. */
  readonly duration: number;
  /** Seconds of warm-up per contender, before the rounds. */
  readonly warmup: number;
  readonly rounds: number;
  readonly connections: number;
  readonly followers: number;
  /** Pushes per second of the open-loop phase. */
  readonly rate: number;
  /** Full-speed phases of the app on the whole dialogue script, after the rounds (0: none). */
  readonly dialogueRounds: number;
  /** Redis's appendfsync: everysec as docker-compose.yml runs it, or always (no acknowledged write lost in a crash). */
  readonly fsync: 'everysec' | 'always';
  /** Run the app under --cpu-prof and print a summary. */
  readonly profile: boolean;
  /** Which contenders take part (default all); the app is always one. */
  readonly contenders: readonly Contender[];
  /** Extra environment for the app, e.g. LOG_LEVEL=info, to price logging or metrics. */
  readonly appEnv: Readonly<Record<string, string>>;
}

export const USAGE = `usage: npm run bench -- [--rounds 3] [--duration 8] [--warmup 2] [--connections 32] [--followers 2000]
       [--rate 500] [--dialogue-rounds 1] [--fsync everysec|always] [--profile]
       [--only floor,floor-store,koa-store,peer,app] [--app-env NAME=VALUE ...]`;

const NUMBERS = {
  duration: 8,
  warmup: 2,
  rounds: 3,
  connections: 32,
  followers: 2000,
  rate: 500,
  'dialogue-rounds': 1,
} as const;

export class UsageError extends Error {}

function number(name: keyof typeof NUMBERS, given: string | undefined, min: number): number {
  const raw = given ?? process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`];
  const value = raw === undefined ? NUMBERS[name] : Number(raw);
  if (!Number.isFinite(value) || value < min || (name !== 'duration' && name !== 'warmup' && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be a ${name === 'duration' || name === 'warmup' ? 'number' : 'whole number'} ≥ ${min}, got ${raw}`);
  }
  return value;
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        ...(Object.fromEntries(Object.keys(NUMBERS).map((k) => [k, { type: 'string' }])) as Record<keyof typeof NUMBERS, { type: 'string' }>),
        fsync: { type: 'string' },
        profile: { type: 'boolean' },
        only: { type: 'string' },
        'app-env': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) throw new UsageError('');
  const fsync = values.fsync ?? process.env.BENCH_FSYNC ?? 'everysec';
  if (fsync !== 'everysec' && fsync !== 'always') throw new UsageError(`--fsync must be everysec or always, got ${fsync}`);
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean) ?? [...CONTENDERS];
  const unknown = only.filter((c) => !(CONTENDERS as readonly string[]).includes(c));
  if (unknown.length) throw new UsageError(`--only: unknown contender ${unknown.join(', ')} (known: ${CONTENDERS.join(', ')})`);
  const appEnv: Record<string, string> = {};
  for (const pair of values['app-env'] ?? []) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new UsageError(`--app-env wants NAME=VALUE, got ${pair}`);
    appEnv[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const connections = number('connections', values.connections, 1);
  const followers = number('followers', values.followers, 1);
  // Fewer followers than pushes in flight would have one follower race itself, which is not the load WeChat sends.
  if (followers < 2 * connections) throw new UsageError(`--followers must be at least twice --connections (${connections}), got ${followers}`);
  return {
    duration: number('duration', values.duration, 1),
    warmup: number('warmup', values.warmup, 0),
    rounds: number('rounds', values.rounds, 1),
    connections,
    followers,
    rate: number('rate', values.rate, 1),
    dialogueRounds: number('dialogue-rounds', values['dialogue-rounds'], 0),
    fsync,
    profile: values.profile ?? process.env.BENCH_PROFILE === '1',
    contenders: CONTENDERS.filter((c) => c === 'app' || only.includes(c)),
    appEnv,
  };
}
