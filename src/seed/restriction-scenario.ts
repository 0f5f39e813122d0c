/**
 * The demo's restriction and objection: in Leeds (the last two active customers by id, away from the
 * customers other demos and suites pick first), one customer whose processing the Leeds store manager restricted while
 * their contested address is checked (Art. 18(1)(a)), and one who objected to direct marketing at the
 * counter (Art. 21(2)), recorded by the Leeds optical assistant, with the suppression of their email and
 * phone (keyed hashes under the server's suppression key). Written as the owner, like the rest of the seed.
 */
import { EntityManager } from 'typeorm';
import { emailHashSql, phoneHashSql } from '../services/consent/contact-hash-sql';

const DAY = 86400_000;

export interface RestrictionScenario {
  restrictedCustomerId: string;
  objectedCustomerId: string;
}

export async function seedRestrictionScenario(tx: EntityManager, chainId: string, now: Date, suppressionKey: Buffer): Promise<RestrictionScenario> {
  const [leeds] = (await tx.query(`SELECT id FROM store WHERE chain_id = $1 AND name = 'Leeds'`, [chainId])) as { id: string }[];
  const picked = (await tx.query(
    `SELECT id FROM customer WHERE home_store_id = $1 AND status = 'ACTIVE' AND email IS NOT NULL AND phone IS NOT NULL ORDER BY id DESC LIMIT 2`,
    [leeds.id],
  )) as { id: string }[];
  const [restricted, objected] = picked.map((row) => row.id);
  const staff = async (email: string) => ((await tx.query('SELECT id FROM staff_user WHERE chain_id = $1 AND email = $2', [chainId, email])) as { id: string }[])[0]?.id ?? null;
  const manager = await staff('leeds.manager@clearview.example');
  const assistant = await staff('leeds.assistant@clearview.example');

  const restrictedAt = new Date(now.getTime() - 12 * DAY);
  const reason = 'The customer contests the accuracy of their postal address (Art. 18(1)(a)): restricted while it is checked.';
  await tx.query(
    `INSERT INTO processing_restriction_event (chain_id, customer_id, restricted, reason, recorded_by_id, occurred_at) VALUES ($1, $2, true, $3, $4, $5)`,
    [chainId, restricted, reason, manager, restrictedAt],
  );
  await tx.query(
    `INSERT INTO processing_restriction (customer_id, chain_id, restricted, reason, changed_at, recorded_by_id) VALUES ($2, $1, true, $3, $5, $4)`,
    [chainId, restricted, reason, manager, restrictedAt],
  );

  const [{ id: objectionId }] = (await tx.query(
    `INSERT INTO marketing_objection (chain_id, customer_id, source, actor, recorded_by_id, occurred_at) VALUES ($1, $2, 'IN_STORE', 'STAFF', $3, $4) RETURNING id`,
    [chainId, objected, assistant, new Date(now.getTime() - 30 * DAY)],
  )) as { id: string }[];
  await tx.query(
    `INSERT INTO marketing_suppression (chain_id, email_hash, phone_hash, objection_id, created_at)
     SELECT c.chain_id, ${emailHashSql('c.email', 'c.chain_id', '$3')}, ${phoneHashSql('c.phone', 'c.chain_id', '$3')}, $2, $4 FROM customer c WHERE c.id = $1`,
    [objected, objectionId, suppressionKey, new Date(now.getTime() - 30 * DAY)],
  );
  return { restrictedCustomerId: restricted, objectedCustomerId: objected };
}
