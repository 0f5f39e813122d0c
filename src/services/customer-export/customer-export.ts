/**
 * One customer's data export (access, Art. 15, and portability, Art. 20), for GET /exports/customers/{id}
 * (src/server/customer-export-route.ts). `prepareCustomerExport` does everything that can refuse, before a
 * byte is sent: one REPEATABLE READ READ ONLY snapshot per database (src/db/read-snapshot.ts), the customer
 * in the caller's read scope (else NOT_FOUND), the permissions (src/policies/customer-export-access.ts: else
 * FORBIDDEN naming what is missing), the data-subject request named (ACCESS or PORTABILITY of that customer,
 * checked under its lock), and the clinical access log entries for every clinical record the export will
 * carry, WRITTEN before anything leaves (fail closed: if the log cannot be written, nothing is sent).
 * `run` then streams the parts (src/services/customer-export/export-parts.ts), each from a cursor
 * (pg-query-stream) and written as it comes with backpressure, and ends exactly once: a complete export
 * commits both snapshots; a cut-off one (client gone, or an error) closes the cursor and rolls both back.
 * Either way the export is logged in `customer_data_export`; a complete one named with a request also
 * appends LINKED_EXPORT to the request's history in the same transaction.
 */
import QueryStream from 'pg-query-stream';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { ENCRYPTED_FIELDS, EncryptedRecordType, openValue } from '../../crypto/clinical-text';
import { keyRingFor } from '../../crypto/key-ring';
import { openReadSnapshot, ReadSnapshot } from '../../db/read-snapshot';
import { forbidden, notFound } from '../../errors/errors';
import { ClinicalAccessBuffer } from '../../hash-chain/clinical-access-buffer';
import { logger } from '../../logging/logger';
import { safeErrorMessage } from '../../logging/safe-error-message';
import { scoped } from '../../policies/ability';
import { catalogSubject } from '../../policies/catalog';
import {
  customerExportRefusals, ExportedCustomer, exportReadGrants, mayFindCustomer,
} from '../../policies/customer-export-access';
import { DataRequestEventKind, DataRequestType } from '../../schema/enums';
import { lockRequestForAct, recordRequestEvent } from '../data-requests/request-link';
import { documentWriter, ExportFormat, FORMAT_VERSION, Row } from './document-writers';
import { insertCustomerExport } from './export-log';
import { CUSTOMER_PART, ExportPart, LIST_PARTS, STAFF_NAME_KEYS } from './export-parts';
import { bundleEntry, contactLensVisionPrescription, Patient, spectacleVisionPrescription } from './fhir';
import { NOT_INCLUDED } from './not-included';

/** The operation name the export's access log entries carry. */
export const CUSTOMER_EXPORT_OPERATION = 'customerDataExport';
/** Requests an export may answer. */
export const EXPORT_REQUEST_TYPES: readonly DataRequestType[] = [DataRequestType.ACCESS, DataRequestType.PORTABILITY];
/** Bytes collected before a write to the socket. */
const CHUNK_BYTES = 16 * 1024;
/** Rows a cursor fetches at a time. */
const BATCH_ROWS = 200;

export interface CustomerExportArgs {
  customerId: string;
  format: ExportFormat;
  dataRequestId: string | null;
}

/** Where the document goes: the HTTP response, seen through what backpressure needs. */
export interface ExportTarget {
  /** false: wait for `drained()` before writing more. */
  write(chunk: string): boolean;
  /** Resolves true when the target can take more, false when it closed. */
  drained(): Promise<boolean>;
  readonly closed: boolean;
}

export interface PreparedExport {
  /** Streams the document to the target, ends both snapshots and logs the export. Never throws. */
  run(target: ExportTarget): Promise<{ completed: boolean; parts: string[] }>;
  /** Ends it without sending anything (the route could not start the response). */
  abandon(): Promise<void>;
}

const CLINICAL_TABLES: Readonly<Record<string, string>> = {
  Examination: 'examination', SpectaclePrescription: 'spectacle_prescription',
  ContactLensSpecification: 'contact_lens_specification', ClinicalNote: 'clinical_note',
};

async function openSnapshot(ctx: AuthenticatedContext, database: 'core' | 'clinical'): Promise<ReadSnapshot> {
  const snapshot = await openReadSnapshot(database === 'core' ? ctx.core : ctx.clinical);
  try {
    await snapshot.query(`SET LOCAL TimeZone = 'UTC'`);
  } catch (error) {
    await snapshot.abort();
    throw error;
  }
  return snapshot;
}

/** The stores of the customer's rows of each store-scoped subject, read in the snapshots. */
async function recordStores(core: ReadSnapshot, clinical: ReadSnapshot, customer: ExportedCustomer): Promise<Record<string, (string | null)[]>> {
  const stores: Record<string, (string | null)[]> = {};
  const params = [customer.chainId, customer.id];
  // NULL included: an access log entry without a store is readable only under a chain-wide grant, and is exported.
  const distinct = async (snapshot: ReadSnapshot, table: string): Promise<(string | null)[]> =>
    (await snapshot.query<{ storeId: string | null }>(
      `SELECT DISTINCT store_id AS "storeId" FROM ${table} WHERE chain_id = $1 AND customer_id = $2`, params,
    )).map((row) => row.storeId);
  stores.Appointment = await distinct(core, 'appointment');
  for (const [subject, table] of Object.entries(CLINICAL_TABLES)) stores[subject] = await distinct(clinical, table);
  stores.AccessLogEntry = await distinct(clinical, 'clinical_access_log_entry');
  return stores;
}

/**
 * Buffers one access log entry per clinical subject and store (the records and every field the export
 * carries), one for the access log part (AccessLogEntry, like the DPO's review of it) and one for the
 * export itself (Customer, field `export`: an export subject, counted by BULK_EXPORTS), then writes them.
 */
async function logClinicalReads(ctx: AuthenticatedContext, clinical: ReadSnapshot, customer: ExportedCustomer): Promise<void> {
  const buffer = new ClinicalAccessBuffer();
  const grants = new Map<string, string[]>();
  const grantsAt = (subject: string, storeId: string): string[] => {
    const key = `${subject}|${storeId}`;
    if (!grants.has(key)) grants.set(key, exportReadGrants(ctx.ability, customer, subject, storeId));
    return grants.get(key)!;
  };
  const read = (subject: string, storeId: string, recordId: string | null, field: string) => buffer.record(ctx.principal, {
    customerId: customer.id, storeId, subject, recordId, field, granted: true, grants: grantsAt(subject, storeId),
  });
  for (const [subject, table] of Object.entries(CLINICAL_TABLES)) {
    const fields = (catalogSubject(subject)?.fields ?? []).map((field) => field.name);
    const groups = await clinical.query<{ storeId: string; ids: string[] }>(
      `SELECT store_id AS "storeId", array_agg(id ORDER BY id) AS ids FROM ${table} WHERE chain_id = $1 AND customer_id = $2 GROUP BY store_id`,
      [customer.chainId, customer.id],
    );
    for (const group of groups) {
      for (const id of group.ids) for (const field of fields) read(subject, group.storeId, id, field);
    }
  }
  read('AccessLogEntry', customer.homeStoreId, null, 'customerDataExport');
  buffer.record(ctx.principal, {
    customerId: customer.id, storeId: customer.homeStoreId, subject: 'Customer', recordId: customer.id, field: 'export', granted: true,
    grants: ctx.ability.rulesFor('export', 'Customer').filter((rule) => !rule.inverted && rule.reason && rule.matchesConditions({
      chainId: customer.chainId, storeId: customer.homeStoreId, id: customer.id,
    })).map((rule) => rule.reason as string),
  });
  await buffer.flush(ctx.clinical, ctx.request, CUSTOMER_EXPORT_OPERATION);
}

/**
 * Checks the named request (ACCESS or PORTABILITY of this customer, open) under its lock, then lets it go.
 * Linking appends LINKED_EXPORT to the request's history, a write: it needs `export DataRequest` at the
 * request's store (the catalog reserves that action for it), not only `read`.
 */
async function checkDataRequest(ctx: AuthenticatedContext, customerId: string, dataRequestId: string): Promise<void> {
  await ctx.core.transaction(async (manager) => {
    await lockRequestForAct(ctx, manager, dataRequestId, customerId, EXPORT_REQUEST_TYPES, 'dataRequestId');
    const [request] = await manager.query<{ chainId: string; storeId: string }[]>(
      'SELECT chain_id AS "chainId", store_id AS "storeId" FROM data_request WHERE id = $1', [dataRequestId],
    );
    if (!ctx.ability.can('export', scoped('DataRequest', { chainId: request.chainId, storeId: request.storeId, id: dataRequestId }))) {
      throw forbidden('Not allowed to link an export to this request: missing export DataRequest at its store.');
    }
  });
}

export async function prepareCustomerExport(ctx: AuthenticatedContext, args: CustomerExportArgs): Promise<PreparedExport> {
  const { principal } = ctx;
  const core = await openSnapshot(ctx, 'core');
  let clinical: ReadSnapshot | null = null;
  let customer: ExportedCustomer;
  let customerRow: Row;
  let exportedBy: string | null;
  try {
    const [found] = await core.query<{ r: Row & { homeStoreId: string } }>(CUSTOMER_PART.sql, [principal.chainId, args.customerId]);
    if (!found) throw notFound('Customer');
    customer = { id: String(found.r.id), chainId: principal.chainId, homeStoreId: found.r.homeStoreId };
    if (!mayFindCustomer(ctx.ability, customer)) throw notFound('Customer');
    customerRow = found.r;
    clinical = await openSnapshot(ctx, 'clinical');
    const refusals = customerExportRefusals(ctx.ability, customer, await recordStores(core, clinical, customer));
    if (refusals.length > 0) throw forbidden(`Not allowed to export this customer’s data: missing ${refusals.join('; ')}. The export is the whole of the customer’s data; it is refused rather than sent without a part.`);
    if (args.dataRequestId) await checkDataRequest(ctx, customer.id, args.dataRequestId);
    [{ name: exportedBy }] = await core.query<{ name: string | null }>('SELECT (SELECT name FROM staff_user WHERE id = $1) AS name', [principal.userId]);
    // Fail closed: the clinical reads are on the log before anything leaves.
    await logClinicalReads(ctx, clinical, customer);
  } catch (error) {
    await Promise.all([core.abort(), clinical?.abort()]);
    throw error;
  }
  const snapshots = { core, clinical };
  const header: Row = {
    formatVersion: FORMAT_VERSION, exportedAt: new Date().toISOString(), exportedById: principal.userId, exportedByName: exportedBy,
    chainId: principal.chainId, customerId: customer.id, dataRequestId: args.dataRequestId, format: args.format, requestId: ctx.request.requestId,
  };
  let ended = false;
  const end = async (completed: boolean, parts: string[]): Promise<void> => {
    if (ended) return;
    ended = true;
    let committed = false;
    if (completed) {
      try {
        await snapshots.core.close();
        await snapshots.clinical.close();
        committed = true;
      } catch {
        await Promise.all([snapshots.core.abort(), snapshots.clinical.abort()]);
      }
    } else {
      await Promise.all([snapshots.core.abort(), snapshots.clinical.abort()]);
    }
    await logExport(ctx, args, committed, parts);
  };
  return {
    async run(target) {
      const parts: string[] = [];
      let completed = false;
      try {
        completed = await streamDocument(ctx, snapshots, args, customerRow, header, target, parts);
      } catch (error) {
        logger.error({ requestId: ctx.request.requestId, err: safeErrorMessage(error) }, 'customer data export failed mid-stream');
      }
      await end(completed, parts);
      return { completed, parts };
    },
    abandon: () => end(false, []),
  };
}

/** The disclosure log row (and, for a complete export under a request, its LINKED_EXPORT event). Never throws. */
async function logExport(ctx: AuthenticatedContext, args: CustomerExportArgs, completed: boolean, parts: string[]): Promise<void> {
  try {
    await ctx.core.transaction(async (manager) => {
      let linked = false;
      if (args.dataRequestId && completed) {
        try {
          await lockRequestForAct(ctx, manager, args.dataRequestId, args.customerId, EXPORT_REQUEST_TYPES, 'dataRequestId');
          linked = true;
        } catch {
          // Closed or withdrawn while the export streamed: the export is still logged, with the request it named.
        }
      }
      const exportId = await insertCustomerExport(manager, ctx.principal, ctx.request, {
        customerId: args.customerId, dataRequestId: args.dataRequestId, format: args.format, completed, parts,
      });
      if (linked && args.dataRequestId) {
        await recordRequestEvent(ctx, manager, args.dataRequestId, {
          kind: DataRequestEventKind.LINKED_EXPORT, details: { exportId, format: args.format, parts },
        });
      }
    });
  } catch (error) {
    // The data has left already: nothing to withhold, but the failure must be seen.
    logger.error({ requestId: ctx.request.requestId, err: safeErrorMessage(error) }, 'customer data export log write failed');
  }
}

/** Collects small pieces into chunks and writes them with backpressure. */
class Sink {
  private pieces: string[] = [];
  private size = 0;

  constructor(private readonly target: ExportTarget) {}

  push = (piece: string): void => {
    this.pieces.push(piece);
    this.size += piece.length;
  };

  /** Writes what is collected (once it is a chunk, or always with `force`); false when the target has closed. */
  async flush(force = false): Promise<boolean> {
    if (this.target.closed) return false;
    if (this.size === 0 || (!force && this.size < CHUNK_BYTES)) return true;
    const chunk = this.pieces.join('');
    this.pieces = [];
    this.size = 0;
    if (this.target.write(chunk)) return !this.target.closed;
    return this.target.drained();
  }
}

async function* cursorRows(snapshot: ReadSnapshot, part: ExportPart, params: unknown[]): AsyncGenerator<Row> {
  const stream = snapshot.client.query(new QueryStream(part.sql, params, { batchSize: BATCH_ROWS, highWaterMark: BATCH_ROWS }));
  try {
    for await (const row of stream as AsyncIterable<{ r: Row }>) yield row.r;
  } finally {
    stream.destroy();
  }
}

/** Staff names (core) for the staff ids of clinical rows, each looked up once per export. */
function staffNames(core: ReadSnapshot): (row: Row) => Promise<Row> {
  const cache = new Map<string, string | null>();
  const nameOf = async (id: string): Promise<string | null> => {
    if (!cache.has(id)) {
      const [found] = await core.query<{ name: string }>('SELECT name FROM staff_user WHERE id = $1', [id]);
      cache.set(id, found?.name ?? null);
    }
    return cache.get(id) ?? null;
  };
  return async (row) => {
    const out: Row = {};
    for (const [key, value] of Object.entries(row)) {
      out[key] = value;
      const nameKey = STAFF_NAME_KEYS[key];
      if (nameKey) out[nameKey] = typeof value === 'string' ? await nameOf(value) : null;
    }
    return out;
  };
}

/** Export parts whose rows carry encrypted free text, and their record type. */
const ENCRYPTED_PARTS: Readonly<Record<string, EncryptedRecordType>> = { examinations: 'Examination', clinicalNotes: 'ClinicalNote' };

/**
 * A row of a part with encrypted free text, decrypted (src/crypto/clinical-text.ts); other rows as they are.
 * Data keys are looked up through the pool, not the snapshot: its client is busy with the part's cursor.
 */
async function decrypted(ctx: AuthenticatedContext, part: ExportPart, row: Row): Promise<Row> {
  const recordType = ENCRYPTED_PARTS[part.name];
  if (!recordType) return row;
  const ring = keyRingFor(ctx.config.masterKeyFile);
  const out: Row = { ...row };
  for (const field of ENCRYPTED_FIELDS[recordType]) {
    out[field] = await openValue(ring, ctx.clinical, ctx.principal.chainId, recordType, field, String(row.id), row[field]);
  }
  return out;
}

async function streamDocument(
  ctx: AuthenticatedContext,
  snapshots: { core: ReadSnapshot; clinical: ReadSnapshot },
  args: CustomerExportArgs,
  customerRow: Row,
  header: Row,
  target: ExportTarget,
  parts: string[],
): Promise<boolean> {
  const sink = new Sink(target);
  const writer = await documentWriter(args.format, sink.push);
  const params = [ctx.principal.chainId, args.customerId];
  const withNames = staffNames(snapshots.core);
  writer.begin(header);
  writer.record('customer', customerRow);
  parts.push('header', 'customer');
  if (!(await sink.flush(true))) return false;
  for (const part of LIST_PARTS) {
    writer.openList(part.name);
    const clinicalRows = part.database === 'clinical';
    for await (const row of cursorRows(clinicalRows ? snapshots.clinical : snapshots.core, part, params)) {
      writer.item(part.item, clinicalRows ? await withNames(await decrypted(ctx, part, row)) : row);
      if (!(await sink.flush())) return false;
    }
    writer.closeList();
    parts.push(part.name);
    if (!(await sink.flush(true))) return false;
  }
  if (args.format === 'json') {
    const patient: Patient = { id: args.customerId, display: [customerRow.firstName, customerRow.lastName].filter(Boolean).join(' ') };
    writer.openList('fhir', { resourceType: 'Bundle', type: 'collection' });
    const prescriptions = LIST_PARTS.filter((part) => part.name === 'spectaclePrescriptions' || part.name === 'contactLensSpecifications');
    for (const part of prescriptions) {
      const toFhir = part.name === 'spectaclePrescriptions' ? spectacleVisionPrescription : contactLensVisionPrescription;
      for await (const row of cursorRows(snapshots.clinical, part, params)) {
        const resource = toFhir(row, patient);
        if (resource) writer.item('entry', bundleEntry(resource));
        if (!(await sink.flush())) return false;
      }
    }
    writer.closeList();
    parts.push('fhir');
  }
  writer.openList('notIncluded');
  for (const item of NOT_INCLUDED) writer.item('item', { ...item });
  writer.closeList();
  parts.push('notIncluded');
  writer.end();
  return sink.flush(true);
}
