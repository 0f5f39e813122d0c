/**
 * The bulk chain's organisation (src/seed/bulk): the chain, its regions and stores, the demo role matrix
 * (src/seed/demo-roles.ts) and its staff: per store a store manager, an optometrist, two optical assistants and
 * a receptionist; per region a regional manager; for the chain a chain manager, a data protection officer and
 * the BI service account (kind SERVICE: no password sign-in) with one API token, whose text is returned to be
 * printed once (only its hash is stored). Staff sign in with the demo password. Hundreds of rows: plain inserts.
 * Ids are deterministic (the seed's); the token and the password hashes are not.
 */
import { createHash, randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { hashApiToken, newApiToken } from '../../auth/api-token';
import { hashPassword } from '../../auth/password';
import { ConsentChannel, Profession, ScopeType } from '../../schema/enums';
import { prng } from '../demo-data';
import { DEMO_PASSWORD } from '../demo-seed';
import { DEMO_ROLES } from '../demo-roles';
import { seedOpenAuthPolicy } from '../auth-policy-seed';
import { FIRST_NAMES, LAST_NAMES, STORE_SUFFIXES, TOWNS, UK_REGIONS } from './uk-data';

/** The chain's channels: SOCIAL_MEDIA was used once and is now disabled (its history is kept). */
export const BULK_ENABLED_CHANNELS = [ConsentChannel.EMAIL, ConsentChannel.SMS, ConsentChannel.MAIL];

export interface BulkStore {
  /** 0-based store number. */
  no: number;
  id: string;
  regionId: string;
  name: string;
  town: string;
  area: string;
  /** Staff who record consents and rights requests there. */
  managerId: string;
  assistantId: string;
}

export interface BulkOrganisation {
  chainId: string;
  domain: string;
  stores: BulkStore[];
  regions: number;
  staff: number;
  chainManagerId: string;
  chainManagerEmail: string;
  biUserId: string;
  biEmail: string;
  /** The BI account's API token (`vsa_…`), valid a year from now. */
  biToken: string;
  biTokenExpiresAt: Date;
}

/** The same uuid as `pg_temp.bulk_id` makes in SQL (src/seed/bulk/random-sql.ts) for the same key. */
export function bulkId(seed: number, kind: string, ...parts: (string | number)[]): string {
  const hex = createHash('md5').update([`${seed}:${kind}`, ...parts.map(String)].join(':')).digest('hex');
  const h = `${hex.slice(0, 12)}4${hex.slice(13, 16)}8${hex.slice(17)}`;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

interface StaffRow {
  id: string;
  email: string;
  name: string;
  profession: Profession;
  registrationNumber: string | null;
  passwordHash: string;
  assignments: { role: string; scope: ScopeType; regionId?: string; storeId?: string }[];
}

export async function seedOrganisation(tx: EntityManager, seed: number, chainName: string, storeCount: number): Promise<BulkOrganisation> {
  const random = prng(seed);
  const chainId = bulkId(seed, 'chain', chainName);
  const domain = `${slug(chainName).slice(0, 40).replace(/-$/, '')}.example`;
  await tx.query('INSERT INTO chain (id, name, enabled_consent_channels) VALUES ($1, $2, $3::consent_channel[])', [chainId, chainName, BULK_ENABLED_CHANNELS]);
  // Like the demo: a password alone signs in (an explicit policy requiring no second factor).
  await seedOpenAuthPolicy(tx, chainId);

  const regionIds = new Map<number, string>();
  const stores: BulkStore[] = [];
  const seenNames = new Map<string, number>();
  for (let no = 0; no < storeCount; no++) {
    const town = TOWNS[no % TOWNS.length];
    if (!regionIds.has(town.region)) regionIds.set(town.region, bulkId(seed, 'region', town.region));
    const repeat = Math.floor(no / TOWNS.length);
    let name = repeat === 0 ? town.name : `${town.name} ${STORE_SUFFIXES[(repeat - 1) % STORE_SUFFIXES.length]}`;
    const seen = seenNames.get(name) ?? 0;
    seenNames.set(name, seen + 1);
    if (seen) name = `${name} ${seen + 1}`;
    stores.push({ no, id: bulkId(seed, 'store', no), regionId: regionIds.get(town.region)!, name, town: town.name, area: town.area, managerId: '', assistantId: '' });
  }
  for (const [region, id] of regionIds) await tx.query('INSERT INTO region (id, chain_id, name) VALUES ($1, $2, $3)', [id, chainId, UK_REGIONS[region]]);
  await tx.query(
    `INSERT INTO store (id, chain_id, region_id, name, city, phone)
     SELECT id, $1, region_id, name, city, phone FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[]) AS s(id, region_id, name, city, phone)`,
    [chainId, stores.map((s) => s.id), stores.map((s) => s.regionId), stores.map((s) => s.name), stores.map((s) => s.town),
      stores.map((s) => `01632 96${String(s.no % 10000).padStart(4, '0')}`)],
  );

  const roleIds = new Map<string, string>();
  for (const definition of DEMO_ROLES) {
    const roleId = bulkId(seed, 'role', definition.name);
    roleIds.set(definition.name, roleId);
    await tx.query('INSERT INTO role (id, chain_id, name, description) VALUES ($1, $2, $3, $4)', [roleId, chainId, definition.name, definition.description]);
    for (const [n, entry] of definition.entries.entries()) {
      await tx.query('INSERT INTO role_permission (id, role_id, action, subject, fields) VALUES ($1, $2, $3, $4, $5)',
        [bulkId(seed, 'permission', definition.name, n), roleId, entry.action, entry.subject, entry.fields ?? null]);
    }
  }

  const staffHash = await hashPassword(DEMO_PASSWORD);
  const staff: StaffRow[] = [];
  const person = (): string => `${FIRST_NAMES[Math.floor(random() * FIRST_NAMES.length)]} ${LAST_NAMES[Math.floor(random() * LAST_NAMES.length)]}`;
  const add = (local: string, profession: Profession, role: string, scope: ScopeType, target: { regionId?: string; storeId?: string } = {}, name = person()): StaffRow => {
    const row: StaffRow = {
      id: bulkId(seed, 'staff', local), email: `${local}@${domain}`, name, profession, passwordHash: staffHash,
      registrationNumber: profession === Profession.OPTOMETRIST ? `01-${String(10000 + Math.floor(random() * 89999))}` : null,
      assignments: [{ role, scope, ...target }],
    };
    staff.push(row);
    return row;
  };
  const chainManager = add('chain.manager', Profession.MANAGER, 'Chain manager', ScopeType.CHAIN);
  add('dpo', Profession.DATA_PROTECTION_OFFICER, 'Data protection officer', ScopeType.CHAIN);
  const bi = add('bi', Profession.SERVICE_ACCOUNT, 'BI service account', ScopeType.CHAIN, {}, 'BI service account');
  // Never checked (a SERVICE account cannot sign in with a password); a hash of a secret nobody keeps all the same.
  bi.passwordHash = await hashPassword(randomBytes(32).toString('base64url'));
  for (const [region, id] of regionIds) add(`${slug(UK_REGIONS[region])}.manager`, Profession.MANAGER, 'Regional manager', ScopeType.REGION, { regionId: id });
  for (const store of stores) {
    const local = slug(store.name);
    store.managerId = add(`${local}.manager`, Profession.MANAGER, 'Store manager', ScopeType.STORE, { storeId: store.id }).id;
    add(`${local}.optometrist`, Profession.OPTOMETRIST, 'Optometrist', ScopeType.STORE, { storeId: store.id });
    store.assistantId = add(`${local}.assistant`, Profession.OPTICAL_ASSISTANT, 'Optical assistant', ScopeType.STORE, { storeId: store.id }).id;
    add(`${local}.assistant2`, Profession.OPTICAL_ASSISTANT, 'Optical assistant', ScopeType.STORE, { storeId: store.id });
    add(`${local}.reception`, Profession.RECEPTIONIST, 'Receptionist', ScopeType.STORE, { storeId: store.id });
  }
  await tx.query(
    `INSERT INTO staff_user (id, chain_id, name, email, profession, registration_number, password_hash, kind)
     SELECT id, $1, name, email, profession::profession, reg, hash, CASE WHEN id = $8 THEN 'SERVICE' ELSE 'STAFF' END::user_kind
     FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS s(id, name, email, profession, reg, hash)`,
    [chainId, staff.map((s) => s.id), staff.map((s) => s.name), staff.map((s) => s.email), staff.map((s) => s.profession),
      staff.map((s) => s.registrationNumber), staff.map((s) => s.passwordHash), bi.id],
  );
  const assignments = staff.flatMap((s) => s.assignments.map((a, n) => ({ ...a, userId: s.id, id: bulkId(seed, 'assignment', s.email, n) })));
  await tx.query(
    `INSERT INTO role_assignment (id, chain_id, user_id, role_id, scope_type, region_id, store_id)
     SELECT id, $1, user_id, role_id, scope::scope_type, region_id, store_id
     FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::uuid[], $7::uuid[]) AS a(id, user_id, role_id, scope, region_id, store_id)`,
    [chainId, assignments.map((a) => a.id), assignments.map((a) => a.userId), assignments.map((a) => roleIds.get(a.role)!),
      assignments.map((a) => a.scope), assignments.map((a) => a.regionId ?? null), assignments.map((a) => a.storeId ?? null)],
  );
  const biToken = newApiToken();
  const biTokenExpiresAt = new Date(Date.now() + 365 * 86400_000);
  await tx.query(
    'INSERT INTO api_token (id, chain_id, user_id, name, token_hash, created_by_id, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [bulkId(seed, 'api-token', 'bi'), chainId, bi.id, 'Bulk BI export', hashApiToken(biToken), chainManager.id, biTokenExpiresAt],
  );
  return {
    chainId, domain, biToken, biTokenExpiresAt, stores, regions: regionIds.size, staff: staff.length,
    chainManagerId: chainManager.id, chainManagerEmail: chainManager.email, biUserId: bi.id, biEmail: bi.email,
  };
}
