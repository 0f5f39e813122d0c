/**
 * The role matrix as chain managers use it (issue 3), end to end through the real GraphQL API on real
 * PostgreSQL (split from one suite by what it covers; shared set-up in role-matrix.fixture.ts):
 * Role assignments at chain, region and store level with validity windows that start and stop granting by
 * themselves; and freshness: a change applies to the user's next request, also on a second API process
 * sharing the database, while an unchanged user's ability stays cached.
 */
import { RunningApp, startApp } from '../../src/app';
import { createDataSource } from '../../src/db/data-sources';
import { errorCodes, graphql } from '../support/graphql-client';
import {
  ASSIGN, ASSIGNMENT_FIELDS, AssignInput, AssignmentAnswer, CM, CUSTOMER_DOB, CUSTOMER_SEX, CustomerAnswer, DPO, RECEPTION, REVOKE, SCOPE_TESTER, count, expectBadInput, expectNotFound, expectOk, sleep, useRoleMatrix,
} from './role-matrix.fixture';

describe('role matrix (issue 3)', () => {
  const m = useRoleMatrix();
  const { stores, regions, roles, users, expectedChanges, tokenOf, as, roleChangeCount, assignmentCount, authzVersion, createRoleAs, updateRoleAs, assignAs, revokeAs, deleteRoleAs, dobSeenBy } = m;

  // -------------------------------------------------------------------------------------------
  // 3. Assignments: scopes and validity windows
  // -------------------------------------------------------------------------------------------

  describe('assignRole / revokeAssignment', () => {
    let dobReader: string;

    beforeAll(async () => {
      dobReader = (await createRoleAs(CM, {
        name: 'DOB reader',
        description: 'Names and dates of birth',
        permissions: [{ action: 'read', subject: 'Customer', fields: ['id', 'firstName', 'dateOfBirth'] }],
      })).id;
      roles['DOB reader'] = dobReader;
    });

    /** What the scope tester sees of a Leeds, a York and a Bristol customer. */
    async function testerReach(): Promise<Record<string, string>> {
      const out: Record<string, string> = {};
      for (const [store, id] of [['Leeds', m.leedsCustomer], ['York', m.yorkCustomer], ['Bristol', m.bristolCustomer]]) {
        const seen = await dobSeenBy(SCOPE_TESTER, id);
        out[store] = seen.dob ? 'dob' : seen.codes.join(',');
      }
      return out;
    }

    it('a user without roles sees no customer', async () => {
      expect(await testerReach()).toEqual({ Leeds: 'FORBIDDEN', York: 'FORBIDDEN', Bristol: 'FORBIDDEN' });
    });

    it('assigns and revokes at CHAIN scope: every store', async () => {
      const a = await assignAs(CM, { userId: users[SCOPE_TESTER], roleId: dobReader, scopeType: 'CHAIN' });
      expect(a).toMatchObject({ userId: users[SCOPE_TESTER], roleId: dobReader, scopeType: 'CHAIN', regionId: null, storeId: null, validFrom: null, validUntil: null, active: true });
      const [row] = await m.app.core.query('SELECT chain_id AS "chainId", scope_type AS "scopeType", created_by_id AS "createdById" FROM role_assignment WHERE id = $1', [a.id]);
      expect(row).toEqual({ chainId: m.chainId, scopeType: 'CHAIN', createdById: users[CM] });
      expect(await testerReach()).toEqual({ Leeds: 'dob', York: 'dob', Bristol: 'dob' });
      await revokeAs(CM, a.id);
      expect(await testerReach()).toEqual({ Leeds: 'FORBIDDEN', York: 'FORBIDDEN', Bristol: 'FORBIDDEN' });
    });

    it('assigns and revokes at REGION scope: the stores of North only', async () => {
      const a = await assignAs(CM, { userId: users[SCOPE_TESTER], roleId: dobReader, scopeType: 'REGION', regionId: regions.North });
      expect(a).toMatchObject({ scopeType: 'REGION', regionId: regions.North, storeId: null });
      expect(await testerReach()).toEqual({ Leeds: 'dob', York: 'dob', Bristol: 'NOT_FOUND' });
      await revokeAs(CM, a.id);
      expect(await testerReach()).toEqual({ Leeds: 'FORBIDDEN', York: 'FORBIDDEN', Bristol: 'FORBIDDEN' });
    });

    it('assigns and revokes at STORE scope: Leeds only', async () => {
      const a = await assignAs(CM, { userId: users[SCOPE_TESTER], roleId: dobReader, scopeType: 'STORE', storeId: stores.Leeds });
      expect(a).toMatchObject({ scopeType: 'STORE', regionId: null, storeId: stores.Leeds });
      expect(await testerReach()).toEqual({ Leeds: 'dob', York: 'NOT_FOUND', Bristol: 'NOT_FOUND' });
      const seen = expectOk(await as<{ customer: CustomerAnswer }>(SCOPE_TESTER, CUSTOMER_DOB, { id: m.leedsCustomer })).customer;
      expect(seen.dateOfBirth).toBe(m.leedsCustomerDob);
      await revokeAs(CM, a.id);
      expect(await testerReach()).toEqual({ Leeds: 'FORBIDDEN', York: 'FORBIDDEN', Bristol: 'FORBIDDEN' });
      expectNotFound(await as(CM, REVOKE, { id: a.id }));
    });

    it('refuses bad scope shapes and windows with BAD_USER_INPUT, adding nothing', async () => {
      const [assignments0, changes0] = [await assignmentCount(), await roleChangeCount()];
      const base = { userId: users[SCOPE_TESTER], roleId: dobReader };
      const past = new Date(Date.now() - 60_000).toISOString();
      const soon = new Date(Date.now() + 3600_000).toISOString();
      const later = new Date(Date.now() + 7200_000).toISOString();
      const cases: [Partial<AssignInput>, string][] = [
        [{ scopeType: 'CHAIN', storeId: stores.Leeds }, 'input.scopeType'],
        [{ scopeType: 'CHAIN', regionId: regions.North }, 'input.scopeType'],
        [{ scopeType: 'REGION' }, 'input.regionId'],
        [{ scopeType: 'REGION', regionId: regions.North, storeId: stores.Leeds }, 'input.regionId'],
        [{ scopeType: 'REGION', regionId: stores.Leeds }, 'input.regionId'],
        [{ scopeType: 'STORE' }, 'input.storeId'],
        [{ scopeType: 'STORE', storeId: stores.Leeds, regionId: regions.North }, 'input.storeId'],
        [{ scopeType: 'STORE', storeId: regions.North }, 'input.storeId'],
        [{ scopeType: 'STORE', storeId: stores.Keswick }, 'input.storeId'],
        [{ scopeType: 'REGION', regionId: regions.Lakes }, 'input.regionId'],
        [{ scopeType: 'STORE', storeId: stores.Leeds, validUntil: past }, 'input.validUntil'],
        [{ scopeType: 'STORE', storeId: stores.Leeds, validFrom: later, validUntil: soon }, 'input.validUntil'],
      ];
      for (const [shape, field] of cases) expectBadInput(await as(CM, ASSIGN, { input: { ...base, ...shape } }), field);
      expect(await assignmentCount()).toBe(assignments0);
      expect(await roleChangeCount()).toBe(changes0);
    });

    it('an unknown user or role is NOT_FOUND', async () => {
      expectNotFound(await as(CM, ASSIGN, { input: { userId: '00000000-0000-4000-8000-000000000001', roleId: dobReader, scopeType: 'CHAIN' } }));
      expectNotFound(await as(CM, ASSIGN, { input: { userId: users[SCOPE_TESTER], roleId: '00000000-0000-4000-8000-000000000001', scopeType: 'CHAIN' } }));
      expectNotFound(await as(CM, REVOKE, { id: '00000000-0000-4000-8000-000000000001' }));
    });

    it('an assignment stops granting at validUntil by itself: the cached ability expires, nobody touches anything', async () => {
      const abilities = m.app.app.abilities!;
      expect((await dobSeenBy(RECEPTION, m.leedsCustomer)).codes).toEqual(['FORBIDDEN']);
      const until = Date.now() + 3000;
      const a = await assignAs(CM, { userId: users[RECEPTION], roleId: dobReader, scopeType: 'STORE', storeId: stores.Leeds, validUntil: new Date(until).toISOString() });
      expect(a.active).toBe(true);
      expect(new Date(a.validUntil!).getTime()).toBe(until);
      expect(await dobSeenBy(RECEPTION, m.leedsCustomer)).toEqual({ dob: m.leedsCustomerDob, codes: [] });
      // The ability is now cached (a second request is a hit, not a rebuild).
      const hits = abilities.hits;
      expect(await dobSeenBy(RECEPTION, m.leedsCustomer)).toEqual({ dob: m.leedsCustomerDob, codes: [] });
      expect(abilities.hits).toBe(hits + 1);

      const version = await authzVersion();
      const changes = await roleChangeCount();
      await sleep(until - Date.now() + 400);
      const misses = abilities.misses;
      expect(await dobSeenBy(RECEPTION, m.leedsCustomer)).toEqual({ dob: null, codes: ['FORBIDDEN'] });
      expect(abilities.misses).toBe(misses + 1);
      // Nobody touched anything: the row is still there, the chain's version and history unchanged.
      expect(await count(m.app.core, 'SELECT count(*) AS n FROM role_assignment WHERE id = $1', [a.id])).toBe(1);
      expect(await authzVersion()).toBe(version);
      expect(await roleChangeCount()).toBe(changes);
      const holders = expectOk(await as<{ role: { assignments: AssignmentAnswer[] } }>(CM, `query($id: ID!) { role(id: $id) { assignments { ${ASSIGNMENT_FIELDS} } } }`, { id: dobReader })).role.assignments;
      expect(holders.find((h) => h.id === a.id)?.active).toBe(false);
      await revokeAs(CM, a.id);
    });

    it('an assignment with validFrom in the future grants nothing until then, then grants by itself', async () => {
      const from = Date.now() + 3000;
      const a = await assignAs(CM, { userId: users[RECEPTION], roleId: dobReader, scopeType: 'STORE', storeId: stores.Leeds, validFrom: new Date(from).toISOString() });
      expect(a.active).toBe(false);
      expect(await dobSeenBy(RECEPTION, m.leedsCustomer)).toEqual({ dob: null, codes: ['FORBIDDEN'] });
      expect(await dobSeenBy(RECEPTION, m.leedsCustomer)).toEqual({ dob: null, codes: ['FORBIDDEN'] });
      const version = await authzVersion();
      await sleep(from - Date.now() + 400);
      expect(await dobSeenBy(RECEPTION, m.leedsCustomer)).toEqual({ dob: m.leedsCustomerDob, codes: [] });
      expect(await authzVersion()).toBe(version);
      await revokeAs(CM, a.id);
      expect((await dobSeenBy(RECEPTION, m.leedsCustomer)).codes).toEqual(['FORBIDDEN']);
    });
  });

  // -------------------------------------------------------------------------------------------
  // 4. Freshness and caching
  // -------------------------------------------------------------------------------------------

  describe('freshness', () => {
    it('assignRole, updateRole and revokeAssignment apply to the user’s next request', async () => {
      expect(await dobSeenBy(RECEPTION, m.leedsCustomer)).toEqual({ dob: null, codes: ['FORBIDDEN'] });
      const a = await assignAs(CM, { userId: users[RECEPTION], roleId: roles['DOB reader'], scopeType: 'STORE', storeId: stores.Leeds });
      expect(await dobSeenBy(RECEPTION, m.leedsCustomer)).toEqual({ dob: m.leedsCustomerDob, codes: [] });

      // The role loses dateOfBirth and gains sex: both apply at once.
      expect(errorCodes(await as(RECEPTION, CUSTOMER_SEX, { id: m.leedsCustomer }))).toEqual(['FORBIDDEN']);
      await updateRoleAs(CM, roles['DOB reader'], { permissions: [{ action: 'read', subject: 'Customer', fields: ['sex'] }] });
      expect(await dobSeenBy(RECEPTION, m.leedsCustomer)).toEqual({ dob: null, codes: ['FORBIDDEN'] });
      const sex = await as<{ customer: { sex: string } }>(RECEPTION, CUSTOMER_SEX, { id: m.leedsCustomer });
      expect(sex.errors).toBeUndefined();
      expect(['FEMALE', 'MALE']).toContain(sex.data?.customer.sex);

      await updateRoleAs(CM, roles['DOB reader'], { permissions: [{ action: 'read', subject: 'Customer', fields: ['id', 'firstName', 'dateOfBirth'] }] });
      expect(await dobSeenBy(RECEPTION, m.leedsCustomer)).toEqual({ dob: m.leedsCustomerDob, codes: [] });
      await revokeAs(CM, a.id);
      expect(await dobSeenBy(RECEPTION, m.leedsCustomer)).toEqual({ dob: null, codes: ['FORBIDDEN'] });
    });

    it('a change made through one API process applies on the next request to another (own DataSources and cache)', async () => {
      const core2 = createDataSource('core', m.app.appCoreUrl);
      const clinical2 = createDataSource('clinical', m.app.appClinicalUrl);
      await core2.initialize();
      await clinical2.initialize();
      let second: RunningApp | null = null;
      try {
        second = await startApp(m.app.config, core2, clinical2, { port: 0 });
        const url = second.url;
        const cache2 = second.abilities!;
        expect(cache2).not.toBe(m.app.app.abilities);

        // Instance 2 builds and caches the receptionist's ability.
        expect(await dobSeenBy(RECEPTION, m.leedsCustomer, url)).toEqual({ dob: null, codes: ['FORBIDDEN'] });
        const hits = cache2.hits;
        expect(await dobSeenBy(RECEPTION, m.leedsCustomer, url)).toEqual({ dob: null, codes: ['FORBIDDEN'] });
        expect(cache2.hits).toBe(hits + 1);

        // Change through instance 1, observe through instance 2.
        const a = await assignAs(CM, { userId: users[RECEPTION], roleId: roles['DOB reader'], scopeType: 'STORE', storeId: stores.Leeds });
        expect(await dobSeenBy(RECEPTION, m.leedsCustomer, url)).toEqual({ dob: m.leedsCustomerDob, codes: [] });
        await updateRoleAs(CM, roles['DOB reader'], { permissions: [{ action: 'read', subject: 'Customer', fields: ['sex'] }] });
        expect(await dobSeenBy(RECEPTION, m.leedsCustomer, url)).toEqual({ dob: null, codes: ['FORBIDDEN'] });
        await updateRoleAs(CM, roles['DOB reader'], { permissions: [{ action: 'read', subject: 'Customer', fields: ['id', 'firstName', 'dateOfBirth'] }] });
        expect(await dobSeenBy(RECEPTION, m.leedsCustomer, url)).toEqual({ dob: m.leedsCustomerDob, codes: [] });
        await revokeAs(CM, a.id);
        expect(await dobSeenBy(RECEPTION, m.leedsCustomer, url)).toEqual({ dob: null, codes: ['FORBIDDEN'] });

        // And the other way round: a change through instance 2 applies on instance 1.
        const viaSecond = await graphql<{ assignRole: AssignmentAnswer }>(url, ASSIGN, {
          input: { userId: users[RECEPTION], roleId: roles['DOB reader'], scopeType: 'STORE', storeId: stores.Leeds },
        }, await tokenOf(CM));
        const b = expectOk(viaSecond).assignRole;
        expectedChanges.push({ action: 'ASSIGNMENT_CREATED', actorId: users[CM], roleId: roles['DOB reader'], assignmentId: b.id });
        expect(await dobSeenBy(RECEPTION, m.leedsCustomer)).toEqual({ dob: m.leedsCustomerDob, codes: [] });
        await revokeAs(CM, b.id);
        expect(await dobSeenBy(RECEPTION, m.leedsCustomer, url)).toEqual({ dob: null, codes: ['FORBIDDEN'] });
      } finally {
        await second?.stop();
        await core2.destroy();
        await clinical2.destroy();
      }
    });

    it('an unchanged user’s ability is cached: repeated requests are hits, not rebuilds', async () => {
      const abilities = m.app.app.abilities!;
      await as(DPO, '{ roles { id } }');
      const [hits, misses] = [abilities.hits, abilities.misses];
      for (let i = 0; i < 5; i++) expectOk(await as<{ roles: { id: string }[] }>(DPO, '{ roles { id } }'));
      expect(abilities.hits).toBe(hits + 5);
      expect(abilities.misses).toBe(misses);
      // A role change invalidates it: the next request rebuilds once, then hits again.
      const role = await createRoleAs(CM, { name: 'Cache buster', permissions: [] });
      const [hits2, misses2] = [abilities.hits, abilities.misses];
      await as(DPO, '{ roles { id } }');
      await as(DPO, '{ roles { id } }');
      expect(abilities.misses).toBe(misses2 + 1);
      expect(abilities.hits).toBe(hits2 + 1);
      await deleteRoleAs(CM, role.id, false);
    });
  });

});
