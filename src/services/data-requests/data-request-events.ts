/**
 * A request's history (DataRequest.events), oldest first; at one instant in the order of the kinds (identity verified
 * before the resumption it causes, linked changes before the completion). Each event carries the request's store
 * for the permission model.
 */
import { AuthenticatedContext } from '../../context/authenticated-context';
import { DataRequestEvent } from '../../schema/core/data-request-event.entity';
import { DataRequest } from '../../schema/core/data-request.entity';

export async function requestEvents(ctx: AuthenticatedContext, request: DataRequest): Promise<DataRequestEvent[]> {
  const events = await ctx.core.getRepository(DataRequestEvent).createQueryBuilder('ev')
    .where('ev.data_request_id = :id AND ev.chain_id = :chainId', { id: request.id, chainId: ctx.principal.chainId })
    .orderBy('ev.occurred_at', 'ASC').addOrderBy('ev.kind', 'ASC').addOrderBy('ev.id', 'ASC')
    .getMany();
  return events.map((event) => Object.assign(event, { storeId: request.storeId }));
}
