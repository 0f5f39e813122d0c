/**
 * auditSettings and updateAuditSettings: the chain's anomaly alert thresholds and emergency access length.
 */
import { Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Arg } from '../schema/arg';
import { readAuditSettings, updateAuditSettings } from '../services/audit/audit-settings';
import { UpdateAuditSettingsInput } from '../schema/inputs/audit-settings.inputs';
import { AuditSettings } from '../schema/core/audit-settings.entity';
import { User } from '../schema/core/user.entity';
import { AppContext } from '../context/app-context';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver(() => AuditSettings)
export class AuditSettingsResolver {
  @Query(() => AuditSettings, { nullable: false, description: 'The chain’s audit settings (the defaults until changed).' })
  auditSettings(@Authenticated() ctx: AuthenticatedContext): Promise<AuditSettings> {
    return readAuditSettings(ctx);
  }

  @Mutation(() => AuditSettings, { description: 'Changes the chain’s audit settings; applies to the next anomaly check.' })
  updateAuditSettings(@Authenticated() ctx: AuthenticatedContext, @Arg('input', () => UpdateAuditSettingsInput) input: UpdateAuditSettingsInput): Promise<AuditSettings> {
    return updateAuditSettings(ctx, input);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who last changed the settings (null: never changed).' })
  updatedBy(@Root() settings: AuditSettings, @Ctx() ctx: AppContext): Promise<User | null> | null {
    return settings.updatedById ? ctx.loaders.user.load(settings.updatedById) : null;
  }
}
