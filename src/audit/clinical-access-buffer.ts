/**
 * Collects the clinical reads of one request (granted and denied) and writes them to the clinical
 * database's access log in one INSERT when the request ends. Entries are grouped per customer,
 * subject, store and outcome, with the record ids and field names read: identifiers only.
 */
import { DataSource } from 'typeorm';
import { Principal } from '../policies/ability';
import { RequestInfo } from '../server/context';

export interface ClinicalRead {
  customerId: string;
  storeId: string | null;
  subject: string;
  recordId: string | null;
  field: string;
  granted: boolean;
}

interface Group {
  customerId: string;
  storeId: string | null;
  subject: string;
  granted: boolean;
  recordIds: Set<string>;
  fields: Set<string>;
}

export class ClinicalAccessBuffer {
  private readonly groups = new Map<string, Group>();

  record(read: ClinicalRead): void {
    const key = `${read.customerId}|${read.subject}|${read.storeId ?? ''}|${read.granted ? 1 : 0}`;
    let group = this.groups.get(key);
    if (!group) {
      group = { customerId: read.customerId, storeId: read.storeId, subject: read.subject, granted: read.granted, recordIds: new Set(), fields: new Set() };
      this.groups.set(key, group);
    }
    if (read.recordId) group.recordIds.add(read.recordId);
    group.fields.add(read.field);
  }

  get size(): number {
    return this.groups.size;
  }

  /** Writes every buffered entry in one statement; throws if the write fails (the caller fails closed). */
  async flush(clinical: DataSource, principal: Principal, request: RequestInfo, operationName: string | null): Promise<number> {
    if (this.groups.size === 0) return 0;
    const groups = [...this.groups.values()];
    this.groups.clear();
    // One row per group, passed as parallel arrays (unnest): a dozen parameters whatever the count.
    await clinical.query(
      `INSERT INTO clinical_access_log_entry
         (chain_id, user_id, session_id, request_id, client_address, operation_name,
          customer_id, store_id, subject, record_ids, fields, outcome)
       SELECT $1, $2, $3, $4, $5, $6, g.customer_id, g.store_id, g.subject, g.record_ids::uuid[], g.fields::text[], g.outcome::access_outcome
         FROM unnest($7::uuid[], $8::uuid[], $9::text[], $10::text[], $11::text[], $12::text[])
              AS g(customer_id, store_id, subject, record_ids, fields, outcome)`,
      [
        principal.chainId, principal.userId, principal.sessionId, request.requestId, request.clientAddress, operationName,
        groups.map((g) => g.customerId),
        groups.map((g) => g.storeId),
        groups.map((g) => g.subject),
        groups.map((g) => arrayLiteral([...g.recordIds])),
        groups.map((g) => arrayLiteral([...g.fields])),
        groups.map((g) => (g.granted ? 'GRANTED' : 'DENIED')),
      ],
    );
    return groups.length;
  }
}

/** A PostgreSQL array literal with every element quoted. */
function arrayLiteral(items: string[]): string {
  return `{${items.map((item) => `"${item.replace(/["\\]/g, (ch) => `\\${ch}`)}"`).join(',')}}`;
}
