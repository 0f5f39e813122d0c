// ESLint (flat config): typescript-eslint's recommended rules, no `any` without a comment saying why.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'test/generated/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', __dirname: 'readonly', module: 'writable', require: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // Resolver arguments are required unless they say `nullable: true` (src/schema/arg.ts).
    files: ['src/**/*.ts'],
    ignores: ['src/schema/arg.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'type-graphql', importNames: ['Arg', 'Args'], message: 'Use Arg from src/schema/arg.ts: arguments are non-null unless they say nullable: true.' }],
      }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
