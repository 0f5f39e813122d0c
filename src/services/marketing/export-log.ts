/**
 * The marketing list's export log: one `marketing_list_export` row per GraphQL page and per streamed export
 * (who, the session or API token, when, from where, the filter, the format, how many customers left, the
 * manifest's hash, whether it completed). Written on the pool, outside the read snapshot the list came from.
 */
import { DataSource } from 'typeorm';
import { Principal } from '../../policies/ability';
import { ConsentChannel } from '../../schema/enums';
import { RequestInfo } from '../../context/request-info';

export interface ExportLogEntry {
  route: 'GRAPHQL' | 'STREAM';
  channel: ConsentChannel;
  storeIds: readonly string[];
  format: 'csv' | 'ndjson' | null;
  rowCount: number;
  manifestHash: string;
  completed: boolean;
}

export async function logMarketingListExport(core: DataSource, principal: Principal, request: RequestInfo, entry: ExportLogEntry): Promise<void> {
  await core.query(
    `INSERT INTO marketing_list_export (chain_id, user_id, session_id, request_id, client_address, route, channel, store_ids, format, row_count, manifest_hash, completed)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::uuid[], $9, $10, $11, $12)`,
    [principal.chainId, principal.userId, principal.sessionId, request.requestId, request.clientAddress, entry.route, entry.channel,
      [...entry.storeIds], entry.format, entry.rowCount, entry.manifestHash, entry.completed],
  );
}
