/**
 * Jest global teardown: stops the run's embedded PostgreSQL and removes its data folder.
 */
import fs from 'node:fs';
import { EmbeddedPostgresHandle } from '../../src/db/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>).__VISUS_EMBEDDED__ as { embedded: EmbeddedPostgresHandle; dataDir: string } | undefined;
  if (!state) return;
  await state.embedded.stop();
  fs.rmSync(state.dataDir, { recursive: true, force: true });
}
