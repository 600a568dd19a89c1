// @ts-check
const path = require('node:path');

/**
 * A jest reporter that ends the run with one line per skipped group and the reason, so "31 skipped"
 * says what was skipped and why. Groups skipped for want of something on the machine carry the
 * reason in their title as `[skipped: …]` (test/helpers/skip.ts); anything else skipped is listed
 * as such. Plain JavaScript because jest loads reporters without transforming them.
 */
class SkippedReporter {
  /** @param {{ rootDir: string, testNamePattern?: string }} globalConfig */
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    this.filtered = Boolean(globalConfig.testNamePattern);
  }

  /**
   * @param {unknown} _contexts
   * @param {{ testResults: { testFilePath: string, testResults: { status: string, ancestorTitles: string[], title: string }[] }[] }} results
   */
  onRunComplete(_contexts, results) {
    /** @type {Map<string, { where: string, group: string, reason: string, count: number }>} */
    const groups = new Map();
    for (const file of results.testResults) {
      const where = path.relative(this.rootDir, file.testFilePath);
      for (const test of file.testResults) {
        if (test.status !== 'pending' && test.status !== 'todo') continue;
        const titles = [...test.ancestorTitles, test.title];
        const tagged = titles.findIndex((t) => /\[skipped: .*\]$/.test(t));
        let group;
        let reason;
        if (tagged !== -1) {
          const title = titles[tagged] ?? '';
          group = [...titles.slice(0, tagged), title.replace(/\s*\[skipped: .*\]$/, '')].join(' › ');
          reason = (/\[skipped: (.*)\]$/.exec(title) ?? [])[1] ?? '';
        } else if (test.status === 'todo') {
          group = titles.join(' › ');
          reason = 'a todo, not written yet';
        } else if (this.filtered) {
          continue; // not selected by -t: the run asked for it, nothing to explain
        } else {
          group = titles.slice(0, Math.max(1, titles.length - 1)).join(' › ');
          reason = 'skipped in the test file (no reason given)';
        }
        const key = `${where}\0${group}\0${reason}`;
        const entry = groups.get(key) ?? { where, group, reason, count: 0 };
        entry.count += 1;
        groups.set(key, entry);
      }
    }
    if (groups.size === 0) return;
    const lines = [...groups.values()].map(
      (g) => `  ${g.where} › ${g.group} (${g.count} ${g.count === 1 ? 'test' : 'tests'}): ${g.reason}`,
    );
    process.stderr.write(`\nSkipped, by group:\n${lines.join('\n')}\n\n`);
  }
}

module.exports = SkippedReporter;
