/**
 * previewRoleChangeSummary: the dry run of a role change, summarised per subject (beside previewRoleChange's list).
 */
import { ID, Query, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { previewRoleChangeSummary } from '../services/roles/role-preview-summary';
import { RoleChangeSubjectSummary } from '../schema/roles/preview-summary.types';
import { UpdateRoleInput } from '../schema/inputs/role.inputs';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver()
export class PreviewSummaryResolver {
  @Query(() => [RoleChangeSubjectSummary], { nullable: false, description: 'Dry run, per subject: how many permissions the role’s holders would gain and lose, on which fields, who and where, if its entries were replaced. Saves nothing.' })
  previewRoleChangeSummary(@Authenticated() ctx: AuthenticatedContext, @Arg('id', () => ID) id: string, @Arg('input', () => UpdateRoleInput) input: UpdateRoleInput): Promise<RoleChangeSubjectSummary[]> {
    return previewRoleChangeSummary(ctx, id, input);
  }
}
