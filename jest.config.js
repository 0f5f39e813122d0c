/**
 * Jest, two projects (docs/tests.md):
 * - `unit`: test/unit/, pure modules and contracts that need no database and no server. No global
 *   setup: `npx jest --selectProjects unit` runs them without starting PostgreSQL.
 * - `api`: every other suite, against the real embedded PostgreSQL started once per run by
 *   test/setup/global-setup.ts; each suite gets its own fresh core and clinical databases. Jest runs a
 *   project's global setup only when at least one of its suites is selected.
 * `npm test` runs both.
 * ts-jest transpiles each file on its own (no type check here: `npm run typecheck` does that),
 * emitting the decorator metadata TypeORM and type-graphql need.
 * (Not @swc/jest, and jest 29 not 30: their platform packages for other systems are missing from
 * the registry this project installs from, which leaves a lock file `npm ci` rejects.)
 */
const shared = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json', diagnostics: false }],
  },
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      roots: ['<rootDir>/test/unit'],
      testMatch: ['**/*.test.ts'],
    },
    {
      ...shared,
      displayName: 'api',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/unit/'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
  ],
};
