/**
 * A TypeORM logger that counts the SQL statements each DataSource runs (the N+1 guard test and the
 * benchmarks read it) and passes errors to the application log. It never logs parameters: they can
 * hold personal data.
 */
import { Logger as TypeOrmLogger } from 'typeorm';
import { logger } from '../logging/logger';
import { safeErrorMessage } from '../logging/safe-error-message';

export class QueryCounter implements TypeOrmLogger {
  statements = 0;

  constructor(private readonly database: string) {}

  logQuery(): void {
    this.statements += 1;
  }
  logQueryError(error: string | Error): void {
    logger.error({ database: this.database, err: safeErrorMessage(error) }, 'query failed');
  }
  logQuerySlow(time: number): void {
    logger.warn({ database: this.database, ms: time }, 'slow query');
  }
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    logger.info({ database: this.database }, message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') logger.warn({ database: this.database }, String(message));
  }
}
