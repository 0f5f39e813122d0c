/**
 * The canonical forms of a clinical access log entry: the exact bytes its hashes are computed over.
 * One implementation, used by the writer (src/hash-chain/access-log-writer.ts: version 2 from user_id on, the
 * database prefixes the label, chain and its own time and hashes) and by the verifier
 * (src/hash-chain/verify-chain.ts, both versions). PostgreSQL builds the same bytes for entries inserted
 * without them (function `clinical_access_log_content_v2`, and the 19-argument
 * `clinical_access_log_append_batch`, migrations/clinical).
 *
 * Encoding of one value (a netstring):  NULL -> `-`;  text -> `<byte length of its UTF-8>:<text>,`;
 * an array -> `[` + each element encoded as a value, in array order + `]`. uuids in PostgreSQL's text form
 * (lowercase, hyphenated); times as integer microseconds since 1970-01-01T00:00:00Z (decimal).
 *
 * Version 1 (`canon_version` 1, entries written before migration *AccessLogV2): hash = SHA-256 of
 *   label `visus.clinical_access_log.v1`, chain_id, seq, id, occurred_at, user_id, session_id, request_id,
 *   client_address, operation_name, customer_id, store_id, subject, record_ids[], fields[], outcome,
 *   prev_hash (lowercase hex).
 *
 * Version 2: the content is hashed on its own, outside the chain's lock, by the writer:
 *   content_hash = SHA-256 of label `visus.clinical_access_log.v2`, chain_id, occurred_at, user_id,
 *   session_id, request_id, client_address, user_agent, operation_name, purpose, customer_id, store_id,
 *   subject, record_ids[], fields[], outcome, assignment_ids[], emergency_access_id;
 * and the database links it into the chain under the lock (trigger `clinical_access_log_entry_chain`):
 *   hash = SHA-256( UTF-8 of value(seq) || prev_hash (32 bytes) || content_hash (32 bytes) ).
 * Splitting the two keeps the per-chain lock short: only the link is computed while it is held.
 */
import { createHash } from 'node:crypto';

export const LABEL_V1 = 'visus.clinical_access_log.v1';
export const LABEL_V2 = 'visus.clinical_access_log.v2';
export const ZERO_HASH: Buffer = Buffer.alloc(32);

/** What version 1 covers (besides `hash`). */
export interface CanonicalV1 {
  chain_id: string;
  seq: string;
  id: string;
  occurred_at_us: string;
  user_id: string;
  session_id: string;
  request_id: string;
  client_address: string | null;
  operation_name: string | null;
  customer_id: string;
  store_id: string | null;
  subject: string;
  record_ids: (string | null)[] | null;
  fields: (string | null)[] | null;
  outcome: string;
  prev_hash: Buffer;
}

/** What a version 2 content hash covers. */
export interface ContentV2 {
  chain_id: string;
  occurred_at_us: string;
  user_id: string;
  session_id: string;
  request_id: string;
  client_address: string | null;
  user_agent: string | null;
  operation_name: string | null;
  purpose: string | null;
  customer_id: string;
  store_id: string | null;
  subject: string;
  record_ids: (string | null)[] | null;
  fields: (string | null)[] | null;
  outcome: string;
  assignment_ids: (string | null)[] | null;
  emergency_access_id: string | null;
}

export function canonValue(v: string | null): string {
  return v === null ? '-' : `${Buffer.byteLength(v, 'utf8')}:${v},`;
}

export function canonList(a: readonly (string | null)[] | null): string {
  return a === null ? '-' : `[${a.map(canonValue).join('')}]`;
}

/** `canonValue` of a uuid in PostgreSQL's text form (always 36 ASCII characters), without measuring it. */
export function canonUuid(id: string): string {
  return `36:${id},`;
}

/** `canonList` of uuids in PostgreSQL's text form. */
export function canonUuidList(ids: readonly string[]): string {
  return ids.length === 0 ? '[]' : `[36:${ids.join(',36:')},]`;
}

const sha256 = (...parts: Buffer[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

export function canonicalV1(e: CanonicalV1): Buffer {
  const text = canonValue(LABEL_V1)
    + canonValue(e.chain_id) + canonValue(e.seq) + canonValue(e.id) + canonValue(e.occurred_at_us)
    + canonValue(e.user_id) + canonValue(e.session_id) + canonValue(e.request_id) + canonValue(e.client_address) + canonValue(e.operation_name)
    + canonValue(e.customer_id) + canonValue(e.store_id) + canonValue(e.subject)
    + canonList(e.record_ids) + canonList(e.fields)
    + canonValue(e.outcome) + canonValue(e.prev_hash.toString('hex'));
  return Buffer.from(text, 'utf8');
}

export function hashV1(e: CanonicalV1): Buffer {
  return sha256(canonicalV1(e));
}

/** What a version 2 content hash covers of the request an entry belongs to (after the label, chain and time). */
export type ContentV2Request = Pick<ContentV2, 'user_id' | 'session_id' | 'request_id' | 'client_address' | 'user_agent' | 'operation_name' | 'purpose'>;

/** The request's part of form 2: the values from user_id to purpose. */
export function contentV2RequestPart(e: ContentV2Request): string {
  return canonValue(e.user_id) + canonValue(e.session_id) + canonValue(e.request_id) + canonValue(e.client_address)
    + canonValue(e.user_agent) + canonValue(e.operation_name) + canonValue(e.purpose);
}

/** The entry's part of form 2 before its field list: customer_id, store_id, subject, record_ids (`recordIds` encoded by `canonList`). */
export function contentV2EntryHead(e: Pick<ContentV2, 'customer_id' | 'store_id' | 'subject'>, recordIds: string): string {
  return canonValue(e.customer_id) + canonValue(e.store_id) + canonValue(e.subject) + recordIds;
}

/** The entry's part of form 2 after its field list: outcome, assignment_ids (`assignmentIds` encoded by `canonList`), emergency_access_id. */
export function contentV2EntryTail(e: Pick<ContentV2, 'outcome' | 'emergency_access_id'>, assignmentIds: string): string {
  return canonValue(e.outcome) + assignmentIds + canonValue(e.emergency_access_id);
}

export function contentV2(e: ContentV2): Buffer {
  const text = canonValue(LABEL_V2)
    + canonValue(e.chain_id) + canonValue(e.occurred_at_us)
    + contentV2RequestPart(e)
    + contentV2EntryHead(e, canonList(e.record_ids)) + canonList(e.fields) + contentV2EntryTail(e, canonList(e.assignment_ids));
  return Buffer.from(text, 'utf8');
}

export function contentHashV2(e: ContentV2): Buffer {
  return sha256(contentV2(e));
}

/** A version 2 entry's chain hash: its position, its predecessor's hash and its content hash. */
export function linkHashV2(seq: string, prevHash: Buffer, contentHash: Buffer): Buffer {
  return sha256(Buffer.from(canonValue(seq), 'utf8'), prevHash, contentHash);
}
