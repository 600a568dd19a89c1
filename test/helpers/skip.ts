/**
 * One way to skip a group of tests for want of something on the machine (a redis-server, Chromium,
 * npm): the reason goes into the group's title as `[skipped: …]`, where
 * test/helpers/skipped-reporter.js finds it and prints one line per skipped group at the end of
 * the run, instead of a warning with a stack frame from every file that imports a helper.
 * No jest globals at module scope, so the benchmark can import helpers that import this.
 */
export function describeUnless(reason: string | null, name: string, fn: () => void): void {
  if (reason === null) describe(name, fn);
  else describe.skip(`${name} [skipped: ${reason}]`, fn);
}
