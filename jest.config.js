/**
 * Jest: every suite runs against the real embedded PostgreSQL started once per run by
 * test/setup/global-setup.ts; each suite gets its own fresh core and clinical databases.
 * ts-jest transpiles each file on its own (no type check here: `npm run typecheck` does that),
 * emitting the decorator metadata TypeORM and type-graphql need.
 * (Not @swc/jest, and jest 29 not 30: their platform packages for other systems are missing from
 * the registry this project installs from, which leaves a lock file `npm ci` rejects.)
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json', diagnostics: false }],
  },
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testTimeout: 60000,
};
