/**
 * `npm run retention -- --dry-run [--as <staff email>] [--today YYYY-MM-DD] [--json]` lists, per chain, the customers
 * whose health-record retention has ended (id, home store, last clinical contact, the rule that applied, the last day
 * kept) and those of them under a legal hold; it writes nothing (with `--as`, it records the dry run as that person).
 * `npm run retention -- --apply --as <staff email> [--json]` disposes of the due customers of that person's chain who
 * are not held, through the shared disposal engine, with a progress bar on standard error, as that person (every
 * entry it writes names them; their `erase Customer` rights decide which customers they may dispose of), and records
 * the run in `retention_run`. Re-running has nothing left to do. docs/retention.md explains the output.
 * Exit code 0 when everything asked was done, 1 when a disposal failed, 2 on a usage error.
 */
import 'reflect-metadata';
import os from 'node:os';
import { loadConfig } from '../config/config';
import { resolveDatabaseUrls } from '../db/bootstrap';
import { createDataSource } from '../db/data-sources';
import { logger } from '../logging/logger';
import { stderrProgress } from '../seed/bulk/progress';
import { ChainRun, findOperator, runRetention } from '../services/retention/retention-run';
import { disposeCustomer } from '../services/retention/disposal-engine';

// The application log also goes to standard output: keep it quiet so that standard output carries only the report.
if (!process.env.LOG_LEVEL) logger.level = 'warn';

const USAGE = 'usage: npm run retention -- (--dry-run [--as <staff email>] [--today YYYY-MM-DD] | --apply --as <staff email>) [--json]';

class UsageError extends Error {}

interface Args { apply: boolean; as: string | null; today: string | null; json: boolean }

function parseArgs(argv: string[]): Args {
  const args: Args = { apply: false, as: null, today: null, json: false };
  let mode: 'dry-run' | 'apply' | null = null;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (!v) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--dry-run' || flag === '--apply') {
      if (mode) throw new UsageError('give exactly one of --dry-run and --apply');
      mode = flag === '--apply' ? 'apply' : 'dry-run';
    } else if (flag === '--as') args.as = value();
    else if (flag === '--today') args.today = value();
    else if (flag === '--json') args.json = true;
    else throw new UsageError(`unknown argument ${argv[i]}`);
  }
  if (!mode) throw new UsageError('give --dry-run or --apply');
  args.apply = mode === 'apply';
  if (args.apply && !args.as) throw new UsageError('--apply needs --as <staff email>: the member of staff whose rights allow the disposals, named in every entry');
  if (args.today && args.apply) throw new UsageError('--today is for dry runs only: disposal is judged on today’s date');
  if (args.today && !/^\d{4}-\d{2}-\d{2}$/.test(args.today)) throw new UsageError('--today must be a date YYYY-MM-DD');
  return args;
}

function printText(runs: ChainRun[]): void {
  for (const run of runs) {
    const p = run.policy;
    console.log(`${run.chainName} (chain ${run.chainId}), ${run.dryRun ? 'dry run' : 'apply'}, judged on ${run.today}`);
    console.log(`  policy: adults ${p.adultYears} years after the last clinical contact; children (under ${p.childUnderAge} at it) until the later of their ${p.childUntilAge}th birthday and ${p.adultYears} years after it`);
    console.log(`  customers with clinical records: ${run.examined}; retention ended: ${run.due.length + run.held.length} (${run.due.length} due, ${run.held.length} held)`);
    for (const c of run.due) {
      const outcome = run.dryRun ? 'DUE' : run.disposed.includes(c.customerId) ? 'DISPOSED' : run.notPermitted.includes(c.customerId) ? 'NOT PERMITTED' : 'FAILED';
      console.log(`  ${outcome.padEnd(13)} customer ${c.customerId}  home store ${c.homeStoreName} (${c.homeStoreId})  last contact ${c.lastContact}  rule ${c.rule}  kept until ${c.keptUntil}`);
    }
    for (const c of run.unfinished) {
      const outcome = run.dryRun ? 'UNFINISHED' : run.disposed.includes(c.customerId) ? 'DISPOSED' : run.notPermitted.includes(c.customerId) ? 'NOT PERMITTED' : 'FAILED';
      console.log(`  ${outcome.padEnd(13)} customer ${c.customerId}  home store ${c.homeStoreName} (${c.homeStoreId})  an earlier run's disposal, not finished`);
    }
    for (const c of run.held) {
      console.log(`  ${'HELD'.padEnd(13)} customer ${c.customerId}  home store ${c.homeStoreName} (${c.homeStoreId})  last contact ${c.lastContact}  rule ${c.rule}  kept until ${c.keptUntil}  hold ${c.holdIds.join(', ')}`);
    }
    for (const f of run.failed) console.log(`  failed: customer ${f.customerId}: ${f.error}`);
    if (!run.dryRun) console.log(`  disposed: ${run.disposed.length}; not permitted: ${run.notPermitted.length}; failed: ${run.failed.length}`);
    console.log(run.runId ? `  recorded as retention run ${run.runId}` : '  nothing written');
  }
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  const { app, owner, embedded } = await resolveDatabaseUrls(loadConfig());
  // Writes as the application role when known (its grants and the append-only triggers apply), else as the owner.
  const urls = (app ?? owner)!;
  const core = createDataSource('core', urls.core);
  const clinical = createDataSource('clinical', urls.clinical);
  try {
    await core.initialize();
    await clinical.initialize();
    const operator = args.as ? await findOperator(core, args.as) : null;
    if (args.as && !operator) {
      console.error(`--as ${args.as}: no active member of staff with that email`);
      return 2;
    }
    const progress = stderrProgress();
    let current = '';
    const runs = await runRetention({ core, clinical }, {
      apply: args.apply, operator, dispose: disposeCustomer, today: args.today ?? undefined,
      runBy: `${os.userInfo().username}@${os.hostname()}`,
      onProgress: ({ chainName, done, total }) => {
        if (chainName !== current) {
          if (current) progress.stop();
          current = chainName;
          progress.start(total, `disposing (${chainName})`);
        }
        progress.update(done);
        if (done === total) {
          progress.stop();
          current = '';
        }
      },
    });
    if (args.json) console.log(JSON.stringify(runs, null, 2));
    else printText(runs);
    return runs.some((run) => run.failed.length > 0) ? 1 : 0;
  } finally {
    if (core.isInitialized) await core.destroy();
    if (clinical.isInitialized) await clinical.destroy();
    if (embedded) await embedded.stop();
  }
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
