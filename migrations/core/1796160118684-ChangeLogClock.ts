/**
 * Hand-written (a function only; no entity changed): the personal data change log's entries are dated by the
 * database's clock under the chain's lock, never before the previous entry of the chain (they were dated
 * `now()`, the transaction's start, which a longer transaction taking the lock later can put before its
 * predecessor); the owner (imports of history) may date entries, but never in the future. The same
 * function body as the clinical change log's (migrations/clinical/1796160118683-AuditLogClock.ts).
 */
import { MigrationInterface, QueryRunner } from 'typeorm';
import { changeLogChainFunction } from '../change-log-clock-sql';

export class ChangeLogClock1796160118684 implements MigrationInterface {
  name = 'ChangeLogClock1796160118684';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(changeLogChainFunction('personal_change_log'));
  }

  public async down(): Promise<void> {
    throw new Error('ChangeLogClock is not reversible: restore from a backup taken before it.');
  }
}
