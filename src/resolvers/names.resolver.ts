/**
 * Names next to ids: the name fields of role assignments, role changes, access log entries, data change
 * entries and security events (userName, userEmail, roleName, storeName, …). Each is declared, with its
 * source, in src/policies/name-fields.ts, which the field guard enforces (readable only where the source is);
 * the values come from the request's DataLoaders, so a page of rows costs one statement per source subject.
 */
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { NAME_FIELDS } from '../policies/name-fields';
import { nameValue } from '../policies/name-source-rows';
import { AccessLogEntryView } from '../schema/audit/access-log.types';
import { DataChangeEntryView } from '../schema/audit/data-change.types';
import { RoleAssignment } from '../schema/core/role-assignment.entity';
import { RoleChange } from '../schema/core/role-change.entity';
import { SecurityEvent } from '../schema/core/security-event.entity';
import { AppContext } from '../context/app-context';

function name(ctx: AppContext, subject: string, field: string, row: object): Promise<string | null> {
  const source = NAME_FIELDS[subject]?.[field];
  if (!source) throw new Error(`${subject}.${field} is not declared in NAME_FIELDS`);
  return nameValue(ctx, source, row);
}

const text = () => String;

@Resolver(() => RoleAssignment)
export class AssignmentNamesResolver {
  @FieldResolver(text, { nullable: true, description: 'The user’s name (readable where User.name of that user is).' })
  userName(@Root() row: RoleAssignment, @Ctx() ctx: AppContext) { return name(ctx, 'RoleAssignment', 'userName', row); }

  @FieldResolver(text, { nullable: true, description: 'The user’s email (readable where User.email of that user is).' })
  userEmail(@Root() row: RoleAssignment, @Ctx() ctx: AppContext) { return name(ctx, 'RoleAssignment', 'userEmail', row); }

  @FieldResolver(text, { nullable: true, description: 'The role’s name (readable where Role.name is).' })
  roleName(@Root() row: RoleAssignment, @Ctx() ctx: AppContext) { return name(ctx, 'RoleAssignment', 'roleName', row); }

  @FieldResolver(text, { nullable: true, description: 'STORE scope: the store’s name (readable where Store.name of that store is); null otherwise.' })
  storeName(@Root() row: RoleAssignment, @Ctx() ctx: AppContext) { return name(ctx, 'RoleAssignment', 'storeName', row); }

  @FieldResolver(text, { nullable: true, description: 'REGION scope: the region’s name (readable where Region.name of that region is); null otherwise.' })
  regionName(@Root() row: RoleAssignment, @Ctx() ctx: AppContext) { return name(ctx, 'RoleAssignment', 'regionName', row); }
}

@Resolver(() => RoleChange)
export class RoleChangeNamesResolver {
  @FieldResolver(text, { nullable: true, description: 'Who made the change, by name (readable where User.name of that user is).' })
  actorName(@Root() row: RoleChange, @Ctx() ctx: AppContext) { return name(ctx, 'RoleChange', 'actorName', row); }

  @FieldResolver(text, { nullable: true, description: 'Who made the change, by email (readable where User.email of that user is).' })
  actorEmail(@Root() row: RoleChange, @Ctx() ctx: AppContext) { return name(ctx, 'RoleChange', 'actorEmail', row); }

  @FieldResolver(text, { nullable: true, description: 'The role’s current name; null once the role is deleted (its name is in before/after).' })
  roleName(@Root() row: RoleChange, @Ctx() ctx: AppContext) { return name(ctx, 'RoleChange', 'roleName', row); }
}

@Resolver(() => AccessLogEntryView)
export class AccessLogNamesResolver {
  @FieldResolver(text, { nullable: true, description: 'The member of staff, by name (readable where User.name of that user is).' })
  userName(@Root() row: AccessLogEntryView, @Ctx() ctx: AppContext) { return name(ctx, 'AccessLogEntry', 'userName', row); }

  @FieldResolver(text, { nullable: true, description: 'The member of staff, by email (readable where User.email of that user is).' })
  userEmail(@Root() row: AccessLogEntryView, @Ctx() ctx: AppContext) { return name(ctx, 'AccessLogEntry', 'userEmail', row); }

  @FieldResolver(text, { nullable: true, description: 'The store of the records, by name (readable where Store.name of that store is).' })
  storeName(@Root() row: AccessLogEntryView, @Ctx() ctx: AppContext) { return name(ctx, 'AccessLogEntry', 'storeName', row); }
}

@Resolver(() => DataChangeEntryView)
export class DataChangeNamesResolver {
  @FieldResolver(text, { nullable: true, description: 'The member of staff, by name (readable where User.name of that user is); null for the customer’s own change.' })
  userName(@Root() row: DataChangeEntryView, @Ctx() ctx: AppContext) { return name(ctx, 'DataChangeEntry', 'userName', row); }

  @FieldResolver(text, { nullable: true, description: 'The member of staff, by email (readable where User.email of that user is); null for the customer’s own change.' })
  userEmail(@Root() row: DataChangeEntryView, @Ctx() ctx: AppContext) { return name(ctx, 'DataChangeEntry', 'userEmail', row); }

  @FieldResolver(text, { nullable: true, description: 'The store of the record, by name (readable where Store.name of that store is).' })
  storeName(@Root() row: DataChangeEntryView, @Ctx() ctx: AppContext) { return name(ctx, 'DataChangeEntry', 'storeName', row); }
}

@Resolver(() => SecurityEvent)
export class SecurityEventNamesResolver {
  @FieldResolver(text, { nullable: true, description: 'Whose use of data raised the event, by name (readable where User.name of that user is).' })
  userName(@Root() row: SecurityEvent, @Ctx() ctx: AppContext) { return name(ctx, 'SecurityEvent', 'userName', row); }

  @FieldResolver(text, { nullable: true, description: 'Whose use of data raised the event, by email (readable where User.email of that user is).' })
  userEmail(@Root() row: SecurityEvent, @Ctx() ctx: AppContext) { return name(ctx, 'SecurityEvent', 'userEmail', row); }
}
