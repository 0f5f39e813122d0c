/**
 * Hand-written (found in review): the personal change log's chain trigger dates every entry written by a role other
 * than the table's owner (i.e. the application's role) now, whatever it supplied, so changes cannot be
 * backdated; the owner (migrations, imports of history) still may. The chaining itself is unchanged
 * (see *PersonalChangeLog.ts).
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

const chainFunction = (datedNow: boolean): string => `CREATE OR REPLACE FUNCTION personal_change_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE head record;
      BEGIN
        ${datedNow ? `IF NOT pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
          NEW.occurred_at := now();
        END IF;` : ''}
        PERFORM pg_advisory_xact_lock(hashtext('personal_change_log_entry'), hashtext(NEW.chain_id::text));
        SELECT seq, hash INTO head FROM personal_change_log_entry WHERE chain_id = NEW.chain_id ORDER BY seq DESC LIMIT 1;
        IF FOUND THEN
          NEW.seq := head.seq + 1;
          NEW.prev_hash := head.hash;
        ELSE
          NEW.seq := 1;
          NEW.prev_hash := decode(repeat('00', 32), 'hex');
        END IF;
        NEW.hash := sha256(personal_change_log_canonical(NEW));
        RETURN NEW;
      END $$`;

export class ChangeLogDatedNow1795355300000 implements MigrationInterface {
  name = 'ChangeLogDatedNow1795355300000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(chainFunction(true));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(chainFunction(false));
  }
}
