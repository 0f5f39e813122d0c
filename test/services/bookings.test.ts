/**
 * Booking rules, end to end: who may be booked as the practitioner (a registered practitioner assigned at
 * that store in a clinical role for the whole appointment), when (not in the past, not absurdly far
 * ahead, a sane length) and that one practitioner's appointments never overlap, enforced by the database
 * so that concurrent bookings of one slot cannot both succeed. Every refusal is BAD_USER_INPUT naming the
 * field and books nothing. The reproductions of issue 9 (hole 7) come first.
 */
import { BookingRules1796160739337 } from '../../migrations/core/1796160739337-BookingRules';
import { MAX_DAYS_AHEAD } from '../../src/services/appointment-service';
import { errorCodes, GraphQLResult } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';

const RECEPTION = EMAIL.leedsReception;
const CHAIN_MANAGER = EMAIL.chainManager;
const OPTOMETRIST = EMAIL.leedsOptometrist;
const LOCUM = EMAIL.locum;
const BI = EMAIL.bi;

const BOOK = 'mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id storeId practitionerId startsAt endsAt status } }';
const CANCEL = 'mutation($id: ID!) { cancelAppointment(id: $id) { id status } }';

interface Booked { bookAppointment: { id: string; storeId: string; practitionerId: string | null; startsAt: string; endsAt: string; status: string } }

const MINUTE = 60_000;
const DAY = 86400_000;

/**
 * A slot `days` ahead at hh:mm UTC. The demo seed books its practitioners from 09:00 to 17:00 UTC up to 80
 * days ahead; these tests book 100+ days ahead, each test on days of its own.
 */
function at(days: number, hour: number, minute = 0): Date {
  const start = new Date(Date.now() + days * DAY);
  start.setUTCHours(hour, minute, 0, 0);
  return start;
}

describe('booking rules', () => {
  let app: TestApp;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const stores: Record<string, string> = {};
  const roles: Record<string, string> = {};
  let chainId: string;
  let leedsCustomers: string[];
  let yorkCustomer: string;
  let harrogateCustomer: string;

  async function appointmentCount(): Promise<number> {
    const [{ n }] = await app.core.query('SELECT count(*)::int AS n FROM appointment');
    return n;
  }

  function input(over: Record<string, unknown> = {}, start = at(100, 10), minutes = 30): Record<string, unknown> {
    return {
      customerId: leedsCustomers[0], storeId: stores.Leeds, type: 'SIGHT_TEST', practitionerId: ids[OPTOMETRIST],
      startsAt: start.toISOString(), endsAt: new Date(start.getTime() + minutes * MINUTE).toISOString(), ...over,
    };
  }

  function book(values: Record<string, unknown>, email = RECEPTION): Promise<GraphQLResult<Booked>> {
    return app.request<Booked>(BOOK, { input: values }, tokens[email]);
  }

  async function booked(values: Record<string, unknown>, email = RECEPTION): Promise<Booked['bookAppointment']> {
    const result = await book(values, email);
    expect(result.errors).toBeUndefined();
    return result.data!.bookAppointment;
  }

  /** The booking is refused with BAD_USER_INPUT naming `field`, and no appointment is added. */
  async function refused(values: Record<string, unknown>, field: string, email = RECEPTION): Promise<string> {
    const before = await appointmentCount();
    const result = await book(values, email);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].extensions?.field).toBe(field);
    expect(result.data?.bookAppointment ?? null).toBeNull();
    expect(await appointmentCount()).toBe(before);
    return result.errors![0].message;
  }

  /** A member of staff made for a test, with assignments (role name, scope, from, until). */
  async function staff(
    email: string,
    person: { profession: string; registrationNumber: string | null; status?: string },
    assignments: { role: string; scope: 'CHAIN' | 'REGION' | 'STORE'; target?: string; from?: Date | null; until?: Date | null }[],
  ): Promise<string> {
    const [{ id }] = await app.ownerCore.query(
      `INSERT INTO staff_user (chain_id, name, email, profession, registration_number, status, password_hash)
       SELECT chain_id, $2, $2, $3, $4, $5, password_hash FROM staff_user WHERE email = $1 RETURNING id`,
      [RECEPTION, email, person.profession, person.registrationNumber, person.status ?? 'ACTIVE'],
    );
    for (const a of assignments) {
      const [region] = a.scope === 'REGION' ? await app.ownerCore.query('SELECT id FROM region WHERE name = $1 AND chain_id = $2', [a.target, chainId]) : [null];
      await app.ownerCore.query(
        `INSERT INTO role_assignment (chain_id, user_id, role_id, scope_type, region_id, store_id, valid_from, valid_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [chainId, id, roles[a.role], a.scope, region?.id ?? null, a.scope === 'STORE' ? stores[a.target!] : null, a.from ?? null, a.until ?? null],
      );
    }
    return id;
  }

  beforeAll(async () => {
    app = await startTestApp();
    [{ id: chainId }] = await app.core.query("SELECT id FROM chain WHERE name = 'Clearview Opticians'");
    for (const row of (await app.core.query('SELECT id, name FROM store WHERE chain_id = $1', [chainId])) as { id: string; name: string }[]) stores[row.name] = row.id;
    for (const row of (await app.core.query('SELECT id, name FROM role WHERE chain_id = $1', [chainId])) as { id: string; name: string }[]) roles[row.name] = row.id;
    for (const row of (await app.core.query('SELECT id, email FROM staff_user')) as { id: string; email: string }[]) ids[row.email] = row.id;
    const customersAt = async (store: string, n: number): Promise<string[]> => ((await app.core.query(
      "SELECT id FROM customer WHERE home_store_id = $1 AND status = 'ACTIVE' ORDER BY id LIMIT $2", [stores[store], n],
    )) as { id: string }[]).map((r) => r.id);
    leedsCustomers = await customersAt('Leeds', 12);
    [yorkCustomer] = await customersAt('York', 1);
    [harrogateCustomer] = await customersAt('Harrogate', 1);
    for (const email of [RECEPTION, CHAIN_MANAGER]) tokens[email] = await app.login(email);
  });

  afterAll(() => app?.stop());

  // first, before any test books: the rows are the seed's
  it('the demo seed books each store’s appointments with the practitioner assigned there (Leeds, York), none elsewhere', async () => {
    const rows = (await app.core.query(
      `SELECT s.name AS store, u.email, count(*)::int AS n FROM appointment a JOIN store s ON s.id = a.store_id
         LEFT JOIN staff_user u ON u.id = a.practitioner_id
        WHERE a.chain_id = $1 GROUP BY s.name, u.email ORDER BY s.name`,
      [chainId],
    )) as { store: string; email: string | null; n: number }[];
    expect(rows.map(({ store, email }) => [store, email])).toEqual([
      ['Bath', null], ['Bristol', null], ['Harrogate', null], ['Leeds', OPTOMETRIST], ['York', LOCUM],
    ]);
  });

  // ---------------------------------------------------------------------------------------------
  // The reproductions
  // ---------------------------------------------------------------------------------------------

  it('the same optometrist cannot be booked twice at the same time', async () => {
    const first = await booked(input({}, at(101, 10)));
    expect(first.practitionerId).toBe(ids[OPTOMETRIST]);
    const message = await refused(input({ customerId: leedsCustomers[1] }, at(101, 10)), 'input.startsAt');
    expect(message).toContain('already has an appointment');
    // nor by someone else, for the same customer or at another store of theirs
    await refused(input({ customerId: leedsCustomers[0] }, at(101, 10)), 'input.startsAt', CHAIN_MANAGER);
  });

  it('a service account is not a practitioner', async () => {
    const message = await refused(input({ practitionerId: ids[BI] }, at(102, 10)), 'input.practitionerId');
    expect(message).toContain('not a registered practitioner');
  });

  it('a York practitioner is not booked for a Leeds appointment', async () => {
    await refused(input({ practitionerId: ids[LOCUM] }, at(103, 10)), 'input.practitionerId');
    // …but for a York one
    const york = await booked(input({ customerId: yorkCustomer, storeId: stores.York, practitionerId: ids[LOCUM] }, at(103, 10)), CHAIN_MANAGER);
    expect(york).toMatchObject({ storeId: stores.York, practitionerId: ids[LOCUM], status: 'BOOKED' });
  });

  it('no appointment in the year 2000', async () => {
    await refused(input({ startsAt: '2000-03-01T10:00:00Z', endsAt: '2000-03-01T10:30:00Z' }), 'input.startsAt');
    await refused(input({ practitionerId: null, startsAt: '2000-03-01T10:00:00Z', endsAt: '2000-03-01T10:30:00Z' }), 'input.startsAt');
  });

  // ---------------------------------------------------------------------------------------------
  // Overlaps
  // ---------------------------------------------------------------------------------------------

  it('refuses every overlap with a booked appointment of the practitioner; touching ends, other practitioners and no practitioner are fine', async () => {
    await booked(input({}, at(110, 10), 60)); // 10:00-11:00
    for (const [start, minutes] of [[at(110, 9, 30), 60], [at(110, 10, 30), 60], [at(110, 10, 15), 15], [at(110, 9), 180], [at(110, 10), 60]] as const) {
      await refused(input({ customerId: leedsCustomers[2] }, start, minutes), 'input.startsAt');
    }
    // back to back: 09:30-10:00 and 11:00-11:30
    await booked(input({ customerId: leedsCustomers[2] }, at(110, 9, 30), 30));
    await booked(input({ customerId: leedsCustomers[3] }, at(110, 11), 30));
    // another practitioner at the same time, and a booking with no practitioner
    const other = await staff('second.optometrist@clearview.example', { profession: 'OPTOMETRIST', registrationNumber: '01-55555' }, [{ role: 'Optometrist', scope: 'STORE', target: 'Leeds' }]);
    await booked(input({ customerId: leedsCustomers[4], practitionerId: other }, at(110, 10), 60));
    await booked(input({ customerId: leedsCustomers[5], practitionerId: null }, at(110, 10), 60));
  });

  it('a cancelled appointment frees its slot', async () => {
    const first = await booked(input({}, at(111, 10)));
    await refused(input({ customerId: leedsCustomers[1] }, at(111, 10)), 'input.startsAt');
    const cancel = await app.request(CANCEL, { id: first.id }, tokens[RECEPTION]);
    expect(cancel.errors).toBeUndefined();
    await booked(input({ customerId: leedsCustomers[1] }, at(111, 10)));
  });

  it('of 10 parallel bookings of one practitioner’s slot exactly one succeeds; the others are BAD_USER_INPUT on input.startsAt', async () => {
    const before = await appointmentCount();
    const results = await Promise.all(leedsCustomers.slice(0, 10).map((customerId, i) =>
      book(input({ customerId }, at(112, 14)), i % 2 === 0 ? RECEPTION : CHAIN_MANAGER)));
    const succeeded = results.filter((r) => !r.errors);
    expect(succeeded).toHaveLength(1);
    const failures = results.filter((r) => r.errors);
    expect(failures).toHaveLength(9);
    for (const failure of failures) {
      expect(errorCodes(failure)).toEqual(['BAD_USER_INPUT']);
      expect(failure.errors![0].extensions?.field).toBe('input.startsAt');
      expect(failure.data?.bookAppointment ?? null).toBeNull();
    }
    expect(await appointmentCount()).toBe(before + 1);
    const [{ n }] = await app.core.query(
      "SELECT count(*)::int AS n FROM appointment WHERE practitioner_id = $1 AND starts_at = $2 AND status = 'BOOKED'", [ids[OPTOMETRIST], at(112, 14)],
    );
    expect(n).toBe(1);
    // one change-log entry, for the one booking
    const [{ entries }] = await app.core.query(
      "SELECT count(*)::int AS entries FROM personal_change_log_entry WHERE subject = 'Appointment' AND record_id = $1", [succeeded[0].data!.bookAppointment.id],
    );
    expect(entries).toBe(1);
  });

  it('holds in the database: an overlapping row written past the API is refused, and so is one that ends before it starts', async () => {
    const start = at(113, 10);
    await booked(input({}, start));
    const insert = (from: Date, to: Date, status = 'BOOKED') => app.core.query(
      `INSERT INTO appointment (chain_id, store_id, customer_id, practitioner_id, type, starts_at, ends_at, status)
       VALUES ($1, $2, $3, $4, 'SIGHT_TEST', $5, $6, $7)`,
      [chainId, stores.Leeds, leedsCustomers[6], ids[OPTOMETRIST], from, to, status],
    );
    await expect(insert(new Date(start.getTime() + 10 * MINUTE), new Date(start.getTime() + 40 * MINUTE))).rejects.toThrow(/appointment_practitioner_no_overlap/);
    await expect(insert(new Date(start.getTime() + 10 * MINUTE), new Date(start.getTime() + 40 * MINUTE), 'COMPLETED')).rejects.toThrow(/appointment_practitioner_no_overlap/);
    // a cancelled one does not count
    await insert(new Date(start.getTime() + 10 * MINUTE), new Date(start.getTime() + 40 * MINUTE), 'CANCELLED');
    await expect(insert(start, start)).rejects.toThrow(/appointment_ends_after_start/);
  });

  // ---------------------------------------------------------------------------------------------
  // Who is a practitioner, where and when
  // ---------------------------------------------------------------------------------------------

  it('only registered practitioners of a clinical profession, active, of this chain', async () => {
    const start = at(120, 10);
    for (const email of [RECEPTION, EMAIL.leedsManager, EMAIL.leedsAssistant, EMAIL.dpo, CHAIN_MANAGER]) {
      await refused(input({ practitionerId: ids[email] }, start), 'input.practitionerId');
    }
    // a registration number is not enough: a service account that has one, in an Optometrist role at Leeds
    const registeredBot = await staff('registered.bot@clearview.example', { profession: 'SERVICE_ACCOUNT', registrationNumber: '01-00001' }, [{ role: 'Optometrist', scope: 'STORE', target: 'Leeds' }]);
    await refused(input({ practitionerId: registeredBot }, start), 'input.practitionerId');
    // an optometrist without a registration number, or disabled
    const unregistered = await staff('unregistered@clearview.example', { profession: 'OPTOMETRIST', registrationNumber: null }, [{ role: 'Optometrist', scope: 'STORE', target: 'Leeds' }]);
    await refused(input({ practitionerId: unregistered }, start), 'input.practitionerId');
    const disabled = await staff('disabled.optometrist@clearview.example', { profession: 'OPTOMETRIST', registrationNumber: '01-00002', status: 'DISABLED' }, [{ role: 'Optometrist', scope: 'STORE', target: 'Leeds' }]);
    await refused(input({ practitionerId: disabled }, start), 'input.practitionerId');
    // another chain's member of staff, an unknown id, not an id
    await refused(input({ practitionerId: ids[EMAIL.lakesideManager] }, start), 'input.practitionerId');
    await refused(input({ practitionerId: '00000000-0000-4000-8000-000000000000' }, start), 'input.practitionerId');
    await refused(input({ practitionerId: 'dr-who' }, start), 'input.practitionerId');
    // the Leeds optometrist is bookable at Leeds
    await booked(input({}, start));
  });

  it('assigned at that store in a clinical role: the store, its region or the chain; a non-clinical role there does not count', async () => {
    const start = at(121, 10);
    // the locum is an optometrist at York and a receptionist at Bath
    await refused(input({ customerId: leedsCustomers[0], storeId: stores.Bath, practitionerId: ids[LOCUM] }, start), 'input.practitionerId', CHAIN_MANAGER);
    const regional = await staff('north.optometrist@clearview.example', { profession: 'OPTOMETRIST', registrationNumber: '01-60001' }, [{ role: 'Optometrist', scope: 'REGION', target: 'North' }]);
    await booked(input({ customerId: harrogateCustomer, storeId: stores.Harrogate, practitionerId: regional }, start), CHAIN_MANAGER);
    await refused(input({ storeId: stores.Bristol, practitionerId: regional }, at(121, 12)), 'input.practitionerId', CHAIN_MANAGER);
    const roaming = await staff('roaming.optometrist@clearview.example', { profession: 'DISPENSING_OPTICIAN', registrationNumber: '01-60002' }, [{ role: 'Optometrist', scope: 'CHAIN' }]);
    await booked(input({ storeId: stores.Bristol, practitionerId: roaming, type: 'DISPENSING' }, start), CHAIN_MANAGER);
  });

  it('assigned for the whole appointment: a time-limited assignment counts only within its validity', async () => {
    const from = at(130, 9);
    const until = at(137, 17);
    const cover = await staff('cover.optometrist@clearview.example', { profession: 'OPTOMETRIST', registrationNumber: '01-70001' }, [
      { role: 'Optometrist', scope: 'STORE', target: 'Leeds', from, until },
    ]);
    await refused(input({ practitionerId: cover }, at(129, 10)), 'input.practitionerId'); // before it starts
    await refused(input({ practitionerId: cover }, at(130, 8, 45)), 'input.practitionerId'); // starts before it, ends within
    await booked(input({ practitionerId: cover }, at(130, 9))); // from its first minute
    await booked(input({ practitionerId: cover }, at(137, 16, 30))); // to its last
    await refused(input({ practitionerId: cover }, at(137, 16, 45)), 'input.practitionerId'); // runs past its end
    await refused(input({ practitionerId: cover }, at(138, 10)), 'input.practitionerId'); // after it
  });

  // ---------------------------------------------------------------------------------------------
  // Times
  // ---------------------------------------------------------------------------------------------

  it('starts now or later (a minute’s tolerance), at most the documented horizon ahead; ends after it starts, within 8 hours', async () => {
    const noPractitioner = (start: Date, end: Date) => input({ practitionerId: null, customerId: leedsCustomers[7] }, start, (end.getTime() - start.getTime()) / MINUTE);
    const now = Date.now();
    await refused(noPractitioner(new Date(now - 5 * MINUTE), new Date(now + 25 * MINUTE)), 'input.startsAt');
    await refused(noPractitioner(new Date(now - 2 * MINUTE), new Date(now + 28 * MINUTE)), 'input.startsAt');
    await booked(noPractitioner(new Date(now - 20_000), new Date(now + 30 * MINUTE))); // a walk-in booked as it starts
    await refused(noPractitioner(new Date(now + (MAX_DAYS_AHEAD + 1) * DAY), new Date(now + (MAX_DAYS_AHEAD + 1) * DAY + 30 * MINUTE)), 'input.startsAt');
    await refused(input({ startsAt: '3000-01-01T10:00:00Z', endsAt: '3000-01-01T10:30:00Z' }), 'input.startsAt');
    await booked(noPractitioner(at(MAX_DAYS_AHEAD - 1, 10), at(MAX_DAYS_AHEAD - 1, 10, 30)));
    await refused(noPractitioner(at(140, 11), at(140, 10)), 'input.endsAt');
    await refused(noPractitioner(at(140, 11), at(140, 11)), 'input.endsAt');
    await refused(noPractitioner(at(140, 8), new Date(at(140, 8).getTime() + 8 * 3600_000 + MINUTE)), 'input.endsAt');
    await booked(noPractitioner(at(140, 8), new Date(at(140, 8).getTime() + 8 * 3600_000)));
  });

  // ---------------------------------------------------------------------------------------------
  // The migration
  // ---------------------------------------------------------------------------------------------

  it('the migration refuses a database with overlapping appointments, saying how to find them, and changes nothing', async () => {
    const owner = app.ownerCore;
    const constraints = async (): Promise<string[]> => ((await owner.query(
      "SELECT conname FROM pg_constraint WHERE conrelid = 'appointment'::regclass AND contype IN ('c', 'x') ORDER BY conname",
    )) as { conname: string }[]).map((r) => r.conname);
    expect(await constraints()).toEqual(['appointment_ends_after_start', 'appointment_practitioner_no_overlap']);
    const runner = owner.createQueryRunner();
    try {
      // as before the migration: without the constraints, where the API let double bookings in
      await runner.query('ALTER TABLE appointment DROP CONSTRAINT appointment_practitioner_no_overlap, DROP CONSTRAINT appointment_ends_after_start');
      const [{ id: double }] = await runner.query(
        `INSERT INTO appointment (chain_id, store_id, customer_id, practitioner_id, type, starts_at, ends_at)
         SELECT chain_id, store_id, customer_id, practitioner_id, type, starts_at + interval '10 minutes', ends_at FROM appointment
          WHERE practitioner_id = $1 AND status = 'BOOKED' ORDER BY starts_at LIMIT 1 RETURNING id`, [ids[OPTOMETRIST]],
      );
      const migration = new BookingRules1796160739337();
      await runner.startTransaction();
      await expect(migration.up(runner)).rejects.toThrow(/0 appointment\(s\) end before they start .* 1 appointment\(s\) overlap/);
      await runner.rollbackTransaction();
      expect(await constraints()).toEqual([]);
      // resolved (here: the double booking cancelled), it runs
      await runner.query("UPDATE appointment SET status = 'CANCELLED' WHERE id = $1", [double]);
      await runner.startTransaction();
      await migration.up(runner);
      await runner.commitTransaction();
      expect(await constraints()).toEqual(['appointment_ends_after_start', 'appointment_practitioner_no_overlap']);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
