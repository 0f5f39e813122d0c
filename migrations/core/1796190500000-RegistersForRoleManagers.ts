/**
 * Hand-written, data only: on a database seeded before them, the DPO's registers (Breach, ProcessingActivity)
 * would be grantable by nobody (no one grants what they do not hold). So roles that are role managers (`manage` on
 * Role and on RoleAssignment, every field: the roles the lock-out guard keeps) get `manage` on both; they grant the
 * DPO role its entries with `updateRole` (docs/registers.md). The chains concerned get their authz version bumped.
 * No role_change entry: a migration has no actor; this header is the record. The platform's processing activities
 * are seeded with new chains only (src/seed/processing-activities.ts): an existing chain adds its own.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class RegistersForRoleManagers1796190500000 implements MigrationInterface {
  name = 'RegistersForRoleManagers1796190500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`WITH managers AS (
        SELECT r.id, r.chain_id FROM role r
         WHERE EXISTS (SELECT 1 FROM role_permission p WHERE p.role_id = r.id AND p.action = 'manage' AND p.subject = 'Role' AND p.fields IS NULL)
           AND EXISTS (SELECT 1 FROM role_permission p WHERE p.role_id = r.id AND p.action = 'manage' AND p.subject = 'RoleAssignment' AND p.fields IS NULL)),
      added AS (
        INSERT INTO role_permission (role_id, action, subject, fields)
        SELECT m.id, 'manage', s.subject, NULL FROM managers m CROSS JOIN (VALUES ('Breach'), ('ProcessingActivity')) AS s(subject)
         WHERE NOT EXISTS (SELECT 1 FROM role_permission p WHERE p.role_id = m.id AND p.action = 'manage' AND p.subject = s.subject AND p.fields IS NULL)
        RETURNING role_id)
      UPDATE chain SET authz_version = authz_version + 1 WHERE id IN (SELECT m.chain_id FROM managers m JOIN added a ON a.role_id = m.id)`);
  }

  public async down(): Promise<void> {
    // Data only: the permissions stay (removing them could take rights a chain has since relied on).
  }
}
