/**
 * previewRoleChangeSummary: the dry run of a role change, summarised per subject (beside previewRoleChange's list).
 */
import { Ctx, ID, Query, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { previewRoleChangeSummary } from '../roles/role-preview-summary';
import { RoleChangeSubjectSummary } from '../schema/roles/preview-summary.types';
import { UpdateRoleInput } from '../schema/roles/role.inputs';
import { AppContext, requireAuth } from '../server/context';

@Resolver()
export class PreviewSummaryResolver {
  @Query(() => [RoleChangeSubjectSummary], { nullable: false, description: 'Dry run, per subject: how many permissions the role’s holders would gain and lose, on which fields, who and where, if its entries were replaced. Saves nothing.' })
  previewRoleChangeSummary(@Ctx() ctx: AppContext, @Arg('id', () => ID) id: string, @Arg('input', () => UpdateRoleInput) input: UpdateRoleInput): Promise<RoleChangeSubjectSummary[]> {
    const { principal, ability } = requireAuth(ctx);
    return previewRoleChangeSummary(ctx, principal, ability, id, input);
  }
}
