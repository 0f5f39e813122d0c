/**
 * Which of issue 11's tables and columns the database has (src/seed/bulk): the bulk seed writes each part
 * only when its table is there, so it runs on the schema as migrated and says what it left out.
 */
import { EntityManager } from 'typeorm';

export interface BulkCapabilities {
  /** consent_event / consent: basis, sale_reference, opt_out_offered. */
  basis: boolean;
  wordings: boolean;
  terms: boolean;
  restrictions: boolean;
  objections: boolean;
  apiTokens: boolean;
  userKind: boolean;
}

export async function bulkCapabilities(tx: EntityManager): Promise<BulkCapabilities> {
  const rows = (await tx.query(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public' AND (table_name IN ('consent_wording', 'terms_acceptance', 'processing_restriction_event',
       'processing_restriction', 'marketing_objection', 'marketing_suppression', 'api_token')
       OR (table_name = 'consent_event' AND column_name = 'basis') OR (table_name = 'staff_user' AND column_name = 'kind'))`,
  )) as { table_name: string; column_name: string }[];
  const tables = new Set(rows.map((r) => r.table_name));
  return {
    basis: tables.has('consent_event'),
    wordings: tables.has('consent_wording'),
    terms: tables.has('terms_acceptance'),
    restrictions: tables.has('processing_restriction_event') && tables.has('processing_restriction'),
    objections: tables.has('marketing_objection') && tables.has('marketing_suppression'),
    apiTokens: tables.has('api_token'),
    userKind: tables.has('staff_user'),
  };
}

/** The parts a database without them gets none of, for the report. */
export function missingParts(c: BulkCapabilities): string[] {
  const parts: [boolean, string][] = [
    [c.basis, 'lawful bases'], [c.wordings, 'consent wordings'], [c.terms, 'terms acceptances'], [c.restrictions, 'restrictions'],
    [c.objections, 'objections and suppressions'], [c.apiTokens, 'the BI API token'], [c.userKind, 'user kinds'],
  ];
  return parts.filter(([present]) => !present).map(([, name]) => name);
}
