/**
 * `npm run schema:emit`: writes src/schema/schema.graphql from the code (a test fails when the
 * committed file differs).
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { buildDeclaredSchema, printSortedSchema } from '../server/build-schema';

export const SCHEMA_FILE = path.join(process.cwd(), 'src', 'schema', 'schema.graphql');

buildDeclaredSchema()
  .then((schema) => {
    fs.writeFileSync(SCHEMA_FILE, printSortedSchema(schema));
    console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
