/**
 * Hand-written, data only: the catalog's new subject Region (the `regions` query, and the regionName of an
 * assignment) would be grantable by nobody on a database seeded before it (no one grants what they do not
 * hold). So roles that are role managers (`manage` on Role and on RoleAssignment, every field: the roles the
 * lock-out guard keeps, which assign roles per region anyway) get `manage` on Region; the chains concerned get
 * their authz version bumped. A fresh seed gives it to the chain manager role like every subject. No
 * role_change entry: a migration has no actor; this header is the record.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class RegionsForRoleManagers1796170000000 implements MigrationInterface {
  name = 'RegionsForRoleManagers1796170000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`WITH managers AS (
        SELECT r.id, r.chain_id FROM role r
         WHERE EXISTS (SELECT 1 FROM role_permission p WHERE p.role_id = r.id AND p.action = 'manage' AND p.subject = 'Role' AND p.fields IS NULL)
           AND EXISTS (SELECT 1 FROM role_permission p WHERE p.role_id = r.id AND p.action = 'manage' AND p.subject = 'RoleAssignment' AND p.fields IS NULL)),
      added AS (
        INSERT INTO role_permission (role_id, action, subject, fields)
        SELECT m.id, 'manage', 'Region', NULL FROM managers m
         WHERE NOT EXISTS (SELECT 1 FROM role_permission p WHERE p.role_id = m.id AND p.action = 'manage' AND p.subject = 'Region' AND p.fields IS NULL)
        RETURNING role_id)
      UPDATE chain SET authz_version = authz_version + 1 WHERE id IN (SELECT m.chain_id FROM managers m JOIN added a ON a.role_id = m.id)`);
  }

  public async down(): Promise<void> {
    // Data only: the permissions stay (removing them could take rights a chain has since relied on).
  }
}
