import { join } from 'node:path';
import { evaluate, loadSampleKb, loadSampleWords, readSet, repoRoot, type EvalReport } from '../../scripts/eval-faq';

/**
 * Every set was written by someone who never saw the matcher. The dev set (145) was tuned on and
 * reached 1.00; the old holdout (54) was never tuned on and measured 0.907; the tuning set (110,
 * the patterns of issue 15: situation words, two questions in one, fragments, off-topic, new
 * topics) was tuned on and reached 0.98. For the second round of issue 15 (generalising), dev2
 * (125, the same patterns, written before that round's tuning: 0.71) and dev3 (564, written in
 * rounds, each measured before it was tuned on: 0.80, 0.93, 0.86, 0.74 for off-topic traps, 0.90
 * for long voice messages, 0.81 in dialect, 0.87 in officialese, 0.70 for the new entries in
 * other words, 0.66 as a daughter asks for her mother, 0.87 as village helpers ask) were added
 * and tuned on. Two relatives' holdouts were never tuned on (the first one's misses were read and
 * described to the second round, so the second, written apart, is the one that measures). These floors keep what was reached: a knowledge-base edit that costs a question
 * fails here, and the message lists what it cost.
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

describe.each([
  ['dev2', 1.0],
  ['dev3', 0.97],
])('what followers get for the %s questions of issue 15, second round', (name, floor) => {
  const report = run(name);

  it(`is exactly right for at least ${floor * 100}% of them, listing every question it costs`, () => {
    expect(report.total).toBeGreaterThanOrEqual(100);
    expect(report.strict >= floor ? [] : missesOf(report)).toEqual([]);
  });

  it.each(['single', 'situation', 'two-in-one', 'vague', 'new-topic'])('gets the %s questions right at least 90% of the time', (pattern) => {
    const [ok, n] = report.byPattern.get(pattern) ?? [0, 0];
    expect(n).toBeGreaterThan(5);
    expect(ok / n).toBeGreaterThanOrEqual(0.9);
  });

  it('never answers an off-topic question as if it were about certification', () => {
    expect(report.misses.filter((m) => m.pattern === 'off-topic')).toEqual([]);
  });
});

describe('what followers get for the second relatives holdout of issue 15, never seen by the matcher’s authors', () => {
  // Written by someone who saw only the notice, after the second round of tuning began; measured
  // once, never tuned on: 0.902 overall, two-in-one 0.867, vague 0.909, off-topic 1.0.
  const report = run('relatives-holdout2');

  it('is exactly right for at least 90% of it', () => {
    expect(report.total).toBeGreaterThanOrEqual(100);
    expect(report.strict).toBeGreaterThanOrEqual(0.9);
  });

  it.each([
    ['two-in-one', 0.8],
    ['vague', 0.8],
  ])('gets the %s questions right at least %s of the time', (pattern, floor) => {
    const [ok, n] = report.byPattern.get(pattern) ?? [0, 0];
    expect(ok / n).toBeGreaterThanOrEqual(floor);
  });

  it('gives no confident answer to an off-topic question', () => {
    expect(report.misses.filter((m) => m.pattern === 'off-topic')).toEqual([]);
  });
});
