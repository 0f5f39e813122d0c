/**
 * Rows that an INSERT or DELETE … RETURNING * gave back, turned into entities as TypeORM loads them
 * (property names, column types, transformers): what a write stored or removed, without reading it again.
 */
import { EntityManager } from 'typeorm';

export function entitiesFromReturning<E extends object>(manager: EntityManager, entity: new () => E, raw: unknown): E[] {
  const metadata = manager.connection.getMetadata(entity);
  const rows = Array.isArray(raw) ? (raw as Record<string, unknown>[]) : [];
  return rows.map((row) => {
    const out = metadata.create() as E;
    for (const column of metadata.columns) {
      if (column.databaseName in row) column.setEntityValue(out, manager.connection.driver.prepareHydratedValue(row[column.databaseName], column));
    }
    return out;
  });
}
