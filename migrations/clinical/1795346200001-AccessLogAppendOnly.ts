/**
 * Hand-written: the clinical access log is append-only. The database itself rejects UPDATE, DELETE and
 * TRUNCATE on clinical_access_log_entry, whatever the application does.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class AccessLogAppendOnly1795346200001 implements MigrationInterface {
  name = 'AccessLogAppendOnly1795346200001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION visus_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '% is append-only: % rejected', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege'; END $$`);
    await queryRunner.query(`CREATE TRIGGER clinical_access_log_entry_append_only BEFORE UPDATE OR DELETE ON clinical_access_log_entry
      FOR EACH ROW EXECUTE FUNCTION visus_reject_change()`);
    await queryRunner.query(`CREATE TRIGGER clinical_access_log_entry_no_truncate BEFORE TRUNCATE ON clinical_access_log_entry
      FOR EACH STATEMENT EXECUTE FUNCTION visus_reject_change()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER clinical_access_log_entry_no_truncate ON clinical_access_log_entry`);
    await queryRunner.query(`DROP TRIGGER clinical_access_log_entry_append_only ON clinical_access_log_entry`);
    await queryRunner.query(`DROP FUNCTION visus_reject_change()`);
  }
}
