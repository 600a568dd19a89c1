import { join } from 'node:path';
import { evaluate, loadSampleKb, readSet, repoRoot } from '../../scripts/eval-faq';

/**
 * Both sets were written by someone who never saw the matcher. The dev set was tuned on (it reached
 * 1.00); the holdout set was never looked at while tuning and measured 0.907 on first run. These
 * floors keep what was reached: a knowledge-base edit that costs a question fails here, and the
 * message lists what it cost.
 */
const MIN_STRICT_ACCURACY = 1.0;
const MIN_HOLDOUT_ACCURACY = 0.9;

describe('the FAQ matcher on the dev set', () => {
  it(`answers at least ${MIN_STRICT_ACCURACY * 100}% of the dev questions exactly right`, () => {
    const report = evaluate(loadSampleKb(), readSet(join(repoRoot(), 'test/faq/dev-set.json')));
    const misses = report.misses.map((m) => `${m.q} → expected ${m.expected}, got ${m.got}`);
    // Below the bar, the failure shows every miss rather than just a number.
    expect(report.strict >= MIN_STRICT_ACCURACY ? [] : misses).toEqual([]);
    expect(report.strict).toBeGreaterThanOrEqual(MIN_STRICT_ACCURACY);
    expect(report.total).toBeGreaterThan(0);
  });
});

describe('the FAQ matcher on the unseen holdout set', () => {
  it(`answers at least ${MIN_HOLDOUT_ACCURACY * 100}% of questions it was never tuned on exactly right`, () => {
    const report = evaluate(loadSampleKb(), readSet(join(repoRoot(), 'test/faq/holdout-set.json')));
    expect(report.total).toBeGreaterThanOrEqual(40);
    expect(report.strict).toBeGreaterThanOrEqual(MIN_HOLDOUT_ACCURACY);
  });
});
