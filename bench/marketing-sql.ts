/**
 * The marketing benchmark's baseline query (bench/marketing.ts): the EMAIL list of a chain written straight from
 * the rules in the issue 11 contract (not from src/services/marketing), with the columns the BI service account's
 * CSV export carries, for `psql \copy … TO '/dev/null' CSV`. The suppression key is inlined as a literal: this is
 * the benchmark's own throwaway key, in a file only this process writes (mode 600).
 */

/** The BI role's readable Customer fields, in the export's column order, as columns. */
const COLUMNS = ['c.id', 'c.first_name', 'c.last_name', 'c.address_line1', 'c.address_line2', 'c.city', 'c.postcode', 'c.country',
  'c.phone', 'c.email', 'c.home_store_id', 'c.status'];

function hash(kind: 'email' | 'phone', normalised: string, keyHex: string): string {
  return `hmac(convert_to(c.chain_id::text || ':${kind}:' || ${normalised}, 'UTF8'), decode('${keyHex}', 'hex'), 'sha256')`;
}

export function emailListSql(chainId: string, keyHex: string): string {
  if (!/^[0-9a-f-]{36}$/.test(chainId) || !/^[0-9a-f]{64}$/.test(keyHex)) throw new Error('bad chain id or key');
  const emailHash = hash('email', `nullif(lower(btrim(c.email)), '')`, keyHex);
  const phoneHash = hash('phone', `nullif(regexp_replace(c.phone, '[^0-9]', '', 'g'), '')`, keyHex);
  return [
    `SELECT ${COLUMNS.join(', ')} FROM customer c`,
    `JOIN chain x ON x.id = c.chain_id AND 'EMAIL' = ANY (x.enabled_consent_channels)`,
    `JOIN consent k ON k.customer_id = c.id AND k.channel = 'EMAIL' AND k.granted`,
    `LEFT JOIN processing_restriction pr ON pr.customer_id = c.id`,
    `WHERE c.chain_id = '${chainId}' AND c.status = 'ACTIVE' AND pr.restricted IS NOT TRUE`,
    `AND NOT EXISTS (SELECT 1 FROM marketing_objection mo WHERE mo.customer_id = c.id)`,
    `AND NOT EXISTS (SELECT 1 FROM marketing_suppression ms WHERE ms.chain_id = c.chain_id AND ms.email_hash = ${emailHash})`,
    `AND NOT EXISTS (SELECT 1 FROM marketing_suppression ms WHERE ms.chain_id = c.chain_id AND ms.phone_hash = ${phoneHash})`,
    `AND nullif(btrim(c.email), '') IS NOT NULL`,
    `ORDER BY c.id`,
  ].join(' ');
}
