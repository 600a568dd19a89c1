import { Agent, request } from 'node:http';
import { isGoodReply, type PushSource } from './load';

/**
 * An open-loop generator at a fixed rate: push i is due at start + i/rate and its latency is
 * counted from when it was due, not from when it went out, so a stall on either side shows in the
 * percentiles (no coordinated omission). autocannon's own rate limit sends each second's budget
 * back to back at the start of the second, which measures a burst rather than a steady rate.
 */
export interface RateResult {
  readonly sent: number;
  readonly good: number;
  readonly errors: number;
  readonly seconds: number;
  /** Milliseconds, sorted. */
  readonly latencies: readonly number[];
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function constantRate(opts: { port: number; rate: number; seconds: number; source: PushSource; timeoutMs?: number }): Promise<RateResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round(opts.rate * opts.seconds);
  const latencies: number[] = [];
  let good = 0;
  let errors = 0;
  let sent = 0;
  const start = performance.now();
  const pending = new Set<Promise<void>>();

  const one = (due: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const push = opts.source.next();
      const req = request(
        { host: '127.0.0.1', port: opts.port, method: 'POST', path: push.path, agent, headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(push.body) } },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => {
            latencies.push(performance.now() - due);
            if (isGoodReply(res.statusCode ?? 0, body)) good++;
            else errors++;
            resolve();
          });
        },
      );
      req.setTimeout(opts.timeoutMs ?? 5000, () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(push.body);
    });

  while (sent < total) {
    const now = performance.now();
    while (sent < total && start + (sent * 1000) / opts.rate <= now) {
      const p = one(start + (sent * 1000) / opts.rate);
      pending.add(p);
      void p.then(() => pending.delete(p));
      sent++;
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(pending);
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return { sent, good, errors, seconds, latencies: latencies.sort((a, b) => a - b) };
}
