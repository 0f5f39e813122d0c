/**
 * The two TypeORM DataSources: `core` (organisation, staff, customers, consents, appointments,
 * sessions) and `clinical` (examinations and findings, prescriptions, notes, the access log).
 * Separate URLs, separate migrations; never `synchronize`. Each is one pg pool of `poolSize` connections
 * (the API's processes share a budget: src/db/pool-size.ts); waiting for a connection is bounded.
 */
import { DataSource } from 'typeorm';
import { clinicalMigrations } from '../../migrations/clinical';
import { coreMigrations } from '../../migrations/core';
import { clinicalEntities, coreEntities } from './entities';
import { DEFAULT_POOL_SIZE } from './pool-size';
import { QueryCounter } from './query-counter';
import { SnakeNamingStrategy } from './snake-naming-strategy';

export type DatabaseName = 'core' | 'clinical';

/**
 * How long a query waits for a connection (a free one in the pool, or a new one to open) before it fails
 * (as SERVICE_UNAVAILABLE, src/server/database-unavailable.ts) rather than hang.
 */
export const CONNECTION_TIMEOUT_MS = 10_000;

export function createDataSource(database: DatabaseName, url: string, poolSize = DEFAULT_POOL_SIZE): DataSource {
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
    extra: { max: poolSize, connectionTimeoutMillis: CONNECTION_TIMEOUT_MS, application_name: `visus-${database}` },
  });
}

/** Statements run so far on a DataSource (for the N+1 guard and the benchmarks). */
export function statementCount(dataSource: DataSource): number {
  return (dataSource.logger as QueryCounter).statements;
}
