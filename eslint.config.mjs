// ESLint (flat config): typescript-eslint's recommended rules, no `any` without a comment saying why,
// no import cycles, and the layers of src/ importing one way only (docs/architecture.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/**
 * The layers of src/, lowest first. A module may import from its own layer's folders and from the
 * layers below it, never from a layer above (type-only imports included: a type is a dependency too).
 * Folders on one line are one layer and may not import each other either unless listed as allowed below.
 */
const LAYERS = [
  ['context/request-info.ts', 'config', 'errors', 'logging', 'client'],
  ['schema'],
  ['db'],
  ['crypto'],
  ['clinical'],
  ['policies'],
  ['hash-chain'],
  ['auth'],
  ['loaders'],
  ['context'],
  ['audit'],
  ['services'],
  ['resolvers'],
  ['server'],
  ['seed'],
  ['backup'],
  ['app.ts'],
  ['main.ts', 'scripts'],
];

const src = (p) => `./src/${p}`;
/** Folders that hold a lower layer's file (src/context/request-info.ts): importing that file from below is allowed. */
const lowerFilesIn = (folder) => LAYERS.flat().filter((p) => p.startsWith(`${folder}/`)).map((p) => `./${p.slice(folder.length + 1)}`);
/** One zone per layer and higher folder: its files may not import anything of a higher layer, nor a sibling leaf of the bottom layer. */
const layerZones = LAYERS.flatMap((layer, i) => {
  const higher = LAYERS.slice(i + 1).flat().filter((p) => !layer.some((own) => p.startsWith(`${own}/`) || own.startsWith(`${p}/`)));
  const below = new Set(LAYERS.slice(0, i + 1).flat());
  const zones = layer.flatMap((own) => higher.map((folder) => ({
    target: src(own),
    from: src(folder),
    except: lowerFilesIn(folder).filter((file) => below.has(`${folder}/${file.slice(2)}`)),
    message: `src/${own} is in layer ${i + 1} of ${LAYERS.length} and may not import from src/${folder}, a higher layer (see LAYERS in eslint.config.mjs).`,
  })));
  // The leaves of the bottom layer import nothing of each other.
  if (i === 0) {
    for (const own of layer) {
      for (const other of layer.filter((p) => p !== own)) {
        zones.push({ target: src(own), from: src(other), except: [], message: `src/${own} is a leaf: it imports nothing from src/.` });
      }
    }
  }
  return zones;
});

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
    // Layers point one way, and no module graph knots into a cycle (a cycle breaks the build order and the reader).
    files: ['src/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts', 'migrations/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' }), createNodeResolver()],
      // Without these, imported .ts files are not parsed and no-cycle sees no edges at all.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-self-import': 'error',
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
    },
  },
  {
    // Production code never imports the tests or the benchmarks.
    files: ['src/**/*.ts', 'migrations/**/*.ts'],
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: [...layerZones, { target: './src', from: ['./test', './bench'], message: 'Production code does not import tests or benchmarks.' }, { target: './migrations', from: ['./src', './test', './bench'], message: 'A migration is frozen SQL: it imports nothing of the application.' }] }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
