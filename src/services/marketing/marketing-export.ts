/**
 * The streamed marketing list export (GET /exports/marketing-list, src/server/marketing-export-route.ts): the
 * same list, rules and SQL as the `marketingList` query, read in one REPEATABLE READ READ ONLY snapshot on a
 * dedicated pool client (src/db/read-snapshot.ts): the manifest first, then every row through
 * `COPY (…) TO STDOUT` (pg-copy-streams), so memory stays flat whatever the list's length. `end()` finishes
 * it exactly once: a completed stream commits; a cut-off one cancels the COPY, rolls back and releases the
 * client. Either way the export is logged in `marketing_list_export` (route STREAM).
 */
import { to as copyTo } from 'pg-copy-streams';
import type { CopyToStreamQuery } from 'pg-copy-streams';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { openReadSnapshot } from '../../db/read-snapshot';
import { logger } from '../../logging/logger';
import { safeErrorMessage } from '../../logging/safe-error-message';
import { ConsentChannel } from '../../schema/enums';
import { logMarketingListExport } from './export-log';
import { bindSuppressionKey, Manifest, readManifest, storesInScope } from './marketing-list-read';
import { copyStatement, ExportFormat, exportColumns, exportStatement, ListQuery } from './marketing-list-sql';

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
  /** The rows as bytes: CSV with a header row, or one JSON object per line. Read it to the end, or call end(). */
  rows: CopyToStreamQuery;
  /** Commits (completed) or cancels and rolls back; logs the export with the rows that left. Once; never throws. */
  end(outcome: { completed: boolean; rowCount: number }): Promise<void>;
}

export async function startMarketingExport(ctx: AuthenticatedContext, args: MarketingExportArgs): Promise<MarketingExport> {
  const { principal, ability } = ctx;
  const snapshot = await openReadSnapshot(ctx.core);
  let manifest: Manifest;
  let query: ListQuery;
  let storeIds: string[];
  try {
    await bindSuppressionKey(snapshot, ctx.config);
    storeIds = await storesInScope(snapshot, ability, principal.chainId, args.storeIds);
    query = { chainId: principal.chainId, channel: args.channel, ability, storeIds };
    manifest = await readManifest(snapshot, query);
  } catch (error) {
    await snapshot.abort();
    throw error;
  }
  const rows = snapshot.client.query(copyTo(copyStatement(exportStatement(query, args.format), args.format)));
  // Errors reach the consumer through end(); a cancelled COPY errors by design.
  rows.on('error', () => undefined);
  let ended = false;
  return {
    manifest,
    columns: exportColumns(ability),
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
        rows.removeAllListeners('data');
        rows.on('data', () => undefined);
        rows.resume();
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
