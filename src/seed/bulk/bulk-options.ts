/**
 * The options of `npm run seed:bulk` (src/scripts/seed-bulk.ts): parsed from the command line, checked, with
 * their defaults. Pure: no database.
 */

export interface BulkOptions {
  /** Customers to create (default 1,000,000). */
  customers: number;
  /** Stores (default 120), spread over UK regions. */
  stores: number;
  /** The new chain's name (default `Bulk Opticians (<customers>, seed <seed>)`); refused when it exists. */
  chainName: string;
  /** The seed of every random choice: the same seed gives the same rows, ids included. */
  seed: number;
  /** Customers per INSERT batch (default 50,000). */
  batchSize: number;
}

export const BULK_USAGE = 'usage: npm run seed:bulk -- [--customers N] [--stores N] [--chain-name NAME] [--seed N] [--batch N]';

function positiveInt(flag: string, raw: string | undefined, max: number): number {
  const value = Number(raw);
  if (raw === undefined || !/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new Error(`${flag} must be a whole number from 1 to ${max}, got ${raw === undefined ? 'nothing' : `"${raw}"`}\n${BULK_USAGE}`);
  }
  return value;
}

/** Reads `--flag value` and `--flag=value`; unknown flags are refused. */
export function parseBulkOptions(argv: readonly string[]): BulkOptions {
  const values = new Map<string, string | undefined>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"\n${BULK_USAGE}`);
    const eq = arg.indexOf('=');
    if (eq > 0) values.set(arg.slice(2, eq), arg.slice(eq + 1));
    else values.set(arg.slice(2), argv[++i]);
  }
  for (const flag of values.keys()) {
    if (!['customers', 'stores', 'chain-name', 'seed', 'batch'].includes(flag)) throw new Error(`unknown option --${flag}\n${BULK_USAGE}`);
  }
  const customers = values.has('customers') ? positiveInt('--customers', values.get('customers'), 50_000_000) : 1_000_000;
  const stores = values.has('stores') ? positiveInt('--stores', values.get('stores'), 5_000) : 120;
  const seed = values.has('seed') ? positiveInt('--seed', values.get('seed'), 2_000_000_000) : 1;
  const batchSize = values.has('batch') ? positiveInt('--batch', values.get('batch'), 1_000_000) : 50_000;
  const rawName = values.get('chain-name');
  if (values.has('chain-name') && !rawName?.trim()) throw new Error(`--chain-name needs a name\n${BULK_USAGE}`);
  const chainName = rawName?.trim() || `Bulk Opticians (${customers.toLocaleString('en-GB')} customers, seed ${seed})`;
  return { customers, stores, chainName, seed, batchSize };
}
