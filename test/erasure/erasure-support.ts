/**
 * Helpers of the erasure suites: a customer with personal data in every place a customer's data goes (change log
 * values, consent with a sale reference, a restriction reason, an objection, a cancelled appointment's reason),
 * an erasure request in the register, a search of every text and jsonb column of both databases for values, and
 * the audit verification `npm run audit:verify` runs.
 */
import { DataSource } from 'typeorm';
import { runAuditVerify } from '../../src/hash-chain/verify-report';
import { TestApp } from '../support/test-app';
import { SignedInClient } from '../support/actors';

export const ERASE = `mutation($customerId: ID!, $dataRequestId: ID!) { eraseCustomer(customerId: $customerId, dataRequestId: $dataRequestId) { outcome retained { category reason } } }`;

export interface Person {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
}

/** A person no seeded row can contain (unique per call). */
export function person(tag: string): Person {
  const n = Math.floor(Math.random() * 1e6).toString().padStart(6, '0');
  return { firstName: `Quennell${tag}`, lastName: `Abernathy${n}`, email: `q.${tag.toLowerCase()}.${n}@erasure.example`, phone: `07700 9${n.slice(0, 5)}` };
}

/** Creates the customer at Leeds as the store manager, with an updated phone (so the change log holds old values too). */
export async function createCustomer(manager: SignedInClient, leedsId: string, p: Person): Promise<string> {
  const created = await manager.request<{ createCustomer: { id: string } }>(
    `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`,
    { input: { firstName: p.firstName, lastName: p.lastName, dateOfBirth: '1980-04-12', homeStoreId: leedsId, email: p.email, phone: '07700 900000', addressLine1: `1 ${p.lastName} Row`, city: 'Leeds', postcode: 'LS1 4AP' } },
  );
  expect(created.errors).toBeUndefined();
  const id = created.data!.createCustomer.id;
  const updated = await manager.request(`mutation($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id } }`, { id, input: { phone: p.phone } });
  expect(updated.errors).toBeUndefined();
  return id;
}

/** An EMAIL consent granted as a soft opt-in whose sale reference names the person, and a restriction (lifted) whose reasons do. */
export async function addPersonalHistory(assistant: SignedInClient, manager: SignedInClient, customerId: string, p: Person): Promise<void> {
  const granted = await assistant.request(
    `mutation($input: ConsentChangeInput!) { recordConsentChange(input: $input) { channel } }`,
    { input: { customerId, channel: 'EMAIL', granted: true, source: 'IN_STORE', wordingVersion: '2026-06', basis: 'SOFT_OPT_IN', saleReference: `INV ${p.lastName}`, optOutOffered: true } },
  );
  expect(granted.errors).toBeUndefined();
  const sms = await assistant.request(
    `mutation($input: ConsentChangeInput!) { recordConsentChange(input: $input) { channel } }`,
    { input: { customerId, channel: 'SMS', granted: true, source: 'IN_STORE', wordingVersion: '2024-01' } },
  );
  expect(sms.errors).toBeUndefined();
  const restricted = await manager.request(`mutation($c: ID!, $r: String!) { restrictProcessing(customerId: $c, reason: $r) { restricted } }`,
    { c: customerId, r: `${p.firstName} ${p.lastName} contests the address` });
  expect(restricted.errors).toBeUndefined();
  const lifted = await manager.request(`mutation($c: ID!, $r: String!) { liftRestriction(customerId: $c, reason: $r) { restricted } }`,
    { c: customerId, r: `Checked with ${p.firstName}` });
  expect(lifted.errors).toBeUndefined();
}

/** Inserts an open request of the register for the customer (as the owner: the register's API is helper A's). */
export async function createRequest(app: TestApp, customerId: string, type = 'ERASURE', status = 'OPEN'): Promise<string> {
  const [row] = (await app.ownerCore.query(
    `INSERT INTO data_request (chain_id, customer_id, store_id, type, channel, status, received_at, due_at, created_by_id)
     SELECT c.chain_id, c.id, c.home_store_id, $2, 'EMAIL', $3, now(), now() + interval '1 month', u.id
       FROM customer c, staff_user u WHERE c.id = $1 AND u.email = 'dpo@clearview.example' RETURNING id::text AS id`,
    [customerId, type, status],
  )) as { id: string }[];
  return row.id;
}

/** Every (table.column) of a database's text, varchar and jsonb columns whose value contains one of `needles`. */
export async function findValues(db: DataSource, needles: string[]): Promise<string[]> {
  const columns = (await db.query(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY', 'USER-DEFINED')
        AND table_name NOT LIKE 'typeorm%' ORDER BY 1, 2`,
  )) as { table_name: string; column_name: string }[];
  const hits: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    const found = (await db.query(
      `SELECT count(*)::int AS n FROM "${table}" WHERE ${needles.map((_, i) => `"${column}"::text ILIKE $${i + 1}`).join(' OR ')}`,
      needles.map((n) => `%${n}%`),
    )) as { n: number }[];
    if (found[0].n > 0) hits.push(`${table}.${column}`);
  }
  return hits;
}

/** What `npm run audit:verify` runs, as the owner: every log of both databases. */
export async function auditVerifies(app: TestApp): Promise<{ ok: boolean; lines: string[] }> {
  const report = await runAuditVerify({ core: app.ownerCore, clinical: app.ownerClinical });
  return { ok: report.ok, lines: report.lines };
}
