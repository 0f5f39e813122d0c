/**
 * The schema contract: the committed schema.graphql is what the code declares, and every field of
 * every object type has a permission (default deny is never the accidental state of a new field).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { GraphQLSchema, isObjectType } from 'graphql';
import { catalogHasField, catalogSubject } from '../../../src/policies/catalog';
import { ROOT_TYPES, TYPE_POLICIES } from '../../../src/policies/type-policies';
import { buildDeclaredSchema, printSortedSchema } from '../../../src/server/build-schema';

describe('schema', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildDeclaredSchema();
  });

  it('matches the committed src/schema/schema.graphql (run `npm run schema:emit` after changing types)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'src', 'schema', 'schema.graphql'), 'utf8');
    expect(printSortedSchema(schema)).toBe(committed);
  });

  it('gives every object type a policy and every governed field a catalog entry', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__') || ROOT_TYPES.has(type.name)) continue;
      const policy = TYPE_POLICIES[type.name];
      if (!policy) {
        missing.push(`${type.name} (no type policy)`);
        continue;
      }
      if (policy.kind === 'structural') continue;
      expect(catalogSubject(policy.subject)).toBeDefined();
      for (const field of Object.keys(type.getFields())) {
        const relation = policy.relations?.[field];
        if (relation) {
          expect(catalogSubject(relation)).toBeDefined();
          continue;
        }
        if (!catalogHasField(policy.subject, policy.viaField ?? field)) missing.push(`${type.name}.${field}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('keeps data fields nullable so a refused field cannot null its parent', () => {
    const nonNull: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__') || ROOT_TYPES.has(type.name)) continue;
      if (TYPE_POLICIES[type.name]?.kind === 'structural') continue;
      for (const field of Object.values(type.getFields())) {
        if (field.type.toString().endsWith('!')) nonNull.push(`${type.name}.${field.name}`);
      }
    }
    expect(nonNull).toEqual([]);
  });
});

describe('codegen', () => {
  it('test/generated/graphql.ts is what `npm run codegen` makes from the committed schema and documents', () => {
    const root = path.join(__dirname, '..', '..', '..');
    // --check: a dry run that fails when any generated file would change.
    const run = spawnSync(path.join(root, 'node_modules', '.bin', 'graphql-codegen'), ['--config', 'codegen.yml', '--check'], { cwd: root, encoding: 'utf8' });
    expect(run.stdout + run.stderr).not.toMatch(/would change|outdated|failed/i);
    expect(run.status).toBe(0);
  });
});
