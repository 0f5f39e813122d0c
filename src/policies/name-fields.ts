/**
 * Names next to ids: fields that show, beside an id a row holds, a field of the row that id names (an
 * assignment's `userEmail` is the `email` of its user, a role change's `roleName` the `name` of its role).
 * Such a field reads its source, so it is governed like the source, as the derived fields of derived-fields.ts
 * are: it is readable only where its own catalog rule allows it **and** the caller may read the source field
 * on the source row (User.email of that user, Store.name of that store, …), whatever the value. A source row
 * that no longer exists (a deleted role) is judged as a row of the caller's chain with that id, so the decision
 * never tells whether it exists. A null id (a chain-wide assignment's storeName) has no source: its own rule decides.
 *
 * Data only: the field guard (field-guard.ts) enforces it, src/policies/name-source-rows.ts loads the source
 * rows (through the request's DataLoaders: no statement per row), src/resolvers/names.resolver.ts serves the values.
 */

/** The subjects a name can come from. */
export type NameSourceSubject = 'User' | 'Store' | 'Role' | 'Region';

/** The source of a name field: `field` of the `subject` row whose id is the row's `key` property. */
export interface NameSource {
  subject: NameSourceSubject;
  field: string;
  key: string;
}

const of = (subject: NameSourceSubject, field: string, key: string): NameSource => ({ subject, field, key });
const userNames = (key: string, prefix: string): Record<string, NameSource> => ({
  [`${prefix}Name`]: of('User', 'name', key),
  [`${prefix}Email`]: of('User', 'email', key),
});

/** Catalog subject → its name fields. Add a line for a new one (and its catalog entry, and its resolver). */
export const NAME_FIELDS: Readonly<Record<string, Readonly<Record<string, NameSource>>>> = {
  RoleAssignment: {
    ...userNames('userId', 'user'), roleName: of('Role', 'name', 'roleId'), storeName: of('Store', 'name', 'storeId'), regionName: of('Region', 'name', 'regionId'),
  },
  RoleChange: { ...userNames('actorId', 'actor'), roleName: of('Role', 'name', 'roleId') },
  AccessLogEntry: { ...userNames('userId', 'user'), storeName: of('Store', 'name', 'storeId') },
  DataChangeEntry: { ...userNames('userId', 'user'), storeName: of('Store', 'name', 'storeId') },
  SecurityEvent: userNames('userId', 'user'),
};

/** The source of a name field, or undefined for any other field. */
export function nameSource(subjectName: string, field: string): NameSource | undefined {
  return NAME_FIELDS[subjectName]?.[field];
}
