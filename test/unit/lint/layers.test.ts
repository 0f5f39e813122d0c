/**
 * The layers hold because the linter says so (eslint.config.mjs, docs/architecture.md): an import cycle,
 * a lower layer importing a higher one, and production code importing a test each fail `npm run lint`.
 * Probe files are written into src/ for the run and removed after; the oracle is the rule as the
 * architecture states it, not the config's LAYERS list.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PROBE_DIR = path.join(ROOT, 'src', 'config', '__lint_probe__');
const written: string[] = [];

function probe(relative: string, text: string): string {
  const file = path.join(ROOT, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  written.push(file);
  return file;
}

/** The rules `npm run lint` reports on these files (ESLint run as the lint script runs it, in its own process). */
async function ruleIdsFor(files: string[]): Promise<string[]> {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--format', 'json', ...files], { cwd: ROOT, encoding: 'utf8' });
  const results = JSON.parse(run.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  return results.flatMap((result) => result.messages.map((message) => message.ruleId ?? message.message)).sort();
}

afterAll(() => {
  for (const file of written) fs.rmSync(file, { force: true });
  fs.rmSync(PROBE_DIR, { recursive: true, force: true });
});

describe('the linter', () => {
  it('fails on an import cycle, even inside one folder', async () => {
    const a = probe('src/config/__lint_probe__/a.ts', "import { b } from './b';\nexport const a = (): number => b + 1;\n");
    const b = probe('src/config/__lint_probe__/b.ts', "import { a } from './a';\nexport const b = 1;\nexport const c = a;\n");
    expect(await ruleIdsFor([a, b])).toEqual(['import-x/no-cycle', 'import-x/no-cycle']);
  }, 60000);

  it.each([
    ['the configuration', 'src/config/__lint_probe__/up.ts', "import { startApp } from '../../app';\nexport const up = startApp;\n"],
    ['the model', 'src/schema/__lint_probe_up.ts', "import { Loaders } from '../loaders/loaders';\nexport type Up = Loaders;\n"],
    ['the permission rules', 'src/policies/__lint_probe_up.ts', "import type { AppContext } from '../context/app-context';\nexport type Up = AppContext;\n"],
    ['a service', 'src/services/__lint_probe_up.ts', "import { createApolloServer } from '../server/apollo';\nexport const up = createApolloServer;\n"],
    ['a resolver', 'src/resolvers/__lint_probe_up.ts', "import { startHttpServer } from '../server/http-server';\nexport const up = startHttpServer;\n"],
  ])('fails when %s imports from a higher layer (type-only imports too)', async (_layer, relative, text) => {
    expect(await ruleIdsFor([probe(relative, text)])).toEqual(['import-x/no-restricted-paths']);
  }, 60000);

  it('passes a downward import, and refuses production code that imports a test', async () => {
    const down = probe('src/services/__lint_probe_down.ts', "import { isUuid } from '../schema/uuid';\nexport const down = isUuid;\n");
    expect(await ruleIdsFor([down])).toEqual([]);
    const intoTests = probe('src/services/__lint_probe_tests.ts', "import { EMAIL } from '../../test/support/actors';\nexport const e = EMAIL;\n");
    expect(await ruleIdsFor([intoTests])).toEqual(['import-x/no-restricted-paths']);
  }, 60000);
});
