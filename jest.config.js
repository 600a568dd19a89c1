/**
 * Type-checking happens once in `npm test` (tsc --noEmit); ts-jest only transpiles, which keeps the
 * suite fast. The global set-up starts a redis-server when REDIS_URL is absent (see
 * test/helpers/global-setup.ts); the second reporter lists every skipped group with its reason.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 20000,
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  reporters: ['default', '<rootDir>/test/helpers/skipped-reporter.js'],
};
