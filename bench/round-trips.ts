import { Agent, request } from 'node:http';
import Redis from 'ioredis';
import { pushSource, SCRIPT_LENGTH, stepName } from './load';

/**
 * Counts the Redis commands the app sends per push, step by step of the script, by watching
 * MONITOR while a few followers walk it in lockstep. Commands a Lua script runs inside Redis are
 * told apart (MONITOR marks them "lua") and not counted: only what crosses the network is a
 * round trip. MONITOR slows Redis down, so this runs apart from the timed phases.
 */
export interface StepTrips {
  readonly step: number;
  readonly name: string;
  /** Commands per push by name, e.g. { evalsha: 2 }. */
  readonly perPush: ReadonlyMap<string, number>;
}

function post(agent: Agent, port: number, push: { path: string; body: string }): Promise<void> {
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

export async function roundTripsByStep(opts: { port: number; redisUrl: string; token: string; followers: number }): Promise<StepTrips[]> {
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
    if (source === 'lua' || name === 'monitor' || name === 'info' || name === 'client') return;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  });
  // Everything before an ECHO that MONITOR has shown is counted: Redis runs commands one at a time.
  const settle = async (tag: string) => {
    const seen = new Promise<void>((resolve) => (awaited = { tag, resolve }));
    await marker.echo(tag);
    await seen;
  };

  const source = pushSource({ token: opts.token, followers: opts.followers, prefix: 'trips' });
  const out: StepTrips[] = [];
  try {
    for (let step = 0; step < SCRIPT_LENGTH; step++) {
      await settle(`before-${step}`);
      counts = new Map();
      const pushes = Array.from({ length: opts.followers }, () => source.next());
      for (let i = 0; i < pushes.length; i += 8) await Promise.all(pushes.slice(i, i + 8).map((p) => post(agent, opts.port, p)));
      await settle(`after-${step}`);
      out.push({ step, name: stepName(step), perPush: new Map([...counts].map(([k, v]) => [k, v / opts.followers])) });
    }
  } finally {
    agent.destroy();
    monitor.disconnect();
    watcher.disconnect();
    marker.disconnect();
  }
  return out;
}
