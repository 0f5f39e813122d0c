/**
 * The role matrix as chain managers use it (issue 3), end to end through the real GraphQL API on real
 * PostgreSQL (split from one suite by what it covers; shared set-up in role-matrix.fixture.ts):
 * No lock-out: a chain always keeps someone able to manage roles (the last chain-level Chain manager
 * assignment, the role itself and its role-management entries are protected, also under concurrency).
 */
import { errorCodes, GraphQLResult } from '../support/graphql-client';
import {
  ASSIGN, CM, DELETE_ROLE, LOCK_OUT, NORTH, REVOKE, ROLES, UPDATE_ROLE, count, expectForbidden, expectOk, sleep, useRoleMatrix,
} from './role-matrix.fixture';

describe('role matrix (issue 3)', () => {
  const m = useRoleMatrix();
  const { roles, users, expectedChanges, tokenOf, as, roleChangeCount, assignmentCount, authzVersion, entriesInSql, createRoleAs, assignAs, revokeAs, deleteRoleAs } = m;

  // -------------------------------------------------------------------------------------------
  // 7b. No lock-out
  // -------------------------------------------------------------------------------------------

  describe('no lock-out', () => {
    it('the chain manager cannot revoke the only chain-level Chain manager assignment', async () => {
      const [assignments0, changes0, version0] = [await assignmentCount(), await roleChangeCount(), await authzVersion()];
      expectForbidden(await as(CM, REVOKE, { id: m.cmAssignment }), LOCK_OUT);
      expect(await count(m.app.core, 'SELECT count(*) AS n FROM role_assignment WHERE id = $1', [m.cmAssignment])).toBe(1);
      expect(await assignmentCount()).toBe(assignments0);
      expect(await roleChangeCount()).toBe(changes0);
      expect(await authzVersion()).toBe(version0);
      expectOk(await as(CM, ROLES));
    });

    it('nor delete the Chain manager role, nor remove manage Role from it', async () => {
      const entries0 = await entriesInSql(roles['Chain manager']);
      const changes0 = await roleChangeCount();
      expectForbidden(await as(CM, DELETE_ROLE, { id: roles['Chain manager'], remove: true }), LOCK_OUT);
      // (Entries the catalog accepts: see the round-trip test above for the seeded "manage X" ones.)
      const others = [{ action: 'manage', subject: 'RoleAssignment' }, { action: 'manage', subject: 'User' }, { action: 'read', subject: 'Customer' }];
      expectForbidden(await as(CM, UPDATE_ROLE, { id: roles['Chain manager'], input: { permissions: others } }), LOCK_OUT);
      expectForbidden(await as(CM, UPDATE_ROLE, { id: roles['Chain manager'], input: { permissions: [...others, { action: 'read', subject: 'Role' }] } }), LOCK_OUT);
      expectForbidden(await as(CM, UPDATE_ROLE, { id: roles['Chain manager'], input: { permissions: [...others, { action: 'manage', subject: 'Role', fields: ['name'] }] } }), LOCK_OUT);
      expectForbidden(await as(CM, UPDATE_ROLE, { id: roles['Chain manager'], input: { permissions: [] } }), LOCK_OUT);
      expect(await entriesInSql(roles['Chain manager'])).toEqual(entries0);
      expect(await count(m.app.core, 'SELECT count(*) AS n FROM role_assignment WHERE id = $1', [m.cmAssignment])).toBe(1);
      expect(await roleChangeCount()).toBe(changes0);
      expectOk(await as(CM, ROLES));
    });

    it('a time-limited chain-level Chain manager assignment does not count as a successor', async () => {
      const temp = await assignAs(CM, { userId: users[NORTH], roleId: roles['Chain manager'], scopeType: 'CHAIN', validUntil: new Date(Date.now() + 3600_000).toISOString() });
      expectForbidden(await as(CM, REVOKE, { id: m.cmAssignment }), LOCK_OUT);
      await revokeAs(CM, temp.id);
    });

    it('removing manage RoleAssignment from the only role-manager role is refused (else nobody could assign roles again)', async () => {
      const entries0 = await entriesInSql(roles['Chain manager']);
      const changes0 = await roleChangeCount();
      const result = await as(CM, UPDATE_ROLE, { id: roles['Chain manager'], input: { permissions: [{ action: 'manage', subject: 'Role' }, { action: 'manage', subject: 'User' }] } });
      const saved = await entriesInSql(roles['Chain manager']);
      if (!result.errors) {
        // The chain can no longer assign or revoke roles, and the escalation guard stops anyone from
        // adding the entry back: restore the demo matrix by hand before failing.
        expectedChanges.push({ action: 'ROLE_UPDATED', actorId: users[CM], roleId: roles['Chain manager'], assignmentId: null });
        expectForbidden(await as(CM, ASSIGN, { input: { userId: users[NORTH], roleId: roles['Chain manager'], scopeType: 'CHAIN' } }));
        expectForbidden(await as(CM, UPDATE_ROLE, { id: roles['Chain manager'], input: { permissions: [{ action: 'manage', subject: 'Role' }, { action: 'manage', subject: 'RoleAssignment' }] } }));
        await m.app.core.query('DELETE FROM role_permission WHERE role_id = $1', [roles['Chain manager']]);
        for (const e of entries0) {
          await m.app.core.query('INSERT INTO role_permission (role_id, action, subject, fields) VALUES ($1, $2, $3, $4)', [roles['Chain manager'], e.action, e.subject, e.fields]);
        }
        await m.app.core.query('UPDATE chain SET authz_version = authz_version + 1 WHERE id = $1', [m.chainId]);
      }
      expectForbidden(result, LOCK_OUT);
      expect(saved).toEqual(entries0);
      expect(await roleChangeCount()).toBe(changes0);
    });

    it('a chain-level holder of only "update Role" is no successor: revoking the last Chain manager is still refused', async () => {
      const editor = await createRoleAs(CM, { name: 'Role editor', permissions: [{ action: 'update', subject: 'Role' }] });
      const a = await assignAs(CM, { userId: users[NORTH], roleId: editor.id, scopeType: 'CHAIN' });
      const result = await as(CM, REVOKE, { id: m.cmAssignment });
      if (!result.errors) {
        // The chain is now locked out of role management: the "successor" can neither see roles nor
        // assign one. Restore the Chain manager by hand before failing.
        expectForbidden(await as(NORTH, ROLES));
        expectForbidden(await as(NORTH, ASSIGN, { input: { userId: users[CM], roleId: roles['Chain manager'], scopeType: 'CHAIN' } }));
        expectedChanges.push({ action: 'ASSIGNMENT_REVOKED', actorId: users[CM], roleId: roles['Chain manager'], assignmentId: m.cmAssignment });
        [{ id: m.cmAssignment }] = await m.app.core.query(
          `INSERT INTO role_assignment (chain_id, user_id, role_id, scope_type) VALUES ($1, $2, $3, 'CHAIN') RETURNING id`,
          [m.chainId, users[CM], roles['Chain manager']],
        );
        await m.app.core.query('UPDATE chain SET authz_version = authz_version + 1 WHERE id = $1', [m.chainId]);
      }
      await revokeAs(CM, a.id);
      await deleteRoleAs(CM, editor.id, false);
      expectForbidden(result, LOCK_OUT);
    });

    it('after giving another user the Chain manager role chain-wide, the revocation works', async () => {
      const successor = await assignAs(CM, { userId: users[NORTH], roleId: roles['Chain manager'], scopeType: 'CHAIN' });
      await revokeAs(CM, m.cmAssignment);
      // The former chain manager loses role management on their next request; the successor has it.
      expectForbidden(await as(CM, ROLES));
      expectOk(await as(NORTH, ROLES));
      // The successor cannot now revoke their own (the only) assignment either…
      expectForbidden(await as(NORTH, REVOKE, { id: successor.id }), LOCK_OUT);
      // …but can give the role back, after which the demo matrix is as before.
      m.cmAssignment = (await assignAs(NORTH, { userId: users[CM], roleId: roles['Chain manager'], scopeType: 'CHAIN' })).id;
      expectOk(await as(CM, ROLES));
      await revokeAs(CM, successor.id);
      expectForbidden(await as(NORTH, ROLES));
    });

    it('two concurrent revocations cannot remove both of the last two chain managers', async () => {
      const successor = await assignAs(CM, { userId: users[NORTH], roleId: roles['Chain manager'], scopeType: 'CHAIN' });
      await tokenOf(NORTH);
      // Hold the chain row so both requests are in flight before either commits (as under load).
      const blocker = m.app.core.createQueryRunner();
      await blocker.connect();
      await blocker.startTransaction();
      let results: GraphQLResult<{ revokeAssignment: boolean }>[];
      try {
        await blocker.query('SELECT id FROM chain WHERE id = $1 FOR UPDATE', [m.chainId]);
        const pending = [
          as<{ revokeAssignment: boolean }>(CM, REVOKE, { id: successor.id }),
          as<{ revokeAssignment: boolean }>(NORTH, REVOKE, { id: m.cmAssignment }),
        ];
        const waiting = () => count(m.app.core, `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        for (let i = 0; i < 50 && (await waiting()) < 2; i++) await sleep(100);
        await blocker.commitTransaction();
        results = await Promise.all(pending);
      } finally {
        if (blocker.isTransactionActive) await blocker.rollbackTransaction();
        await blocker.release();
      }
      const [byCm, byNorth] = results.map((r) => !r.errors);
      if (byCm) expectedChanges.push({ action: 'ASSIGNMENT_REVOKED', actorId: users[CM], roleId: roles['Chain manager'], assignmentId: successor.id });
      if (byNorth) expectedChanges.push({ action: 'ASSIGNMENT_REVOKED', actorId: users[NORTH], roleId: roles['Chain manager'], assignmentId: m.cmAssignment });
      const remaining = await count(m.app.core,
        `SELECT count(*) AS n FROM role_assignment WHERE chain_id = $1 AND role_id = $2 AND scope_type = 'CHAIN' AND valid_until IS NULL`,
        [m.chainId, roles['Chain manager']]);

      // Put the demo matrix back (CM holds Chain manager, NORTH does not), whatever happened.
      if (remaining === 0) {
        [{ id: m.cmAssignment }] = await m.app.core.query(
          `INSERT INTO role_assignment (chain_id, user_id, role_id, scope_type) VALUES ($1, $2, $3, 'CHAIN') RETURNING id`,
          [m.chainId, users[CM], roles['Chain manager']],
        );
        await m.app.core.query('UPDATE chain SET authz_version = authz_version + 1 WHERE id = $1', [m.chainId]);
      } else if (byNorth) {
        m.cmAssignment = (await assignAs(NORTH, { userId: users[CM], roleId: roles['Chain manager'], scopeType: 'CHAIN' })).id;
        await revokeAs(CM, successor.id);
      } else if (!byCm) {
        await revokeAs(CM, successor.id);
      }

      expect(remaining).toBe(1);
      expect([byCm, byNorth].filter(Boolean)).toHaveLength(1);
      expect(results.flatMap((r) => errorCodes(r))).toEqual(['FORBIDDEN']);
    });
  });

});
