import { Agent, request } from 'node:http';
import Redis from 'ioredis';
import { pushSource, SCRIPT_LENGTH, stepName, type PushSource } from './load';

/**
 * Counts the Redis commands a contender sends per push by watching MONITOR while a few followers
 * send pushes in lockstep. Commands a Lua script runs inside Redis are told apart (MONITOR marks
 * them "lua") and not counted: only what crosses the network is a round trip. MONITOR slows Redis
 * down, so this runs apart from the timed phases.
 */
export interface BatchTrips {
  readonly name: string;
  /** Commands per push by name, e.g. { evalsha: 2 }. */
  readonly perPush: ReadonlyMap<string, number>;
}

export const tripsOf = (t: BatchTrips): number => [...t.perPush.values()].reduce((a, b) => a + b, 0);

type Push = { path: string; body: string };

function post(agent: Agent, port: number, push: Push): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: push.path, agent, headers: { 'content-type': 'text/xml' } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(push.body);
  });
}

/** Sends each batch (8 at a time) and counts the commands it caused, per push. */
export async function countTrips(opts: { port: number; redisUrl: string; batches: readonly { name: string; pushes: readonly Push[] }[] }): Promise<BatchTrips[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  // MONITOR first; the marker connects afterwards without a ready check, so no INFO of its own
  // reaches the monitor while ioredis still waits for the MONITOR reply.
  const watcher = new Redis(opts.redisUrl, { lazyConnect: true });
  const monitor = await watcher.monitor();
  const marker = new Redis(opts.redisUrl, { enableReadyCheck: false });
  let counts = new Map<string, number>();
  let awaited: { tag: string; resolve: () => void } | null = null;
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    const name = String(args[0] ?? '').toLowerCase();
    if (name === 'echo') {
      if (awaited && args[1] === awaited.tag) awaited.resolve();
      return;
    }
    if (source === 'lua' || name === 'monitor' || name === 'info' || name === 'client' || name === 'hello') return;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  });
  // Everything before an ECHO that MONITOR has shown is counted: Redis runs commands one at a time.
  const settle = async (tag: string) => {
    const seen = new Promise<void>((resolve) => (awaited = { tag, resolve }));
    await marker.echo(tag);
    await seen;
  };

  const out: BatchTrips[] = [];
  try {
    for (const [b, batch] of opts.batches.entries()) {
      await settle(`before-${b}`);
      counts = new Map();
      for (let i = 0; i < batch.pushes.length; i += 8) await Promise.all(batch.pushes.slice(i, i + 8).map((p) => post(agent, opts.port, p)));
      await settle(`after-${b}`);
      const n = batch.pushes.length;
      out.push({ name: batch.name, perPush: new Map([...counts].map(([k, v]) => [k, v / n])) });
    }
  } finally {
    agent.destroy();
    monitor.disconnect();
    watcher.disconnect();
    marker.disconnect();
  }
  return out;
}

const take = (source: PushSource, n: number) => Array.from({ length: n }, () => source.next());

/** The app's round trips at each step of the dialogue script. */
export function roundTripsByStep(opts: { port: number; redisUrl: string; token: string; followers: number }): Promise<BatchTrips[]> {
  const source = pushSource({ token: opts.token, followers: opts.followers, prefix: 'trips', workload: 'dialogue' });
  const batches = Array.from({ length: SCRIPT_LENGTH }, (_, step) => ({ name: stepName(step), pushes: take(source, opts.followers) }));
  return countTrips({ port: opts.port, redisUrl: opts.redisUrl, batches });
}

/** A contender's round trips for the FAQ question: a follower's first, then a repeat (as in the timed rounds). */
export function roundTripsOfFaq(opts: { port: number; redisUrl: string; token: string; followers: number; prefix: string }): Promise<BatchTrips[]> {
  const source = pushSource({ token: opts.token, followers: opts.followers, prefix: opts.prefix, workload: 'faq' });
  const first = take(source, opts.followers);
  const repeat = take(source, opts.followers);
  return countTrips({ port: opts.port, redisUrl: opts.redisUrl, batches: [{ name: 'first question', pushes: first }, { name: 'repeat', pushes: repeat }] });
}
