/**
 * Collects the clinical reads of one request (granted and denied) and writes them to the clinical
 * database's access log in one INSERT when the request ends. Entries are grouped per customer,
 * subject, store, outcome and emergency access, with the record ids and field names read and the role
 * assignments that granted them: identifiers only. The database dates, hashes and links them under the
 * chain's lock (function clinical_access_log_append, one call per request and principal).
 */
import { DataSource } from 'typeorm';
import { Principal } from '../policies/ability';
import { ClinicalRead, ClinicalReadRecorder } from '../policies/guard-context';
import { emergencyAccessOf } from '../policies/emergency-rules';
import { RequestInfo } from '../context/request-info';

interface Group {
  principal: Principal;
  customerId: string;
  storeId: string | null;
  subject: string;
  granted: boolean;
  emergencyAccessId: string | null;
  recordIds: Set<string>;
  fields: Set<string>;
  assignmentIds: Set<string>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class ClinicalAccessBuffer implements ClinicalReadRecorder {
  private readonly groups = new Map<string, Group>();

  /**
   * Records a read made by `principal`: the caller at the time of the read (one request has one
   * principal, src/auth/sign-in-alone.ts; the entry still names whoever's rights the read used).
   */
  record(principal: Principal, read: ClinicalRead): void {
    // A read counts as emergency access only when no role assignment grants it as well.
    const assignmentIds = read.grants.filter((reason) => UUID.test(reason));
    const emergencyAccessId = read.granted && assignmentIds.length === 0
      ? read.grants.map(emergencyAccessOf).find((id) => id !== null) ?? null
      : null;
    const key = `${principal.sessionId}|${principal.userId}|${principal.chainId}|${read.customerId}|${read.subject}|${read.storeId ?? ''}|${read.granted ? 1 : 0}|${emergencyAccessId ?? ''}`;
    let group = this.groups.get(key);
    if (!group) {
      group = {
        principal, customerId: read.customerId, storeId: read.storeId, subject: read.subject, granted: read.granted, emergencyAccessId,
        recordIds: new Set(), fields: new Set(), assignmentIds: new Set(),
      };
      this.groups.set(key, group);
    }
    if (read.recordId) group.recordIds.add(read.recordId);
    group.fields.add(read.field);
    for (const id of assignmentIds) group.assignmentIds.add(id);
  }

  get size(): number {
    return this.groups.size;
  }

  /**
   * Writes every buffered entry, one statement per principal (in practice one); throws if a write fails
   * (the caller fails closed). Returns the principals whose entries were written.
   */
  async flush(clinical: DataSource, request: RequestInfo, operationName: string | null): Promise<Principal[]> {
    const byPrincipal = new Map<string, { principal: Principal; groups: Group[] }>();
    for (const group of this.groups.values()) {
      const key = `${group.principal.sessionId}|${group.principal.userId}|${group.principal.chainId}`;
      const entry = byPrincipal.get(key) ?? { principal: group.principal, groups: [] };
      entry.groups.push(group);
      byPrincipal.set(key, entry);
    }
    this.groups.clear();
    for (const { principal, groups } of byPrincipal.values()) await append(clinical, principal, request, operationName, groups);
    return [...byPrincipal.values()].map((entry) => entry.principal);
  }
}

/**
 * One request's entries of one principal, in one call of the append function, which dates them (the
 * database's clock, never before the chain's previous entry), hashes their content (canonical form 2,
 * src/hash-chain/access-log-canonical.ts), links and inserts them (migrations/clinical/*AuditLogClock.ts).
 */
async function append(clinical: DataSource, principal: Principal, request: RequestInfo, operationName: string | null, groups: Group[]): Promise<void> {
  await clinical.query(
    `SELECT clinical_access_log_append($1, $2, $3, $4, $5, $6, $7, $8,
       $9::uuid[], $10::uuid[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::uuid[])`,
    [
      principal.chainId, principal.userId, principal.sessionId, request.requestId, request.clientAddress,
      request.userAgent, operationName, request.purpose,
      groups.map((g) => g.customerId.toLowerCase()),
      groups.map((g) => g.storeId?.toLowerCase() ?? null),
      groups.map((g) => g.subject),
      groups.map((g) => arrayLiteral([...g.recordIds].map((id) => id.toLowerCase()))),
      groups.map((g) => arrayLiteral([...g.fields])),
      groups.map((g) => (g.granted ? 'GRANTED' : 'DENIED')),
      groups.map((g) => arrayLiteral([...g.assignmentIds].map((id) => id.toLowerCase()))),
      groups.map((g) => g.emergencyAccessId?.toLowerCase() ?? null),
    ],
  );
}

/** A PostgreSQL array literal with every element quoted. */
function arrayLiteral(items: string[]): string {
  return `{${items.map((item) => `"${item.replace(/["\\]/g, (ch) => `\\${ch}`)}"`).join(',')}}`;
}
