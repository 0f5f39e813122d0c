/**
 * Hand-written, data only: on a database seeded before them, the audit trail's other new subjects,
 * EmergencyAccess and DataChangeEntry, would be grantable by nobody (no one grants what they do not hold).
 * So roles that are role managers (`manage` on Role and on RoleAssignment, every field: the roles the
 * lock-out guard keeps) AND already manage every clinical subject (they see all health data anyway, as a
 * seeded chain manager does) get `manage` on both. A role manager without full clinical access gets neither:
 * the change log holds clinical values, and break-the-glass reviews concern health records. The chains
 * concerned get their authz version bumped. No role_change entry: a migration has no actor; this header is
 * the record. (AuditSettings and SecurityEvent: *AnomalyAlerts.ts.)
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditSubjectsForRoleManagers1795354900000 implements MigrationInterface {
  name = 'AuditSubjectsForRoleManagers1795354900000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`WITH managers AS (
        SELECT r.id, r.chain_id FROM role r
         WHERE EXISTS (SELECT 1 FROM role_permission p WHERE p.role_id = r.id AND p.action = 'manage' AND p.subject = 'Role' AND p.fields IS NULL)
           AND EXISTS (SELECT 1 FROM role_permission p WHERE p.role_id = r.id AND p.action = 'manage' AND p.subject = 'RoleAssignment' AND p.fields IS NULL)
           AND NOT EXISTS (SELECT 1 FROM (VALUES ('Examination'), ('SpectaclePrescription'), ('ContactLensSpecification'), ('ClinicalNote')) AS c(subject)
                            WHERE NOT EXISTS (SELECT 1 FROM role_permission p WHERE p.role_id = r.id AND p.action = 'manage' AND p.subject = c.subject AND p.fields IS NULL))),
      added AS (
        INSERT INTO role_permission (role_id, action, subject, fields)
        SELECT m.id, 'manage', s.subject, NULL FROM managers m CROSS JOIN (VALUES ('EmergencyAccess'), ('DataChangeEntry')) AS s(subject)
         WHERE NOT EXISTS (SELECT 1 FROM role_permission p WHERE p.role_id = m.id AND p.action = 'manage' AND p.subject = s.subject AND p.fields IS NULL)
        RETURNING role_id)
      UPDATE chain SET authz_version = authz_version + 1 WHERE id IN (SELECT m.chain_id FROM managers m JOIN added a ON a.role_id = m.id)`);
  }

  public async down(): Promise<void> {
    // Data only: the permissions stay (removing them could take rights a chain has since relied on).
  }
}
