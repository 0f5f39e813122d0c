/**
 * What a resolver's client selected below it: whether a field path (`edges.node.appointments`) is selected,
 * through fragments. Used to load a selected relation with its page (src/loaders/settled-loader.ts). A field or
 * fragment carrying a directive (`@include`, `@skip`) counts as not selected: the relation is then loaded the
 * ordinary way, by its field, so a conditional selection never loads rows the response does not use.
 */
import { GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';

function selectsIn(info: GraphQLResolveInfo, set: SelectionSetNode | undefined, path: readonly string[]): boolean {
  if (!set) return false;
  for (const selection of set.selections) {
    if (selection.directives?.length) continue;
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== path[0]) continue;
      if (path.length === 1 || selectsIn(info, selection.selectionSet, path.slice(1))) return true;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (selectsIn(info, selection.selectionSet, path)) return true;
    } else {
      const fragment = info.fragments[selection.name.value];
      if (fragment && !fragment.directives?.length && selectsIn(info, fragment.selectionSet, path)) return true;
    }
  }
  return false;
}

/** Whether the field being resolved selects `path` (field names, aliases aside) in every way it is asked. */
export function selects(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  return info.fieldNodes.some((node) => !node.directives?.length && selectsIn(info, node.selectionSet, path));
}
