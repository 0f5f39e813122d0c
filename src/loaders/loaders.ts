/**
 * Per-request DataLoaders for every nested relation, so a page of customers with their consents,
 * appointments and clinical records runs a constant number of SQL statements whatever its size.
 * Every loader applies the caller's row filter in SQL (see policies/sql-condition.ts).
 */
import DataLoader from 'dataloader';
import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { plainRows } from '../db/plain-rows';
import { acknowledgementLoader } from './acknowledgement-loader';
import { AppAbility } from '../policies/ability';
import { sortableBy } from '../policies/sortable';
import { accessibleSql, ColumnMap, SqlParams } from '../policies/sql-condition';
import { ClinicalNote } from '../schema/clinical/clinical-note.entity';
import { ContactLensSpecification } from '../schema/clinical/contact-lens-specification.entity';
import { Examination } from '../schema/clinical/examination.entity';
import { IntraocularPressure } from '../schema/clinical/intraocular-pressure.entity';
import { Refraction } from '../schema/clinical/refraction.entity';
import { SpectaclePrescription } from '../schema/clinical/spectacle-prescription.entity';
import { VisualAcuity } from '../schema/clinical/visual-acuity.entity';
import { Appointment } from '../schema/core/appointment.entity';
import { ConsentEvent } from '../schema/core/consent-event.entity';
import { Consent } from '../schema/core/consent.entity';
import { Customer } from '../schema/core/customer.entity';
import { RoleAssignment } from '../schema/core/role-assignment.entity';
import { RolePermission } from '../schema/core/role-permission.entity';
import { Role } from '../schema/core/role.entity';
import { Store } from '../schema/core/store.entity';
import { User } from '../schema/core/user.entity';
import { ReviewItemKind } from '../schema/enums';
import { regionLoaders } from './region-loaders';
import { restrictionLoaders } from './restriction-loaders';
import { SettledLoader } from './settled-loader';
import { consentProofLoaders } from './consent-proof-loaders';

export interface LoaderScope {
  chainId: string;
  ability: AppAbility;
}

interface ListLoaderSpec<E extends ObjectLiteral> {
  dataSource: DataSource;
  entity: new () => E;
  /** Property of E holding the key (customerId, examinationId). */
  keyProperty: keyof E & string;
  /** Row filter: the subject whose `read` rules apply, with the columns its conditions refer to. */
  subject?: string;
  /** Property to order by (newest first), when the caller may read it wherever they see rows. */
  orderBy: keyof E & string;
  /**
   * Its timestamps as ISO strings (src/db/plain-rows.ts): only for an entity whose rows go out through GraphQL and
   * nothing else, no getter, field resolver or check reading a timestamp of them.
   */
  isoTimestamps?: boolean;
}

/**
 * Loads, for many keys at once, every row of E whose key column matches and that the caller may see. Its rows can
 * be loaded ahead and then read synchronously (src/loaders/settled-loader.ts).
 */
function listLoader<E extends ObjectLiteral>(scope: LoaderScope | null, spec: ListLoaderSpec<E>): SettledLoader<E[]> {
  return new SettledLoader<E[]>(async (keys) => {
    if (!scope) return keys.map(() => []);
    const qb = spec.dataSource
      .getRepository(spec.entity)
      .createQueryBuilder('x')
      .where(`x.${spec.keyProperty} IN (:...keys)`, { keys: [...keys] })
      .andWhere('x.chainId = :chainId', { chainId: scope.chainId });
    if (spec.subject) {
      const params = new SqlParams();
      const columns: ColumnMap = { chainId: 'x.chain_id', storeId: 'x.store_id', id: 'x.id', customerId: 'x.customer_id' };
      qb.andWhere(accessibleSql(scope.ability, 'read', spec.subject, columns, params), params.values);
    }
    if (!spec.subject || sortableBy(scope.ability, spec.subject, spec.orderBy)) qb.orderBy(`x.${spec.orderBy}`, 'DESC');
    const rows = await plainRows(spec.dataSource, spec.entity, 'x', qb.addOrderBy('x.id'), { isoTimestamps: spec.isoTimestamps });
    const byKey = new Map<string, E[]>(keys.map((key) => [key, []]));
    for (const row of rows) byKey.get(row[spec.keyProperty] as string)?.push(row);
    return keys.map((key) => byKey.get(key) ?? []);
  });
}

/** Rows of the caller's chain by id (the field guard then decides what of them may be read). */
function byIdLoader<E extends ObjectLiteral & { id: string }>(dataSource: DataSource, entity: EntityTarget<E>, scope: LoaderScope | null): DataLoader<string, E | null> {
  return new DataLoader<string, E | null>(async (ids) => {
    if (!scope) return ids.map(() => null);
    const rows = await dataSource.getRepository(entity).createQueryBuilder('x')
      .where('x.id IN (:...ids)', { ids: [...ids] }).andWhere('x.chainId = :chainId', { chainId: scope.chainId }).getMany();
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

export function createLoaders(core: DataSource, clinical: DataSource, scope: LoaderScope | null) {
  return {
    store: byIdLoader(core, Store, scope),
    /** Customers by id, for the field guard's derived-field checks (their home store decides; see policies/derived-fields.ts). */
    customer: byIdLoader(core, Customer, scope),

    /** Consents of customers; keyed by customer so each row learns its customer's home store (its scope). */
    consents: new DataLoader<Customer, Consent[], string>(
      async (customers) => {
        if (!scope) return customers.map(() => []);
        const params = new SqlParams();
        const filter = accessibleSql(scope.ability, 'read', 'Consent', { chainId: 'c.chain_id', storeId: 'c.home_store_id', id: 'x.id' }, params);
        const rows = await core.getRepository(Consent).createQueryBuilder('x')
          .innerJoin(Customer, 'c', 'c.id = x.customer_id')
          .where('x.customerId IN (:...ids)', { ids: customers.map((c) => c.id) })
          .andWhere('x.chainId = :chainId', { chainId: scope.chainId })
          .andWhere(filter, params.values)
          .orderBy(sortableBy(scope.ability, 'Consent', 'channel') ? 'x.channel' : 'x.id').getMany();
        const home = new Map(customers.map((c) => [c.id, c.homeStoreId]));
        const byCustomer = new Map<string, Consent[]>(customers.map((c) => [c.id, []]));
        for (const row of rows) {
          row.storeId = home.get(row.customerId) as string;
          byCustomer.get(row.customerId)?.push(row);
        }
        return customers.map((c) => byCustomer.get(c.id) ?? []);
      },
      { cacheKeyFn: (customer) => customer.id },
    ),

    /** History of consents; the parent consent's readable `history` field already admits the rows. */
    consentHistory: new DataLoader<Consent, ConsentEvent[], string>(
      async (consents) => {
        if (!scope) return consents.map(() => []);
        const rows = await core.getRepository(ConsentEvent).createQueryBuilder('x')
          .where('x.customerId IN (:...ids)', { ids: [...new Set(consents.map((c) => c.customerId))] })
          .andWhere('x.chainId = :chainId', { chainId: scope.chainId })
          .orderBy('x.changedAt', 'DESC').getMany();
        return consents.map((consent) =>
          rows
            .filter((row) => row.customerId === consent.customerId && row.channel === consent.channel)
            .map((row) => Object.assign(row, { storeId: consent.storeId })),
        );
      },
      { cacheKeyFn: (consent) => consent.id },
    ),

    appointments: listLoader(scope, { dataSource: core, entity: Appointment, keyProperty: 'customerId', subject: 'Appointment', orderBy: 'startsAt', isoTimestamps: true }),
    examinations: listLoader(scope, { dataSource: clinical, entity: Examination, keyProperty: 'customerId', subject: 'Examination', orderBy: 'examinedAt' }),
    refractions: listLoader(scope, { dataSource: clinical, entity: Refraction, keyProperty: 'examinationId', orderBy: 'eye' }),
    visualAcuities: listLoader(scope, { dataSource: clinical, entity: VisualAcuity, keyProperty: 'examinationId', orderBy: 'eye' }),
    intraocularPressures: listLoader(scope, { dataSource: clinical, entity: IntraocularPressure, keyProperty: 'examinationId', orderBy: 'measuredAt' }),
    spectaclePrescriptions: listLoader(scope, { dataSource: clinical, entity: SpectaclePrescription, keyProperty: 'customerId', subject: 'SpectaclePrescription', orderBy: 'issuedOn' }),
    contactLensSpecifications: listLoader(scope, { dataSource: clinical, entity: ContactLensSpecification, keyProperty: 'customerId', subject: 'ContactLensSpecification', orderBy: 'issuedOn' }),
    roleAssignmentsOfRole: listLoader(scope, { dataSource: core, entity: RoleAssignment, keyProperty: 'roleId', subject: 'RoleAssignment', orderBy: 'createdAt' }),
    roleAssignmentsOfUser: listLoader(scope, { dataSource: core, entity: RoleAssignment, keyProperty: 'userId', subject: 'RoleAssignment', orderBy: 'createdAt' }),

    /** Entries of roles; each row learns its role's chain (its scope for the `permissions` field check). */
    rolePermissions: new DataLoader<string, RolePermission[]>(async (roleIds) => {
      if (!scope) return roleIds.map(() => []);
      const rows = await core.getRepository(RolePermission).createQueryBuilder('x')
        .innerJoin(Role, 'r', 'r.id = x.role_id AND r.chain_id = :chainId', { chainId: scope.chainId })
        .where('x.roleId IN (:...ids)', { ids: [...roleIds] })
        .orderBy('x.subject').addOrderBy('x.action').getMany();
      return roleIds.map((id) => rows.filter((row) => row.roleId === id).map((row) => Object.assign(row, { chainId: scope.chainId })));
    }),

    user: byIdLoader(core, User, scope),
    role: byIdLoader(core, Role, scope),
    /** Regions by id, and the stores of regions (src/loaders/region-loaders.ts). */
    ...regionLoaders(core, scope),
    /** Restriction of processing and its history, objections' history (src/loaders/restriction-loaders.ts). */
    ...restrictionLoaders(core, scope),
    /** Consent as of a moment, terms acceptances, wordings of consent events (src/loaders/consent-proof-loaders.ts). */
    ...consentProofLoaders(core, scope),

    /** Acknowledgements of security events, by event id (the event's own row check admits them). */
    securityEventAcknowledgements: acknowledgementLoader(core, scope?.chainId ?? null, ReviewItemKind.SECURITY_EVENT),
    emergencyAccessAcknowledgements: acknowledgementLoader(core, scope?.chainId ?? null, ReviewItemKind.EMERGENCY_ACCESS),

    clinicalNotes: listLoader(scope, { dataSource: clinical, entity: ClinicalNote, keyProperty: 'customerId', subject: 'ClinicalNote', orderBy: 'createdAt' }),

    /** How many clinical access log entries each emergency access produced (its uses). */
    emergencyAccessUses: new DataLoader<string, number>(async (ids) => {
      if (!scope) return ids.map(() => 0);
      const rows = (await clinical.query(
        `SELECT emergency_access_id::text AS id, count(*)::int AS n FROM clinical_access_log_entry
          WHERE chain_id = $1 AND emergency_access_id = ANY($2::uuid[]) GROUP BY emergency_access_id`,
        [scope.chainId, [...ids]],
      )) as { id: string; n: number }[];
      const counts = new Map(rows.map((row) => [row.id, row.n]));
      return ids.map((id) => counts.get(id) ?? 0);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
