/**
 * The two TypeORM DataSources: `core` (organisation, staff, customers, consents, appointments,
 * sessions) and `clinical` (examinations and findings, prescriptions, notes, the access log).
 * Separate URLs, separate migrations; never `synchronize`.
 */
import { DataSource } from 'typeorm';
import { clinicalMigrations } from '../../migrations/clinical';
import { coreMigrations } from '../../migrations/core';
import { clinicalEntities, coreEntities } from './entities';
import { QueryCounter } from './query-counter';
import { SnakeNamingStrategy } from './snake-naming-strategy';

export type DatabaseName = 'core' | 'clinical';

export function createDataSource(database: DatabaseName, url: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: database === 'core' ? coreEntities : clinicalEntities,
    migrations: database === 'core' ? coreMigrations : clinicalMigrations,
    migrationsTableName: 'typeorm_migrations',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    logging: ['query', 'error', 'warn', 'migration'],
    logger: new QueryCounter(database),
    extra: { max: 20, application_name: `visus-${database}` },
  });
}

/** Statements run so far on a DataSource (for the N+1 guard and the benchmarks). */
export function statementCount(dataSource: DataSource): number {
  return (dataSource.logger as QueryCounter).statements;
}
