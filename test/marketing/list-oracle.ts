/**
 * The marketing list re-derived in the test from the domain text (docs/marketing-lists.md, the issue's
 * contract), not from the server's SQL: the tables are read plainly as the database's owner and every rule
 * is applied in JavaScript, first failing rule wins, contact hashes recomputed in Node (HMAC-SHA256).
 */
import { createHash, createHmac } from 'node:crypto';
import { DataSource } from 'typeorm';

export const RULES = ['CHANNEL_DISABLED', 'INACTIVE', 'RESTRICTED', 'OBJECTED', 'NO_CONSENT', 'WITHDRAWN', 'NO_CONTACT_DETAIL'] as const;
export type Rule = (typeof RULES)[number];

export interface ExpectedList {
  considered: number;
  included: string[];
  excluded: { rule: Rule; count: number }[];
  contentHash: string;
  /** Each considered customer's first failing rule (null: included). */
  ruleOf: Map<string, Rule | null>;
}

const blank = (value: string | null) => value === null || value.trim() === '';

function hmacHex(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}

export async function expectedList(owner: DataSource, key: Buffer, chainId: string, channel: string, storeIds: readonly string[]): Promise<ExpectedList> {
  const [chain]: { channels: string }[] = await owner.query('SELECT enabled_consent_channels::text[] AS channels FROM chain WHERE id = $1', [chainId]);
  const enabled = (chain.channels as unknown as string[]).includes(channel);
  const customers: { id: string; status: string; email: string | null; phone: string | null; line1: string | null; postcode: string | null }[] = await owner.query(
    `SELECT id::text, status::text, email, phone, address_line1 AS line1, postcode FROM customer WHERE chain_id = $1 AND home_store_id::text = ANY($2::text[])`,
    [chainId, storeIds],
  );
  const consents = new Map<string, boolean>(((await owner.query('SELECT customer_id::text AS id, granted FROM consent WHERE channel = $1', [channel])) as { id: string; granted: boolean }[]).map((r) => [r.id, r.granted]));
  const restricted = new Set(((await owner.query('SELECT customer_id::text AS id FROM processing_restriction WHERE restricted')) as { id: string }[]).map((r) => r.id));
  const objected = new Set(((await owner.query('SELECT customer_id::text AS id FROM marketing_objection WHERE customer_id IS NOT NULL')) as { id: string }[]).map((r) => r.id));
  const suppressions: { email: string | null; phone: string | null }[] = await owner.query(
    `SELECT encode(email_hash, 'hex') AS email, encode(phone_hash, 'hex') AS phone FROM marketing_suppression WHERE chain_id = $1`, [chainId]);
  const emailHashes = new Set(suppressions.map((s) => s.email).filter((h): h is string => h !== null));
  const phoneHashes = new Set(suppressions.map((s) => s.phone).filter((h): h is string => h !== null));

  const ruleOf = new Map<string, Rule | null>();
  for (const c of customers) {
    const email = (c.email ?? '').trim().toLowerCase();
    const phone = (c.phone ?? '').replace(/[^0-9]/g, '');
    const suppressed = (email !== '' && emailHashes.has(hmacHex(key, `${chainId}:email:${email}`)))
      || (phone !== '' && phoneHashes.has(hmacHex(key, `${chainId}:phone:${phone}`)));
    const hasContact = channel === 'EMAIL' ? !blank(c.email)
      : channel === 'SMS' ? !blank(c.phone)
        : channel === 'MAIL' ? !blank(c.line1) && !blank(c.postcode)
          : !blank(c.email) || !blank(c.phone);
    let rule: Rule | null = null;
    if (!enabled) rule = 'CHANNEL_DISABLED';
    else if (c.status !== 'ACTIVE') rule = 'INACTIVE';
    else if (restricted.has(c.id)) rule = 'RESTRICTED';
    else if (objected.has(c.id) || suppressed) rule = 'OBJECTED';
    else if (!consents.has(c.id)) rule = 'NO_CONSENT';
    else if (!consents.get(c.id)) rule = 'WITHDRAWN';
    else if (!hasContact) rule = 'NO_CONTACT_DETAIL';
    ruleOf.set(c.id, rule);
  }
  const included = [...ruleOf].filter(([, rule]) => rule === null).map(([id]) => id).sort();
  return {
    considered: customers.length,
    included,
    excluded: RULES.map((rule) => ({ rule, count: [...ruleOf.values()].filter((r) => r === rule).length })),
    contentHash: createHash('sha256').update(included.map((id) => `${id}\n`).join(''), 'utf8').digest('hex'),
    ruleOf,
  };
}

/** A minimal RFC 4180 CSV parser (quoted fields, doubled quotes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i += 1; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}
