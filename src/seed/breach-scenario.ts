/**
 * The demo chain's breach register (docs/registers.md walks through it), recorded by the demo DPO:
 * - **overdue**: a stolen laptop with an unencrypted spreadsheet of Leeds customers' contact details, discovered
 *   four days before the seed ran, assessed a RISK and not yet notified: past its 72-hour deadline, flagged overdue;
 * - **notified in time**: a Bristol appointment list emailed to the wrong recipient 20 days before, notified to the
 *   authority 30 hours after discovery (with the authority's reference);
 * - **open, counted from the access log**: the North regional manager's bulk reads of prescriptions in the audit
 *   scenario (src/seed/audit-scenario.ts), discovered a day before, its affected customers counted from the
 *   clinical access log for his user and that time range; within its deadline.
 * Each with its CREATED history entry. Run after the audit scenario, as the owner.
 */
import { DataSource } from 'typeorm';
import { BreachRisk } from '../schema/enums';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export async function seedBreachScenario(core: DataSource, clinical: DataSource, chainId: string, now: Date): Promise<void> {
  const user = async (email: string) => ((await core.query('SELECT id FROM staff_user WHERE chain_id = $1 AND email = $2', [chainId, email])) as { id: string }[])[0]?.id;
  const dpo = await user('dpo@clearview.example');
  const north = await user('north.manager@clearview.example');
  if (!dpo || !north) return;
  const from = new Date(now.getTime() - 30 * HOUR);
  const to = new Date(now.getTime() - 24 * HOUR);
  const [{ n }] = (await clinical.query(
    `SELECT count(DISTINCT customer_id)::int AS n FROM clinical_access_log_entry WHERE chain_id = $1 AND user_id = $2 AND outcome = 'GRANTED' AND occurred_at BETWEEN $3 AND $4`,
    [chainId, north, from, to],
  )) as { n: number }[];

  const breaches = [
    {
      discovered_at: new Date(now.getTime() - 4 * DAY), occurred_at: new Date(now.getTime() - 4 * DAY - 10 * HOUR),
      description: 'A laptop holding an unencrypted spreadsheet of Leeds customers’ names, addresses and phone numbers was stolen from a staff car.',
      data_categories: ['Identity (names)', 'Contact details'], affected_customers: 140, risk: BreachRisk.RISK,
      risk_assessment: 'Contact details only, no health data; a risk of phishing and nuisance contact. Not high: no financial or clinical data.',
      measures: 'Laptop reported to the police; remote wipe requested; spreadsheets on laptops forbidden.',
    },
    {
      discovered_at: new Date(now.getTime() - 20 * DAY), occurred_at: new Date(now.getTime() - 20 * DAY - 2 * HOUR),
      description: 'The Bristol store’s appointment list for one day (names and appointment times) was emailed to a wrong external address.',
      data_categories: ['Identity (names)', 'Appointment times'], affected_customers: 23, risk: BreachRisk.RISK,
      risk_assessment: 'Reveals that the customers attend an optician: low sensitivity; the recipient confirmed deletion.',
      measures: 'Recipient asked to delete and confirmed in writing; address autocomplete disabled.',
      notified_authority_at: new Date(now.getTime() - 20 * DAY + 30 * HOUR), authority_reference: 'ICO-2026-004217',
    },
    {
      discovered_at: new Date(now.getTime() - 20 * HOUR), occurred_at: from,
      description: 'A regional manager read the spectacle prescriptions of many customers of Harrogate and York without a work reason (the BULK_CLINICAL_READS security event).',
      data_categories: ['Health data: spectacle prescriptions'], affected_customers: n, risk: BreachRisk.RISK,
      risk_assessment: 'Health data read by a member of staff without need; not disclosed outside the chain so far. Under investigation.',
      measures: 'Access reviewed with the manager; his clinical read access suspended pending review.',
      affected_count_user_id: north, affected_count_from: from, affected_count_to: to,
    },
  ];
  for (const b of breaches) {
    const columns = Object.keys(b);
    const [{ id }] = (await core.query(
      `INSERT INTO breach (chain_id, recorded_by_id, ${columns.join(', ')}) VALUES ($1, $2, ${columns.map((_, i) => `$${i + 3}`).join(', ')}) RETURNING id`,
      [chainId, dpo, ...Object.values(b)],
    )) as { id: string }[];
    const camel = Object.fromEntries(Object.entries(b).map(([k, v]) => [k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), v instanceof Date ? v.toISOString() : v]));
    await core.query(
      `INSERT INTO breach_event (chain_id, breach_id, user_id, session_id, request_id, action, before, after, occurred_at) VALUES ($1, $2, $3, NULL, 'seed', 'CREATED', NULL, $4, $5)`,
      [chainId, id, dpo, camel, b.discovered_at],
    );
  }
}
