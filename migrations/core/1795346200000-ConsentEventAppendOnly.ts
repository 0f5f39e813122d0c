/**
 * Hand-written: consent history is append-only. The database itself rejects UPDATE, DELETE and
 * TRUNCATE on consent_event, whatever the application does.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class ConsentEventAppendOnly1795346200000 implements MigrationInterface {
  name = 'ConsentEventAppendOnly1795346200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION visus_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '% is append-only: % rejected', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege'; END $$`);
    await queryRunner.query(`CREATE TRIGGER consent_event_append_only BEFORE UPDATE OR DELETE ON consent_event
      FOR EACH ROW EXECUTE FUNCTION visus_reject_change()`);
    await queryRunner.query(`CREATE TRIGGER consent_event_no_truncate BEFORE TRUNCATE ON consent_event
      FOR EACH STATEMENT EXECUTE FUNCTION visus_reject_change()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER consent_event_no_truncate ON consent_event`);
    await queryRunner.query(`DROP TRIGGER consent_event_append_only ON consent_event`);
    await queryRunner.query(`DROP FUNCTION visus_reject_change()`);
  }
}
