/**
 * The demo's retention scenario (docs/retention.md#on-the-demo-data): three adult Bath customers (the first by id
 * among those over 45 with clinical records) whose whole clinical history is moved back 11, 12 and 13 years, so their
 * retention (10 years after the last clinical contact) has ended; the last of them is under a legal hold placed by
 * the data protection officer. `npm run retention -- --dry-run` then lists two due and one held. Written as the
 * owner, like the rest of the seed (no change-log entries: the seed's data has none).
 */
import { DataSource } from 'typeorm';

export interface RetentionScenario {
  /** Customers whose retention has ended, oldest contact last. */
  endedCustomerIds: string[];
  heldCustomerId: string;
  holdId: string;
}

export const HOLD_REASON = 'Pending claim: the customer disputes a spectacle prescription (solicitor’s letter CV-2026-014). Keep every record until it is settled.';

export async function seedRetentionScenario(core: DataSource, clinical: DataSource, chainId: string, now: Date): Promise<RetentionScenario> {
  const candidates = (await core.query(
    `SELECT c.id FROM customer c JOIN store s ON s.id = c.home_store_id
      WHERE c.chain_id = $1 AND s.name = 'Bath' AND c.status = 'ACTIVE' AND c.date_of_birth < ($2::date - interval '45 years')
      ORDER BY c.id`,
    [chainId, now.toISOString().slice(0, 10)],
  )) as { id: string }[];
  const withRecords = (await clinical.query(
    'SELECT DISTINCT customer_id::text AS id FROM examination WHERE chain_id = $1 AND customer_id = ANY($2::uuid[]) ORDER BY 1',
    [chainId, candidates.map((c) => c.id)],
  )) as { id: string }[];
  const picked = withRecords.slice(0, 3).map((row) => row.id);
  if (picked.length < 3) throw new Error('the retention scenario needs three adult Bath customers with clinical records');
  await clinical.transaction(async (tx) => {
    for (const [i, customerId] of picked.entries()) {
      const shift = `${11 + i} years`;
      const by = [customerId, shift];
      await tx.query(`UPDATE examination SET examined_at = examined_at - $2::interval, signed_at = signed_at - $2::interval,
        created_at = created_at - $2::interval, updated_at = updated_at - $2::interval WHERE customer_id = $1`, by);
      await tx.query('UPDATE intraocular_pressure SET measured_at = measured_at - $2::interval WHERE customer_id = $1', by);
      for (const table of ['spectacle_prescription', 'contact_lens_specification']) {
        await tx.query(`UPDATE ${table} SET issued_on = issued_on - $2::interval, created_at = created_at - $2::interval WHERE customer_id = $1`, by);
      }
      await tx.query('UPDATE contact_lens_specification SET expires_on = expires_on - $2::interval WHERE customer_id = $1', by);
      await tx.query('UPDATE clinical_note SET created_at = created_at - $2::interval WHERE customer_id = $1', by);
    }
  });
  const heldCustomerId = picked[2];
  const [dpo] = (await core.query(`SELECT id FROM staff_user WHERE chain_id = $1 AND email = 'dpo@clearview.example'`, [chainId])) as { id: string }[];
  const [{ id: holdId }] = (await core.query(
    `INSERT INTO legal_hold (chain_id, customer_id, reason, placed_at, placed_by_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [chainId, heldCustomerId, HOLD_REASON, new Date(now.getTime() - 40 * 86400_000), dpo.id],
  )) as { id: string }[];
  return { endedCustomerIds: picked, heldCustomerId, holdId };
}
