/**
 * The `marketingList` query: one page of a consent-filtered marketing list with the whole list's manifest,
 * both read in one snapshot (src/db/read-snapshot.ts) from the SQL in marketing-list-sql.ts. Nodes are
 * Customer objects, so the field guard shows only the fields the caller may read at each customer's store.
 * Each page is an export: it is logged in `marketing_list_export` (route GRAPHQL) and, one entry per customer
 * on the page, in the clinical access log under subject MarketingList, which counts toward BULK_EXPORTS
 * (src/audit/export-subjects.ts).
 */
import { AuthenticatedContext } from '../../context/authenticated-context';
import { openReadSnapshot } from '../../db/read-snapshot';
import { badInput } from '../../errors/errors';
import { exportGrants } from '../../policies/marketing-list-scope';
import { Customer } from '../../schema/core/customer.entity';
import { ConsentChannel } from '../../schema/enums';
import { MarketingListConnection } from '../../schema/marketing/marketing-list.types';
import { isUuid } from '../../schema/uuid';
import { afterPosition, PageLimits, pageSize } from '../page-args';
import { pageOf } from '../page-cursor';
import { logMarketingListExport } from './export-log';
import { bindSuppressionKey, readManifest, storesInScope } from './marketing-list-read';
import { ListQuery, pageStatement, positional } from './marketing-list-sql';

/** Marketing list pages: 50 by default, at most 100. */
export const MARKETING_PAGE: PageLimits = { defaultSize: 50, maxSize: 100 };

export interface MarketingListArgs {
  channel: ConsentChannel;
  storeIds?: string[] | null;
  first?: number | null;
  after?: string | null;
}

export async function marketingList(ctx: AuthenticatedContext, args: MarketingListArgs): Promise<MarketingListConnection> {
  const { principal, ability } = ctx;
  const first = pageSize(args.first, MARKETING_PAGE);
  const afterId = afterPosition(args.after, (decoded) => (isUuid(decoded) ? decoded : null));
  const given = args.storeIds ?? [];
  given.forEach((id, index) => {
    if (!isUuid(id)) throw badInput(`storeIds[${index}]`, 'is not a store id');
  });

  const snapshot = await openReadSnapshot(ctx.core);
  let result: { manifest: Awaited<ReturnType<typeof readManifest>>; rows: Record<string, unknown>[]; storeIds: string[] };
  try {
    await bindSuppressionKey(snapshot, ctx.config);
    const storeIds = await storesInScope(snapshot, ability, principal.chainId, given);
    const query: ListQuery = { chainId: principal.chainId, channel: args.channel, ability, storeIds };
    const manifest = await readManifest(snapshot, query);
    const { text, values } = positional(pageStatement(query, afterId, first + 1));
    const rows = await snapshot.query(text, values);
    await snapshot.close();
    result = { manifest, rows, storeIds };
  } catch (error) {
    await snapshot.abort();
    throw error;
  }

  const customers = result.rows.map((row) => {
    const { excluded_by: _excluded, ...columns } = row;
    return Object.assign(new Customer(), columns);
  });
  const page = pageOf(customers, first, afterId !== null);
  await logMarketingListExport(ctx.core, principal, ctx.request, {
    route: 'GRAPHQL', channel: args.channel, storeIds: result.storeIds, format: null,
    rowCount: page.edges.length, manifestHash: result.manifest.contentHash, completed: true,
  });
  for (const { node } of page.edges) {
    ctx.accessLog.record(principal, {
      customerId: node.id, storeId: node.homeStoreId, subject: 'MarketingList', recordId: null, field: 'marketingList',
      granted: true, grants: exportGrants(ability, { chainId: node.chainId, storeId: node.homeStoreId }),
    });
  }
  return { ...page, totalCount: result.manifest.included, manifest: result.manifest };
}
