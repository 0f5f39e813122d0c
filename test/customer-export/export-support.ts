/**
 * Helpers of the customer data export suites: GET /exports/customers/{id} with a token, the XSD validation
 * (xmllint-wasm against schemas/customer-export.xsd, as committed), and a demo customer with a full history.
 */
import fs from 'node:fs';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';
import type { TestApp } from '../support/test-app';

export const XSD = fs.readFileSync(path.join(__dirname, '../../schemas/customer-export.xsd'), 'utf8');

export interface ExportResponse {
  status: number;
  contentType: string | null;
  text: string;
}

export function exportBase(app: TestApp): string {
  return app.url.replace(/\/graphql$/, '');
}

export async function getExport(app: TestApp, token: string | null, customerId: string, query = 'format=xml', init: RequestInit = {}): Promise<ExportResponse> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const response = await fetch(`${exportBase(app)}/exports/customers/${customerId}?${query}`, { ...init, headers });
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

/** xmllint's verdict on the document against the committed XSD. */
export async function validateAgainstXsd(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const result = await validateXML({
    xml: [{ fileName: 'export.xml', contents: xml }],
    schema: [{ fileName: 'customer-export.xsd', contents: XSD }],
    maxMemoryPages: 16384,
  });
  return { valid: result.valid, errors: result.errors.map((error) => error.rawMessage) };
}

/** A demo customer of Leeds with at least one of every clinical record, consent history and appointments. */
export async function richLeedsCustomer(app: TestApp): Promise<{ id: string; chainId: string; homeStoreId: string }> {
  const candidates: { id: string; chainId: string; homeStoreId: string }[] = await app.ownerCore.query(
    `SELECT c.id, c.chain_id AS "chainId", c.home_store_id AS "homeStoreId" FROM customer c JOIN store s ON s.id = c.home_store_id
      WHERE s.name = 'Leeds' AND EXISTS (SELECT 1 FROM consent_event e WHERE e.customer_id = c.id)
        AND EXISTS (SELECT 1 FROM appointment a WHERE a.customer_id = c.id) ORDER BY c.id`,
  );
  const ids = candidates.map((c) => c.id);
  const rich: { customerId: string }[] = await app.ownerClinical.query(
    `SELECT customer_id AS "customerId" FROM examination x WHERE customer_id = ANY($1::uuid[])
        AND EXISTS (SELECT 1 FROM spectacle_prescription p WHERE p.customer_id = x.customer_id AND p.right_sphere IS NOT NULL)
        AND EXISTS (SELECT 1 FROM contact_lens_specification l WHERE l.customer_id = x.customer_id)
        AND EXISTS (SELECT 1 FROM clinical_note n WHERE n.customer_id = x.customer_id)
        AND EXISTS (SELECT 1 FROM refraction r WHERE r.examination_id = x.id)
        AND NOT EXISTS (SELECT 1 FROM examination o WHERE o.customer_id = x.customer_id AND o.store_id <> x.store_id)
      ORDER BY customer_id LIMIT 1`,
    [ids],
  );
  if (rich.length === 0) throw new Error('the demo seed has no Leeds customer with every kind of record');
  return candidates.find((c) => c.id === rich[0].customerId)!;
}

/** The chain's open ACCESS-type request for a customer, made as the database's owner. */
export async function makeDataRequest(app: TestApp, chainId: string, customerId: string, storeId: string, type: string, userId: string): Promise<string> {
  const [{ id }]: { id: string }[] = await app.ownerCore.query(
    `INSERT INTO data_request (chain_id, customer_id, store_id, type, channel, status, received_at, due_at, created_by_id)
     VALUES ($1, $2, $3, $4, 'EMAIL', 'OPEN', now(), now() + interval '1 month', $5) RETURNING id`,
    [chainId, customerId, storeId, type, userId],
  );
  return id;
}
