/**
 * `npm run keys:rotate [-- --new-key-file <file>] [--batch-size <n>]`: rotates the keys of the encrypted clinical
 * free text (src/crypto/key-rotation.ts) as the clinical database's owner: every data key re-wrapped under a new
 * master key, each chain a new data key, every encrypted row re-encrypted in batches, with a progress bar on
 * standard error (cli-progress on a terminal, else a line per tenth). Interrupted, run it again: it resumes the
 * rotation recorded in `clinical_key_rotation`. Without --new-key-file the new key is generated beside the
 * current one (`<VISUS_MASTER_KEY_FILE>.next`) and swapped in at the end (the old one kept as `.retired-<id>`).
 * Exit code 0 when done, 1 on an error, 2 on a usage error. docs/security-operations.md (## Keys) explains it.
 */
import 'reflect-metadata';
import { SingleBar } from 'cli-progress';
import { loadConfig } from '../config/config';
import { resolveDatabaseUrls } from '../db/bootstrap';
import { createDataSource } from '../db/data-sources';
import { rotateKeys } from '../crypto/key-rotation';
import { logger } from '../logging/logger';

if (!process.env.LOG_LEVEL) logger.level = 'warn';

const USAGE = 'usage: npm run keys:rotate [-- --new-key-file <file>] [--batch-size <n>]';

function parseArgs(argv: string[]): { newKeyFile?: string; batchSize: number } | null {
  const args: { newKeyFile?: string; batchSize: number } = { batchSize: 500 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = inline ?? argv[++i];
    if (!value) return null;
    if (flag === '--new-key-file') args.newKeyFile = value;
    else if (flag === '--batch-size' && /^[1-9][0-9]*$/.test(value)) args.batchSize = Number(value);
    else return null;
  }
  return args;
}

function progressBar(): { update(done: number, total: number): void; stop(): void } {
  if (process.stderr.isTTY) {
    const bar = new SingleBar({ stream: process.stderr, format: 'Re-encrypting [{bar}] {percentage}% | {value}/{total} rows | ETA {eta_formatted}', hideCursor: true });
    let started = false;
    return {
      update(done, total) {
        if (!started) bar.start(total, done);
        started = true;
        bar.setTotal(total);
        bar.update(done);
      },
      stop: () => bar.stop(),
    };
  }
  let next = 0;
  return {
    update(done, total) {
      if (total === 0 || done / total < next) return;
      while (total > 0 && done / total >= next) next += 0.1;
      process.stderr.write(`  ${done}/${total} rows re-encrypted\n`);
    },
    stop: () => undefined,
  };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!args) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const urls = await resolveDatabaseUrls(config);
  const clinical = urls.owner ? createDataSource('clinical', urls.owner.clinical) : null;
  const bar = progressBar();
  try {
    if (!clinical) throw new Error('npm run keys:rotate writes as the clinical database\'s owner: set DATABASE_OWNER_URL and CLINICAL_DATABASE_OWNER_URL');
    await clinical.initialize();
    const result = await rotateKeys(clinical, {
      masterKeyFile: config.masterKeyFile, newKeyFile: args.newKeyFile, batchSize: args.batchSize,
      onProgress: (done, total) => bar.update(done, total),
    });
    bar.stop();
    console.log(`${result.resumed ? 'resumed and finished' : 'finished'} key rotation ${result.rotationId}: master key ${result.fromMasterKeyId} -> ${result.toMasterKeyId}, ${result.rowsDone} rows re-encrypted`);
    console.log(args.newKeyFile
      ? `the new master key is ${result.keyFile}: point VISUS_MASTER_KEY_FILE at it and restart the API processes`
      : `the new master key is in ${result.keyFile} (the old one kept as ${result.keyFile}.retired-${result.fromMasterKeyId}: destroy it once the backups made under it have expired)`);
    return 0;
  } finally {
    bar.stop();
    if (clinical?.isInitialized) await clinical.destroy();
    if (urls.embedded) await urls.embedded.stop();
  }
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(`keys:rotate failed: ${error instanceof Error ? error.message : String(error)} (run it again to resume)`);
  process.exit(1);
});
