/**
 * `npm run bench:marketing [-- --customers 1000000]`: how fast and in how much memory the streamed marketing list
 * export (GET /exports/marketing-list) serves a large chain's EMAIL list, against `psql \copy` of an equivalent
 * SQL query (bench/marketing-sql.ts) in the same run.
 *
 * Issue 11, item 10. Targets: at least 0.8x the rows/s of \copy; the server's peak RSS under 128 MB; and the
 * same peak at 100,000 rows as at the end (within 10%), i.e. memory does not grow with the list.
 *
 * Steps: the bench database (bench/marketing-db.ts: kept between runs in .data/bench-marketing and reused when it
 * holds a bulk chain of that size; `npm run seed:bulk`'s seeding otherwise); the API server as a child process
 * (`node dist/src/main.js` on it, as the application role); a fresh API token for the bulk chain's BI service
 * account; then, in turn, \copy, the CSV export, the NDJSON export and \copy again, each read to its end (the
 * exports by a plain HTTP client counting lines). Checks that every run returned the same number of rows, equal
 * to the manifest's `included`. Prints rows, seconds and rows/s of each, the exports' ratio to the mean \copy
 * rate, the server's peak RSS (VmHWM) when the stream passed 100,000 rows and at its end, and PASS/FAIL per
 * target. It reports and does not gate: exit 0 whatever the figures, non-zero when something failed.
 */
import { printMachine, printVerdict } from './report';
import { serverNodeEnv } from './settings';
import { prepareMarketingDatabase } from './marketing-db';
import { emailListSql } from './marketing-sql';
import { copyBaseline, CopyResult, memoryOf, startServerChild, streamExport, StreamResult } from './marketing-stream';

const TARGET_RATIO = 0.8;
const TARGET_PEAK_MB = 128;
const SAME_PEAK_TOLERANCE = 0.1;

function customersArg(argv: string[]): number {
  const i = argv.findIndex((a) => a === '--customers' || a.startsWith('--customers='));
  if (i < 0) return 1_000_000;
  const raw = argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--customers must be a whole number, got "${raw}"`);
  return n;
}

const mb = (kb: number | null): string => (kb === null ? 'n/a' : `${(kb / 1024).toFixed(1)} MB`);
const rate = (rows: number, seconds: number): number => rows / seconds;

async function main(): Promise<void> {
  const customers = customersArg(process.argv.slice(2));
  printMachine();
  const db = await prepareMarketingDatabase(customers);
  const server = await startServerChild({
    DATABASE_URL: db.app.core, CLINICAL_DATABASE_URL: db.app.clinical,
    DATABASE_OWNER_URL: db.owner.core, CLINICAL_DATABASE_OWNER_URL: db.owner.clinical,
    VISUS_SUPPRESSION_KEY_FILE: db.keyFile, VISUS_MASTER_KEY_FILE: db.masterKeyFile,
  });
  try {
    console.log(`API server: child process ${server.pid} at ${server.url} (NODE_ENV=${serverNodeEnv()}), RSS after start ${mb(memoryOf(server.pid).rssKb)}`);
    const sql = emailListSql(db.chainId, db.keyHex);
    const copies: CopyResult[] = [];
    const streams: Record<'csv' | 'ndjson', StreamResult | null> = { csv: null, ndjson: null };
    copies.push(await copyBaseline(db.owner.core, sql));
    streams.csv = await streamExport(server, db.token, 'csv');
    streams.ndjson = await streamExport(server, db.token, 'ndjson');
    copies.push(await copyBaseline(db.owner.core, sql));
    const csv = streams.csv;
    const ndjson = streams.ndjson;

    const counts = [...copies.map((c) => c.rows), csv.rows, ndjson.rows, csv.manifestIncluded, ndjson.manifestIncluded];
    if (new Set(counts).size !== 1) throw new Error(`the runs disagree on the list's length: \\copy ${copies.map((c) => c.rows).join(', ')}, CSV ${csv.rows}, NDJSON ${ndjson.rows}, manifest ${csv.manifestIncluded}/${ndjson.manifestIncluded}`);
    const copyRate = copies.reduce((sum, c) => sum + rate(c.rows, c.seconds), 0) / copies.length;

    console.log('');
    console.log(`EMAIL list of ${customers.toLocaleString('en-GB')} customers: ${csv.rows.toLocaleString('en-GB')} rows (every run agrees, = manifest.included)`);
    console.log(`baseline: ${copies[0].how}`);
    console.log('                         rows   seconds      rows/s   ratio to \\copy   server peak RSS at 100k / at end (RSS at end)');
    copies.forEach((c, n) => console.log(`\\copy (run ${n + 1})    ${String(c.rows).padStart(10)}  ${c.seconds.toFixed(2).padStart(8)}  ${Math.round(rate(c.rows, c.seconds)).toString().padStart(10)}`));
    for (const [label, s] of [['export CSV   ', csv], ['export NDJSON', ndjson]] as const) {
      const ratio = rate(s.rows, s.seconds) / copyRate;
      console.log(`${label}        ${String(s.rows).padStart(10)}  ${s.seconds.toFixed(2).padStart(8)}  ${Math.round(rate(s.rows, s.seconds)).toString().padStart(10)}   ${ratio.toFixed(2).padStart(8)}x        ${mb(s.peakAt100kKb)} / ${mb(s.peakAtEndKb)} (${mb(s.rssAtEndKb)})`);
    }
    console.log(`(time to the response headers: ${csv.headersSeconds.toFixed(2)} s (CSV) and ${ndjson.headersSeconds.toFixed(2)} s (NDJSON): the one COPY evaluates the rules, sorts the considered customers by id and counts the manifest (its first row) before the first byte)`);
    console.log('');
    for (const [label, s] of [['CSV', csv], ['NDJSON', ndjson]] as const) {
      const ratio = rate(s.rows, s.seconds) / copyRate;
      printVerdict(ratio >= TARGET_RATIO, `${label} export at ${ratio.toFixed(2)}x the rows/s of \\copy (target >= ${TARGET_RATIO}x)`);
    }
    const peak = Math.max(csv.peakAtEndKb, ndjson.peakAtEndKb);
    printVerdict(peak < TARGET_PEAK_MB * 1024, `server peak RSS ${mb(peak)} over both exports (target < ${TARGET_PEAK_MB} MB)`);
    if (csv.peakAt100kKb === null) {
      console.log('n/a: the list has fewer than 100,000 rows, so the peak at 100,000 rows was not taken (run with more --customers)');
    } else {
      const grew = csv.peakAtEndKb / csv.peakAt100kKb - 1;
      printVerdict(grew <= SAME_PEAK_TOLERANCE, `server peak RSS at the end of the CSV export ${mb(csv.peakAtEndKb)} vs at 100,000 rows ${mb(csv.peakAt100kKb)}: ${(grew * 100).toFixed(1)}% more (target: the same, within ${SAME_PEAK_TOLERANCE * 100}%)`);
    }
  } finally {
    await server.stop();
    await db.embedded.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exit(1);
});
