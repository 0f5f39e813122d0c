/**
 * The customer data export's disclosure log: one `customer_data_export` row per export (who, the session or
 * API token, when, from where, whose data, the data-subject request it answers, the format, whether it
 * completed and the parts that left). Written on the pool, after the stream, in one transaction with the
 * request's LINKED_EXPORT event when the export completed and named a request.
 */
import { DataSource, EntityManager } from 'typeorm';
import { RequestInfo } from '../../context/request-info';
import { Principal } from '../../policies/ability';

export interface ExportLogEntry {
  customerId: string;
  dataRequestId: string | null;
  format: 'xml' | 'json';
  completed: boolean;
  parts: readonly string[];
}

/** Inserts the row in `manager`'s transaction; returns its id. */
export async function insertCustomerExport(manager: EntityManager | DataSource, principal: Principal, request: RequestInfo, entry: ExportLogEntry): Promise<string> {
  const rows: { id: string }[] = await manager.query(
    `INSERT INTO customer_data_export (chain_id, user_id, session_id, request_id, client_address, customer_id, data_request_id, format, completed, parts)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text[]) RETURNING id`,
    [principal.chainId, principal.userId, principal.sessionId, request.requestId, request.clientAddress,
      entry.customerId, entry.dataRequestId, entry.format, entry.completed, [...entry.parts]],
  );
  return rows[0].id;
}
