/**
 * Id-based writes after a customer's home store moved: a record made at Leeds for a customer who has
 * since moved to York is out of reach of Leeds staff, as the customer is (NOT_FOUND, nothing changes,
 * nothing of the record comes back), while whoever sees the customer now still reaches it. One test
 * per mutation that takes the id of a customer's record; a schema walk makes a new such mutation fail
 * here until it is listed (and so covered).
 */
import { getNamedType, GraphQLObjectType, GraphQLSchema } from 'graphql';
import { buildDeclaredSchema } from '../../src/server/build-schema';
import { errorCodes } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';

const OPTOMETRIST = EMAIL.leedsOptometrist;
const RECEPTION = EMAIL.leedsReception;
const CHAIN_MANAGER = EMAIL.chainManager;

const CUSTOMER = 'query($id: ID!) { customer(id: $id) { id } }';
const MOVE = 'mutation($id: ID!, $store: ID!) { updateCustomer(id: $id, input: { homeStoreId: $store }) { id homeStoreId } }';
const CREATE_EXAM = 'mutation($input: CreateExaminationInput!) { createExamination(input: $input) { id status history } }';
const UPDATE_EXAM = 'mutation($id: ID!, $input: UpdateExaminationInput!) { updateExamination(id: $id, input: $input) { id status history reasonForVisit } }';
const SIGN_EXAM = 'mutation($id: ID!) { signExamination(id: $id) { id status history } }';
const BOOK = 'mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id status } }';
const CANCEL = 'mutation($id: ID!, $reason: String) { cancelAppointment(id: $id, reason: $reason) { id status customerId } }';

/**
 * Mutations that take the id of a row carrying a customer (their result type has `customerId`), each
 * with the test below that moves the customer and tries it. A new one must be added here: with a test,
 * or, deliberately, as an exception with its reason.
 */
const ID_WRITES_ON_CUSTOMER_RECORDS: Record<string, string> = {
  updateExamination: 'updateExamination',
  signExamination: 'signExamination',
  cancelAppointment: 'cancelAppointment',
  releaseLegalHold: 'releaseLegalHold',
};
const EXCEPTIONS: Record<string, string> = {
  // A review of a member of staff's break-the-glass, scoped by the store the grant was made for: it writes nothing of
  // the customer's, and must stay possible for that store's reviewers after the customer moves (src/services/visible-rows.ts).
  acknowledgeEmergencyAccess: 'reviews staff conduct, not the customer’s data',
  // The request register (issue 12): a data-subject request is scoped by the customer's home store when it was received
  // (DataRequest.storeId, docs/data-requests.md), so it stays with the store that took it; its steps write the
  // request's own state and history, nothing of the customer's (a correction under it goes through updateCustomer).
  verifyDataRequestIdentity: 'a step of the request, scoped by the home store at receipt',
  assignDataRequest: 'a step of the request, scoped by the home store at receipt',
  extendDataRequest: 'a step of the request, scoped by the home store at receipt',
  pauseDataRequest: 'a step of the request, scoped by the home store at receipt',
  resumeDataRequest: 'a step of the request, scoped by the home store at receipt',
  completeDataRequest: 'a step of the request, scoped by the home store at receipt',
  refuseDataRequest: 'a step of the request, scoped by the home store at receipt',
  withdrawDataRequest: 'a step of the request, scoped by the home store at receipt',
};

describe('id-based writes after a home-store move', () => {
  let app: TestApp;
  let schema: GraphQLSchema;
  let leedsId: string;
  let yorkId: string;
  const tokens: Record<string, string> = {};
  const as = (email: string) => tokens[email];

  /** A Leeds customer no test here has used yet. */
  let nextCustomer = 0;
  let leedsCustomers: string[] = [];
  const freshLeedsCustomer = () => leedsCustomers[nextCustomer++];

  async function move(customerId: string, storeId: string): Promise<void> {
    const moved = await app.request<{ updateCustomer: { homeStoreId: string } }>(MOVE, { id: customerId, store: storeId }, as(CHAIN_MANAGER));
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.updateCustomer.homeStoreId).toBe(storeId);
  }

  async function draft(customerId: string): Promise<string> {
    const created = await app.request<{ createExamination: { id: string } }>(CREATE_EXAM, {
      input: { customerId, storeId: leedsId, reasonForVisit: 'Routine sight test', history: 'No relevant history.' },
    }, as(OPTOMETRIST));
    expect(created.errors).toBeUndefined();
    return created.data!.createExamination.id;
  }

  async function book(customerId: string, days: number): Promise<string> {
    const startsAt = new Date(Date.now() + days * 86400_000);
    startsAt.setUTCHours(8, 0, 0, 0);
    const booked = await app.request<{ bookAppointment: { id: string } }>(BOOK, {
      input: { customerId, storeId: leedsId, type: 'SIGHT_TEST', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 30 * 60_000).toISOString() },
    }, as(RECEPTION));
    expect(booked.errors).toBeUndefined();
    return booked.data!.bookAppointment.id;
  }

  async function examRow(id: string): Promise<Record<string, unknown>> {
    const [row] = await app.clinical.query('SELECT status, history, reason_for_visit, signed_at, updated_at FROM examination WHERE id = $1', [id]);
    return row;
  }

  async function changeEntries(): Promise<number> {
    const [{ n: personal }] = await app.core.query('SELECT count(*)::int AS n FROM personal_change_log_entry');
    const [{ n: clinical }] = await app.clinical.query('SELECT count(*)::int AS n FROM clinical_change_log_entry');
    return personal + clinical;
  }

  beforeAll(async () => {
    app = await startTestApp();
    schema = await buildDeclaredSchema();
    [{ id: leedsId }] = await app.core.query(`SELECT id FROM store WHERE name = 'Leeds'`);
    [{ id: yorkId }] = await app.core.query(`SELECT id FROM store WHERE name = 'York'`);
    leedsCustomers = ((await app.core.query(
      "SELECT id FROM customer WHERE home_store_id = $1 AND status = 'ACTIVE' ORDER BY id LIMIT 10", [leedsId],
    )) as { id: string }[]).map((r) => r.id);
    for (const email of [OPTOMETRIST, RECEPTION, CHAIN_MANAGER]) tokens[email] = await app.login(email);
  });

  afterAll(() => app?.stop());

  it('lists every mutation that takes the id of a customer’s record (a new one must be covered here)', () => {
    const found = Object.values(schema.getMutationType()!.getFields())
      .filter((field) => field.args.some((arg) => arg.name === 'id'))
      .filter((field) => {
        const type = getNamedType(field.type);
        return type instanceof GraphQLObjectType && 'customerId' in type.getFields();
      })
      .map((field) => field.name)
      .sort();
    expect(found).toEqual([...Object.keys(ID_WRITES_ON_CUSTOMER_RECORDS), ...Object.keys(EXCEPTIONS)].sort());
  });

  it('updateExamination: the Leeds optometrist can no longer edit (or read back) the draft of a customer moved to York', async () => {
    const customer = freshLeedsCustomer();
    const exam = await draft(customer);
    // before the move the draft is theirs to edit
    const before = await app.request(UPDATE_EXAM, { id: exam, input: { reasonForVisit: 'Blurred distance vision' } }, as(OPTOMETRIST));
    expect(before.errors).toBeUndefined();

    await move(customer, yorkId);
    expect(errorCodes(await app.request(CUSTOMER, { id: customer }, as(OPTOMETRIST)))).toEqual(['NOT_FOUND']);
    const row = await examRow(exam);
    const entries = await changeEntries();
    const edit = await app.request<{ updateExamination: unknown }>(UPDATE_EXAM, { id: exam, input: { history: 'Edited after the move.' } }, as(OPTOMETRIST));
    expect(errorCodes(edit)).toEqual(['NOT_FOUND']);
    expect(edit.data?.updateExamination ?? null).toBeNull();
    expect(JSON.stringify(edit)).not.toContain('No relevant history');
    expect(await examRow(exam)).toEqual(row);
    expect(await changeEntries()).toBe(entries);
    // the refused attempt is in the clinical access log, like any refused clinical write
    const [{ n: denied }] = await app.clinical.query(
      "SELECT count(*)::int AS n FROM clinical_access_log_entry WHERE customer_id = $1 AND outcome = 'DENIED' AND 'update:history' = ANY(fields)", [customer],
    );
    expect(denied).toBe(1);

    // it is the customer's home store now that counts: moved back, the draft is theirs again
    await move(customer, leedsId);
    const back = await app.request<{ updateExamination: { history: string } }>(UPDATE_EXAM, { id: exam, input: { history: 'Edited once back.' } }, as(OPTOMETRIST));
    expect(back.errors).toBeUndefined();
    expect(back.data!.updateExamination.history).toBe('Edited once back.');
  });

  it('signExamination: the Leeds optometrist can no longer sign the draft of a customer moved to York', async () => {
    const customer = freshLeedsCustomer();
    const exam = await draft(customer);
    await move(customer, yorkId);
    const row = await examRow(exam);
    const entries = await changeEntries();
    const sign = await app.request<{ signExamination: unknown }>(SIGN_EXAM, { id: exam }, as(OPTOMETRIST));
    expect(errorCodes(sign)).toEqual(['NOT_FOUND']);
    expect(sign.data?.signExamination ?? null).toBeNull();
    expect(await examRow(exam)).toEqual(row);
    expect((await examRow(exam)).status).toBe('DRAFT');
    expect(await changeEntries()).toBe(entries);

    await move(customer, leedsId);
    const signed = await app.request<{ signExamination: { status: string } }>(SIGN_EXAM, { id: exam }, as(OPTOMETRIST));
    expect(signed.errors).toBeUndefined();
    expect(signed.data!.signExamination.status).toBe('SIGNED');
  });

  it('cancelAppointment: Leeds reception can no longer cancel the Leeds appointment of a customer moved to York; the chain manager can', async () => {
    const customer = freshLeedsCustomer();
    const appointment = await book(customer, 120);
    await move(customer, yorkId);
    expect(errorCodes(await app.request(CUSTOMER, { id: customer }, as(RECEPTION)))).toEqual(['NOT_FOUND']);
    const entries = await changeEntries();
    const cancel = await app.request<{ cancelAppointment: unknown }>(CANCEL, { id: appointment, reason: 'Moved away' }, as(RECEPTION));
    expect(errorCodes(cancel)).toEqual(['NOT_FOUND']);
    expect(cancel.data?.cancelAppointment ?? null).toBeNull();
    const [row] = await app.core.query('SELECT status, cancellation_reason FROM appointment WHERE id = $1', [appointment]);
    expect(row).toEqual({ status: 'BOOKED', cancellation_reason: null });
    expect(await changeEntries()).toBe(entries);

    // the record itself is fine: someone who sees the customer now (and the Leeds appointment) cancels it
    const byChain = await app.request<{ cancelAppointment: { status: string } }>(CANCEL, { id: appointment, reason: 'Moved away' }, as(CHAIN_MANAGER));
    expect(byChain.errors).toBeUndefined();
    expect(byChain.data!.cancelAppointment.status).toBe('CANCELLED');
  });

  it('releaseLegalHold: a Leeds-only holder can no longer release the hold of a customer moved to York; the chain manager can', async () => {
    const customer = freshLeedsCustomer();
    const [{ chain_id: chainId }] = await app.ownerCore.query('SELECT chain_id FROM store WHERE id = $1', [leedsId]);
    const [{ id: roleId }] = await app.ownerCore.query(`INSERT INTO role (chain_id, name, description) VALUES ($1, 'Holds at Leeds', '') RETURNING id`, [chainId]);
    await app.ownerCore.query(`INSERT INTO role_permission (role_id, action, subject, fields) VALUES ($1, 'read', 'Customer', NULL), ($1, 'read', 'LegalHold', NULL),
      ($1, 'create', 'LegalHold', NULL), ($1, 'update', 'LegalHold', NULL)`, [roleId]);
    const [{ id: userId }] = await app.ownerCore.query(`INSERT INTO staff_user (chain_id, name, email, profession, password_hash)
      SELECT chain_id, 'Leeds Holds', 'leeds.holds@clearview.example', 'MANAGER', password_hash FROM staff_user WHERE email = $1 RETURNING id`, [CHAIN_MANAGER]);
    await app.ownerCore.query(`INSERT INTO role_assignment (chain_id, user_id, role_id, scope_type, store_id) VALUES ($1, $2, $3, 'STORE', $4)`, [chainId, userId, roleId, leedsId]);
    const holder = await app.login('leeds.holds@clearview.example');
    const RELEASE = 'mutation($id: ID!) { releaseLegalHold(id: $id) { id inForce } }';
    const placed = await app.request<{ placeLegalHold: { id: string } }>('mutation($c: ID!) { placeLegalHold(customerId: $c, reason: "A claim at Leeds.") { id } }', { c: customer }, holder);
    expect(placed.errors).toBeUndefined();
    await move(customer, yorkId);
    const release = await app.request<{ releaseLegalHold: unknown }>(RELEASE, { id: placed.data!.placeLegalHold.id }, holder);
    expect(errorCodes(release)).toEqual(['NOT_FOUND']);
    const [row] = await app.core.query('SELECT released_at FROM legal_hold WHERE id = $1', [placed.data!.placeLegalHold.id]);
    expect(row).toEqual({ released_at: null });
    const byChain = await app.request<{ releaseLegalHold: { inForce: boolean } }>(RELEASE, { id: placed.data!.placeLegalHold.id }, as(CHAIN_MANAGER));
    expect(byChain.errors).toBeUndefined();
    expect(byChain.data!.releaseLegalHold.inForce).toBe(false);
  });

  it('a move committed while the write waited for it is seen: the write is NOT_FOUND, not applied to a customer gone elsewhere', async () => {
    const customer = freshLeedsCustomer();
    const appointment = await book(customer, 121);
    // a move in progress: the customer row locked and changed, not yet committed
    const mover = app.ownerCore.createQueryRunner();
    await mover.connect();
    let cancel: Promise<Awaited<ReturnType<typeof app.request>>> | undefined;
    try {
      await mover.startTransaction();
      await mover.query('SELECT id FROM customer WHERE id = $1 FOR UPDATE', [customer]);
      await mover.query('UPDATE customer SET home_store_id = $2 WHERE id = $1', [customer, yorkId]);
      cancel = app.request(CANCEL, { id: appointment, reason: 'Raced the move' }, as(RECEPTION));
      // the cancel waits for the customer's row…
      await new Promise((resolve) => setTimeout(resolve, 750));
      const [{ waiting }] = await app.ownerCore.query(
        "SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
      );
      expect(waiting).toBeGreaterThanOrEqual(1);
      await mover.commitTransaction();
    } finally {
      if (mover.isTransactionActive) await mover.rollbackTransaction();
      await mover.release();
    }
    // …and then sees the customer at York
    expect(errorCodes(await cancel!)).toEqual(['NOT_FOUND']);
    const [row] = await app.core.query('SELECT status FROM appointment WHERE id = $1', [appointment]);
    expect(row.status).toBe('BOOKED');
  });
});
