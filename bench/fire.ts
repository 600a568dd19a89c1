import autocannon from 'autocannon';
import { isGoodReply, type PushSource } from './load';

/**
 * One closed-loop phase at full speed with autocannon: `connections` connections each sending the
 * next push as soon as the last one was answered, for `duration` seconds. A reply counts as good
 * only if it is a text reply XML (not 系统繁忙, not `success`, not a non-2xx).
 */
export interface PhaseResult {
  readonly result: autocannon.Result;
  readonly good: number;
  readonly bad: number;
}

export function fire(port: number, source: PushSource, duration: number, connections: number): Promise<PhaseResult> {
  let good = 0;
  let bad = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections,
        duration,
        timeout: 5, // WeChat's deadline: a slower answer counts as an error
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

/** Connection errors and timeouts (autocannon's errors hold both), and every response that is not a good answer (non-2xx included). */
export const errorsOf = (p: PhaseResult) => p.result.errors + p.bad;
/** Answered pushes per second (good or not: a fast wrong answer shows as errors, not as speed lost). */
export const rps = (p: PhaseResult) => (p.good + p.bad) / p.result.duration;

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
