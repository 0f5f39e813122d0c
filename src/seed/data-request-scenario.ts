/**
 * The demo's request register (Clearview): five data-subject requests of York customers (the first by id, away
 * from the Leeds customers other demos and suites pick), so `dataRequests` shows its order: one overdue (an
 * access request received 40 days ago), one due within 7 days (portability, received 27 days ago), one whose clock
 * is stopped (erasure, paused 3 days ago while the requester's identity is awaited), one completed (a
 * rectification), and one open rectification with the identity verified, to walk through a correction linked to
 * its request (docs/data-requests.md). Each with its events, recorded by the data protection officer. Written as
 * the owner, like the rest of the seed.
 */
import { EntityManager } from 'typeorm';
import { originalDueAt } from '../services/data-requests/legal-clock';

const DAY = 86400_000;

export interface DataRequestScenario {
  overdueId: string;
  dueSoonId: string;
  pausedId: string;
  completedId: string;
  openRectificationId: string;
}

interface Planned {
  key: keyof DataRequestScenario;
  type: string;
  channel: string;
  receivedDaysAgo: number;
  notes: string;
  verifiedDaysAgo?: number;
  pausedDaysAgo?: number;
  completedDaysAgo?: number;
  outcome?: string;
}

const PLANNED: Planned[] = [
  { key: 'overdueId', type: 'ACCESS', channel: 'EMAIL', receivedDaysAgo: 40, verifiedDaysAgo: 38, notes: 'Asks for a copy of everything held about them, including who has looked at their records.' },
  { key: 'dueSoonId', type: 'PORTABILITY', channel: 'WEBSITE', receivedDaysAgo: 27, verifiedDaysAgo: 26, notes: 'Wants their prescriptions in a format their new optician can import.' },
  { key: 'pausedId', type: 'ERASURE', channel: 'POST', receivedDaysAgo: 10, pausedDaysAgo: 3, notes: 'Letter asking to be forgotten; the signature does not match the one on file.' },
  {
    key: 'completedId', type: 'RECTIFICATION', channel: 'IN_STORE', receivedDaysAgo: 20, verifiedDaysAgo: 20, completedDaysAgo: 5,
    notes: 'Their surname changed on marriage.', outcome: 'Surname corrected; the customer was told in store.',
  },
  { key: 'openRectificationId', type: 'RECTIFICATION', channel: 'PHONE', receivedDaysAgo: 2, verifiedDaysAgo: 1, notes: 'Moved house: asks us to correct their address and phone number.' },
];

export async function seedDataRequestScenario(tx: EntityManager, chainId: string, now: Date): Promise<DataRequestScenario> {
  const [york] = (await tx.query(`SELECT id FROM store WHERE chain_id = $1 AND name = 'York'`, [chainId])) as { id: string }[];
  const customers = (await tx.query(
    `SELECT id, home_store_id AS "storeId" FROM customer WHERE home_store_id = $1 AND status = 'ACTIVE' ORDER BY id LIMIT $2`, [york.id, PLANNED.length],
  )) as { id: string; storeId: string }[];
  const [{ id: dpo }] = (await tx.query(`SELECT id FROM staff_user WHERE chain_id = $1 AND email = 'dpo@clearview.example'`, [chainId])) as { id: string }[];
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const event = (requestId: string, kind: string, at: Date, extra: { reason?: string; dueAtBefore?: Date; dueAtAfter?: Date; details?: object } = {}) => tx.query(
    `INSERT INTO data_request_event (chain_id, data_request_id, kind, occurred_at, user_id, reason, due_at_before, due_at_after, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [chainId, requestId, kind, at, dpo, extra.reason ?? null, extra.dueAtBefore ?? null, extra.dueAtAfter ?? null, extra.details ? JSON.stringify(extra.details) : null],
  );

  const ids: Partial<DataRequestScenario> = {};
  for (const [index, plan] of PLANNED.entries()) {
    const customer = customers[index];
    const receivedAt = ago(plan.receivedDaysAgo);
    const dueAt = originalDueAt(receivedAt);
    const verifiedAt = plan.verifiedDaysAgo === undefined ? null : ago(plan.verifiedDaysAgo);
    const pausedAt = plan.pausedDaysAgo === undefined ? null : ago(plan.pausedDaysAgo);
    const completedAt = plan.completedDaysAgo === undefined ? null : ago(plan.completedDaysAgo);
    const status = completedAt ? 'COMPLETED' : pausedAt ? 'PAUSED' : 'OPEN';
    const [{ id }] = (await tx.query(
      `INSERT INTO data_request (chain_id, customer_id, store_id, type, channel, status, received_at, due_at, paused_at, notes,
         identity_verified_at, identity_verified_by_id, identity_method, handler_id, outcome, completed_at, created_by_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $12, $14, $15, $12, $7) RETURNING id`,
      [chainId, customer.id, customer.storeId, plan.type, plan.channel, status, receivedAt, dueAt, pausedAt, plan.notes,
        verifiedAt, dpo, verifiedAt ? 'Photo ID seen, details matched the record' : null, plan.outcome ?? null, completedAt],
    )) as { id: string }[];
    ids[plan.key] = id;
    await event(id, 'RECEIVED', receivedAt, { dueAtAfter: dueAt, details: { type: plan.type, channel: plan.channel, receivedAt: receivedAt.toISOString() } });
    await event(id, 'ASSIGNED', receivedAt, { details: { handlerId: dpo, previousHandlerId: null } });
    if (verifiedAt) await event(id, 'IDENTITY_VERIFIED', verifiedAt, { reason: 'Photo ID seen, details matched the record' });
    if (pausedAt) await event(id, 'PAUSED', pausedAt, { reason: 'IDENTITY', dueAtBefore: dueAt, dueAtAfter: dueAt, details: { note: 'Asked the customer for a copy of photo ID by post.' } });
    if (completedAt) await event(id, 'COMPLETED', completedAt, { reason: plan.outcome, details: { status: 'COMPLETED' } });
  }
  return ids as DataRequestScenario;
}
