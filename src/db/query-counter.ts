/**
 * A TypeORM logger that counts the SQL statements each DataSource runs (the N+1 guard test and the
 * benchmarks read it) and passes errors to the application log. It never logs parameters: they can
 * hold personal data. Connections that PostgreSQL ends while this process shuts down are not warnings.
 */
import { Logger as TypeOrmLogger } from 'typeorm';
import { logger } from '../server/logger';
import { safeErrorMessage } from '../server/safe-error-message';
import { isShutdownNotice } from './shutdown-signals';

export class QueryCounter implements TypeOrmLogger {
  statements = 0;

  constructor(private readonly database: string) {}

  logQuery(): void {
    this.statements += 1;
  }
  logQueryError(error: string | Error): void {
    if (isShutdownNotice(String(error))) return logger.debug({ database: this.database }, 'query ended by shutdown');
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
    if (level === 'warn' && isShutdownNotice(String(message))) logger.debug({ database: this.database }, 'connection ended by shutdown');
    else if (level === 'warn') logger.warn({ database: this.database }, String(message));
  }
}
