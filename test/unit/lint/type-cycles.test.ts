/**
 * No cycles in src/, type-only imports included. The linter's import-x/no-cycle ignores `import type`, and
 * its layer rules only see imports across folders, so this walks the whole import graph itself (TypeScript's
 * own pre-processor finds every import, type-only ones too). The one cycle allowed is a TypeORM relation
 * declared on both sides (a role and its entries), where one side imports the other as a type only.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const ALLOWED = [['src/schema/core/role-permission.entity.ts', 'src/schema/core/role.entity.ts']];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.name.endsWith('.ts') ? [relative] : [];
  });
}

function importGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(path.join(ROOT, file), 'utf8'), true, true);
    graph.set(file, importedFiles
      .filter((imported) => imported.fileName.startsWith('.'))
      .map((imported) => `${path.normalize(path.join(path.dirname(file), imported.fileName)).replace(/\.js$/, '')}.ts`)
      .filter((target) => fs.existsSync(path.join(ROOT, target))));
  }
  return graph;
}

/** Strongly connected components of more than one module (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); component.push(w); } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found.sort();
}

describe('the import graph of src/', () => {
  it('has no cycle, type-only imports included, but the one allowed relation pair', () => {
    expect(cycles(importGraph(sourceFiles('src')))).toEqual(ALLOWED);
  });

  it('finds a cycle made only of type imports (the check itself works)', () => {
    expect(cycles(new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]))).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });
});
