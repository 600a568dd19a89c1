import { join } from 'node:path';
import { evaluate, loadSampleKb, loadSampleWords, readSet, repoRoot, type EvalReport } from '../../scripts/eval-faq';

/**
 * Every set was written by someone who never saw the matcher. The dev set (145) was tuned on and
 * reached 1.00; the old holdout (54) was never tuned on and measured 0.907; the tuning set (110,
 * the patterns of issue 15: situation words, two questions in one, fragments, off-topic, new
 * topics) was tuned on and reached 0.98. A second holdout for issue 15 is kept outside the
 * repository. These floors keep what was reached: a knowledge-base edit that costs a question fails
 * here, and the message lists what it cost.
 */
const kb = loadSampleKb();
const words = loadSampleWords();
const run = (name: string): EvalReport => evaluate(kb, words, readSet(join(repoRoot(), `test/faq/${name}-set.json`)));
const missesOf = (r: EvalReport) => r.misses.map((m) => `${m.q} → expected ${m.expected}, got ${m.got}`);

describe('what followers get for the dev questions', () => {
  it('is exactly right for every one of them', () => {
    const report = run('dev');
    expect(report.total).toBeGreaterThan(100);
    expect(missesOf(report)).toEqual([]);
  });
});

describe('what followers get for the old holdout questions, never tuned on', () => {
  it('is exactly right for at least 90% of them', () => {
    const report = run('holdout');
    expect(report.total).toBeGreaterThanOrEqual(40);
    expect(report.strict).toBeGreaterThanOrEqual(0.9);
  });
});

describe('what followers get for the tuning set of issue 15', () => {
  const report = run('tuning');

  it('is exactly right for at least 97% of it, listing every question it costs', () => {
    expect(report.total).toBeGreaterThanOrEqual(100);
    expect(report.strict >= 0.97 ? [] : missesOf(report)).toEqual([]);
  });

  it.each([
    ['single', 1.0],
    ['situation', 0.9],
    ['two-in-one', 0.9],
    ['vague', 0.9],
    ['off-topic', 1.0],
    ['new-topic', 0.9],
  ])('gets the %s questions right at least %s of the time', (pattern, floor) => {
    const [ok, n] = report.byPattern.get(pattern) ?? [0, 0];
    expect(n).toBeGreaterThan(5);
    expect(ok / n).toBeGreaterThanOrEqual(floor);
  });

  it('never answers an off-topic question as if it were about certification', () => {
    expect(report.misses.filter((m) => m.pattern === 'off-topic')).toEqual([]);
  });
});
