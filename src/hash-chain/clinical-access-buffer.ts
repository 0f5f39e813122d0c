/**
 * Collects the clinical reads of one request (granted and denied) and hands them to the access log's
 * writer when the request ends (src/hash-chain/access-log-writer.ts: group commit, one INSERT per batch of
 * concurrent requests). Entries are grouped per customer, subject, store, outcome and emergency access,
 * with the record ids and field names read and the role assignments that granted them: identifiers only.
 * The database dates, hashes and links them under the chain's lock (clinical_access_log_append_batch).
 */
import { DataSource } from 'typeorm';
import { Principal } from '../policies/ability';
import { ClinicalRead, ClinicalReadRecorder } from '../policies/guard-context';
import { emergencyAccessOf } from '../policies/emergency-rules';
import { RequestInfo } from '../context/request-info';
import { AccessLogEntryDraft, AccessLogRequest, writeAccessLog } from './access-log-writer';

interface Group extends AccessLogEntryDraft {
  principal: Principal;
  recordIds: Set<string>;
  fields: Set<string>;
  assignmentIds: Set<string>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The last read recorded and its group: graphql-js resolves a row's fields one after the other. */
interface LastRead {
  principal: Principal;
  read: ClinicalRead;
  group: Group;
}

/** Same grants, in the same order (they decide the group's role assignments and emergency access). */
function sameGrants(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

export class ClinicalAccessBuffer implements ClinicalReadRecorder {
  private readonly groups = new Map<string, Group>();
  private last: LastRead | null = null;

  /**
   * Records a read made by `principal`: the caller at the time of the read (one request has one
   * principal, src/auth/sign-in-alone.ts; the entry still names whoever's rights the read used).
   */
  record(principal: Principal, read: ClinicalRead): void {
    // The next field of the same row, read under the same grants: the same group (about 800 reads per clinical
    // page, most of them this case), without building its key again.
    const last = this.last;
    if (last && last.principal === principal && last.read.customerId === read.customerId && last.read.subject === read.subject
      && last.read.storeId === read.storeId && last.read.granted === read.granted && sameGrants(last.read.grants, read.grants)) {
      if (read.recordId) last.group.recordIds.add(read.recordId);
      last.group.fields.add(read.field);
      return;
    }
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
    this.last = { principal, read, group };
  }

  get size(): number {
    return this.groups.size;
  }

  /** The entries as they would be written now, in the order their first read came (for tests and diagnostics). */
  get entries(): readonly AccessLogEntryDraft[] {
    return [...this.groups.values()];
  }

  /**
   * Writes every buffered entry, one request of the log per principal (in practice one), by group commit
   * (src/hash-chain/access-log-writer.ts: resolved only once the batch holding them committed) or in the
   * request's transaction when `clinical` is bound to one; throws if a write fails (the caller fails closed).
   * Returns the principals whose entries were written.
   */
  async flush(clinical: DataSource, request: RequestInfo, operationName: string | null): Promise<Principal[]> {
    const byPrincipal = new Map<string, AccessLogRequest>();
    for (const group of this.groups.values()) {
      const key = `${group.principal.sessionId}|${group.principal.userId}|${group.principal.chainId}`;
      const write = byPrincipal.get(key) ?? { principal: group.principal, request, operationName, entries: [] };
      write.entries.push(group);
      byPrincipal.set(key, write);
    }
    this.groups.clear();
    this.last = null;
    const writes = [...byPrincipal.values()];
    if (clinical.manager.queryRunner) {
      for (const write of writes) await writeAccessLog(clinical, write);
    } else {
      await Promise.all(writes.map((write) => writeAccessLog(clinical, write)));
    }
    return writes.map((write) => write.principal);
  }
}
