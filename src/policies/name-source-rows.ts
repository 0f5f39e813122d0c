/**
 * The source rows of name fields (name-fields.ts), loaded through the request's DataLoaders (batched: one
 * statement per source subject and request), and the two uses of them: whether the caller may read the
 * source field (the field guard's second condition) and the value a name field serves.
 */
import { GuardContext } from './guard-context';
import { NameSource } from './name-fields';
import { canReadField } from './readable-fields';

type Row = Record<string, unknown>;

function idOf(parent: Row, source: NameSource): string | null {
  const id = parent[source.key];
  return typeof id === 'string' && id !== '' ? id : null;
}

async function loadSource(ctx: GuardContext, source: NameSource, id: string): Promise<object | null> {
  switch (source.subject) {
    case 'User': return ctx.loaders.user.load(id);
    case 'Store': return ctx.loaders.store.load(id);
    case 'Role': return ctx.loaders.role.load(id);
    case 'Region': return ctx.loaders.region.load(id);
  }
}

/** A row of the caller's chain with that id, for a source row that does not exist (so existence is never decisive). */
function standIn(source: NameSource, chainId: unknown, id: string): object {
  if (source.subject === 'Store') return { id, chainId, storeId: id };
  if (source.subject === 'Region') return { id, chainId, storeId: [] };
  return { id, chainId };
}

/** Whether the caller may read the source field of the row's source row (true when the row names none). */
export async function mayReadNameSource(ctx: GuardContext, source: NameSource, parent: Row): Promise<boolean> {
  const ability = ctx.ability;
  if (!ability) return false;
  const id = idOf(parent, source);
  if (id === null) return true;
  const row = (await loadSource(ctx, source, id)) ?? standIn(source, parent.chainId, id);
  return canReadField(ability, source.subject, row, source.field);
}

/** The value of a name field: the source field of the source row, or null when there is none. */
export async function nameValue(ctx: GuardContext, source: NameSource, parent: object): Promise<string | null> {
  const id = idOf(parent as Row, source);
  if (id === null) return null;
  const row = (await loadSource(ctx, source, id)) as Row | null;
  const value = row?.[source.field];
  return typeof value === 'string' ? value : null;
}
