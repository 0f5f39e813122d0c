/**
 * auditSettings and updateAuditSettings: the chain's anomaly alert thresholds and emergency access length.
 */
import { Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Arg } from '../schema/arg';
import { readAuditSettings, updateAuditSettings } from '../services/audit/audit-settings';
import { UpdateAuditSettingsInput } from '../schema/audit/audit-settings.inputs';
import { AuditSettings } from '../schema/core/audit-settings.entity';
import { User } from '../schema/core/user.entity';
import { AppContext, requireAuth } from '../context/app-context';

@Resolver(() => AuditSettings)
export class AuditSettingsResolver {
  @Query(() => AuditSettings, { nullable: false, description: 'The chain’s audit settings (the defaults until changed).' })
  auditSettings(@Ctx() ctx: AppContext): Promise<AuditSettings> {
    const { principal, ability } = requireAuth(ctx);
    return readAuditSettings(ctx, principal, ability);
  }

  @Mutation(() => AuditSettings, { description: 'Changes the chain’s audit settings; applies to the next anomaly check.' })
  updateAuditSettings(@Ctx() ctx: AppContext, @Arg('input', () => UpdateAuditSettingsInput) input: UpdateAuditSettingsInput): Promise<AuditSettings> {
    const { principal, ability } = requireAuth(ctx);
    return updateAuditSettings(ctx, principal, ability, input);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who last changed the settings (null: never changed).' })
  updatedBy(@Root() settings: AuditSettings, @Ctx() ctx: AppContext): Promise<User | null> | null {
    return settings.updatedById ? ctx.loaders.user.load(settings.updatedById) : null;
  }
}
