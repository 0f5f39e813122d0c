/**
 * The streamed marketing list export (GET /exports/marketing-list, src/server/marketing-export-route.ts): the
 * same list, rules and SQL as the `marketingList` query, read in one REPEATABLE READ READ ONLY snapshot on a
 * dedicated pool client (src/db/read-snapshot.ts), as ONE `COPY (…) TO STDOUT` (pg-copy-streams) that reads the
 * rules once: its first row is the manifest (read here, before anything is sent, so the CSV can carry it in a
 * header), then every included customer, so memory stays flat whatever the list's length. CSV leaves COPY as it
 * is; NDJSON's rows pass through `NdjsonLines` (./ndjson-lines.ts), which writes the JSON lines. `end()` finishes
 * it exactly once: a completed stream commits; a cut-off one cancels the COPY, rolls back and releases the
 * client. Either way the export is logged in `marketing_list_export` (route STREAM).
 */
import { to as copyTo } from 'pg-copy-streams';
import type { CopyToStreamQuery } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { openReadSnapshot } from '../../db/read-snapshot';
import { logger } from '../../logging/logger';
import { safeErrorMessage } from '../../logging/safe-error-message';
import { ConsentChannel } from '../../schema/enums';
import { logMarketingListExport } from './export-log';
import { bindSuppressionKey, Manifest, manifestFromRow, ManifestRow, storesInScope } from './marketing-list-read';
import { copyStatement, ExportFormat, exportColumns, exportStatement, ListQuery } from './marketing-list-sql';
import { manifestFromCopyText, NdjsonLines } from './ndjson-lines';

export interface MarketingExportArgs {
  channel: ConsentChannel;
  format: ExportFormat;
  /** UUIDs (checked by the caller); each must be in the caller's list scope, else NOT_FOUND. */
  storeIds: readonly string[];
}

export interface MarketingExport {
  manifest: Manifest;
  /** The export's columns (CSV header; NDJSON objects carry those readable at each row). */
  columns: string[];
  /** The bytes to send before `rows`: the CSV header row and whatever COPY sent after the manifest row (NDJSON: nothing). */
  head: Buffer;
  /** The rest of the rows as bytes: CSV rows, or one JSON object per line. Read it to the end, or call end(). */
  rows: Readable;
  /** Commits (completed) or cancels and rolls back; logs the export with the rows that left. Once; never throws. */
  end(outcome: { completed: boolean; rowCount: number }): Promise<void>;
}

export async function startMarketingExport(ctx: AuthenticatedContext, args: MarketingExportArgs): Promise<MarketingExport> {
  const { principal, ability } = ctx;
  const snapshot = await openReadSnapshot(ctx.core);
  let query: ListQuery;
  let storeIds: string[];
  let manifest: Manifest;
  let head: Buffer;
  let copy: CopyToStreamQuery;
  let rows: Readable;
  let lines: NdjsonLines | null = null;
  try {
    await bindSuppressionKey(snapshot, ctx.config);
    storeIds = await storesInScope(snapshot, ability, principal.chainId, args.storeIds);
    query = { chainId: principal.chainId, channel: args.channel, ability, storeIds };
    const statement = exportStatement(query, args.format);
    copy = snapshot.client.query(copyTo(copyStatement(statement, args.format)));
    // Errors reach the consumer through end(); a cancelled COPY errors by design.
    copy.on('error', () => undefined);
    const leading = await leadingLines(copy, args.format === 'csv' ? 2 : 1);
    manifest = manifestFromRow(query, JSON.parse(manifestText(leading.lines[leading.lines.length - 1], args.format)) as ManifestRow);
    if (args.format === 'csv') {
      head = Buffer.concat([Buffer.from(`${leading.lines[0]}\n`), leading.rest]);
      rows = copy;
    } else {
      const ndjson = new NdjsonLines(statement.fields, statement.maskBits);
      copy.on('error', (error: Error) => ndjson.destroy(error));
      ndjson.write(leading.rest);
      copy.pipe(ndjson);
      head = Buffer.alloc(0);
      rows = ndjson;
      lines = ndjson;
    }
  } catch (error) {
    await snapshot.abort();
    throw error;
  }
  let ended = false;
  return {
    manifest,
    columns: exportColumns(ability),
    head,
    rows,
    async end({ completed, rowCount }) {
      if (ended) return;
      ended = true;
      let committed = false;
      if (completed) {
        try {
          await snapshot.close();
          committed = true;
        } catch {
          committed = false;
        }
      } else {
        // Keep reading (and dropping) what the server still sends, so the cancel's error and the ROLLBACK get through.
        if (lines) {
          copy.unpipe(lines);
          lines.destroy();
        }
        copy.removeAllListeners('data');
        copy.on('data', () => undefined);
        copy.resume();
        await snapshot.abort();
      }
      try {
        await logMarketingListExport(ctx.core, principal, ctx.request, {
          route: 'STREAM', channel: args.channel, storeIds, format: args.format,
          rowCount: committed ? manifest.included : rowCount, manifestHash: manifest.contentHash, completed: committed,
        });
      } catch (error) {
        // The rows have left already: nothing to withhold, but the failure must be seen.
        logger.error({ requestId: ctx.request.requestId, err: safeErrorMessage(error) }, 'marketing list export log write failed');
      }
    },
  };
}

/**
 * Reads the first `count` lines of the COPY output (the CSV header, then the manifest row) and pauses the stream;
 * `rest` is what arrived after them. Rejects if the COPY fails or ends first.
 */
function leadingLines(rows: CopyToStreamQuery, count: number): Promise<{ lines: string[]; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let newlines = 0;
    const cleanup = () => {
      rows.off('data', onData);
      rows.off('error', onError);
      rows.off('end', onEnd);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines += 1;
      if (newlines < count) return;
      rows.pause();
      cleanup();
      const all = Buffer.concat(chunks);
      const lines: string[] = [];
      let start = 0;
      for (let n = 0; n < count; n += 1) {
        const end = all.indexOf(10, start);
        lines.push(all.subarray(start, end).toString('utf8'));
        start = end + 1;
      }
      resolve({ lines, rest: all.subarray(start) });
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onEnd = () => {
      cleanup();
      reject(new Error('the marketing list COPY ended before its manifest row'));
    };
    rows.on('data', onData);
    rows.on('error', onError);
    rows.on('end', onEnd);
  });
}

/**
 * The manifest row's JSON: its first column; in NDJSON's COPY text, up to the first tab; in CSV, quoted by COPY
 * (`"{""a"":1}"`) and followed by the empty columns' commas.
 */
function manifestText(line: string, format: ExportFormat): string {
  if (format === 'ndjson') return manifestFromCopyText(line);
  const quoted = line.slice(0, line.lastIndexOf('"') + 1);
  return quoted.slice(1, -1).replace(/""/g, '"');
}
