/**
 * Writes one generated case of the marketing-list property suite into the suite's database: a fresh chain
 * with its regions and stores and a chain manager (plain SQL, as the database's owner); the case's roles and
 * assignments through the real `createRole` / `assignRole` mutations as that chain manager; customers,
 * consent wordings, consent events at explicit moments with the current `consent` row as the latest event,
 * restriction events with their current row, objections and suppressions (plain SQL, so moments are exact).
 * Suppression hashes are computed here from the contract's definition (HMAC-SHA256 under the server's key
 * over `<chainId>:email:<lower(trim(email))>` / `<chainId>:phone:<digits>`), not by the server.
 * Returns the materialised world the oracle reads, and each user's credential.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CATALOG } from '../../src/policies/catalog';
import { DEMO_PASSWORD } from '../support/actors';
import { TestApp } from '../support/test-app';
import { BASES, Case, CHANNELS, renderEmail, renderLine1, renderPhone, renderPostcode } from './model';
import { MCustomer, MEvent, MWorld, normalEmail, normalPhone } from './oracle';

export interface Features {
  /** consent_event.basis and consent_wording exist (helper A). */
  consentProof: boolean;
  /** processing_restriction(_event) exist (helper R). */
  restriction: boolean;
  /** marketing_objection and marketing_suppression exist (helper R). */
  objection: boolean;
  /** staff_user.kind and api_token exist (helper C). */
  apiTokens: boolean;
}

export async function detectFeatures(db: DataSource): Promise<Features> {
  const rows: { table_name: string; column_name: string }[] = await db.query(
    `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'
      AND table_name IN ('consent_event', 'consent_wording', 'processing_restriction', 'processing_restriction_event', 'marketing_objection', 'marketing_suppression', 'staff_user', 'api_token')`,
  );
  const has = (table: string, column?: string) => rows.some((r) => r.table_name === table && (!column || r.column_name === column));
  return {
    consentProof: has('consent_event', 'basis') && has('consent_wording'),
    restriction: has('processing_restriction') && has('processing_restriction_event'),
    objection: has('marketing_objection') && has('marketing_suppression'),
    apiTokens: has('staff_user', 'kind') && has('api_token'),
  };
}

type Values = Record<string, unknown>;
const snake = (name: string) => name.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);

/** One INSERT per table: the rows travel as JSON and are typed by the table's own row type. */
async function insertRows(db: DataSource, table: string, rows: Values[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]).map((k) => `"${snake(k)}"`).join(', ');
  const json = JSON.stringify(rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [snake(k), v]))));
  await db.query(`INSERT INTO "${table}" (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::"${table}", $1::json)`, [json]);
}

/** The contract's keyed contact hash, as PostgreSQL's bytea text ('\x…'), or null for an empty value. */
export function contactHash(key: Buffer, chainId: string, kind: 'email' | 'phone', raw: string | null): string | null {
  const value = kind === 'email' ? normalEmail(raw) : normalPhone(raw);
  if (value === null) return null;
  return `\\x${createHmac('sha256', key).update(`${chainId}:${kind}:${value}`, 'utf8').digest('hex')}`;
}

export interface WrittenUser {
  id: string;
  email: string;
  /** A session token (staff) or an API token (service account). */
  token: string;
}
export interface Written {
  world: MWorld;
  users: WrittenUser[];
  /** The chain manager's session. */
  manager: string;
  /** The case's base moment: consent events lie after it. */
  base: Date;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
let executions = 0;

async function gql<T>(app: TestApp, token: string, query: string, variables: Values): Promise<T> {
  const result = await app.request<T>(query, variables, token);
  if (result.errors?.length || !result.data) throw new Error(`setup request failed: ${JSON.stringify(result.errors)} for ${query.slice(0, 80)} ${JSON.stringify(variables)}`);
  return result.data;
}

export async function writeCase(app: TestApp, c: Case, features: Features, options: { serviceUsers: boolean }): Promise<Written> {
  executions += 1;
  const exec = `${executions}-${randomUUID().slice(0, 8)}`;
  const db = app.ownerCore;
  const chainId = randomUUID();
  const now = Date.now();
  // Whole seconds, well in the past: every moment is exact in both JavaScript and PostgreSQL.
  const base = new Date(Math.floor((now - 10 * DAY) / 1000) * 1000);

  // The chain, its regions and stores.
  await insertRows(db, 'chain', [{ id: chainId, name: `Oracle chain ${exec}`, enabledConsentChannels: c.enabled }]);
  // An explicit auth policy requiring no second factor, as the demo seed writes (this suite is about lists, not
  // sign-in; without it the default asks a second factor of the chain manager, who would get an enrolment session).
  await db.query(`INSERT INTO auth_policy (chain_id, second_factor_role_ids, passkey_role_ids) VALUES ($1, '{}', '{}')`, [chainId]);
  const regionIds = c.regions.map(() => randomUUID());
  await insertRows(db, 'region', regionIds.map((id, r) => ({ id, chainId, name: `Region ${r}` })));
  const stores = c.regions.flatMap((count, r) => Array.from({ length: count }, () => ({ id: randomUUID(), region: r })));
  await insertRows(db, 'store', stores.map((s, i) => ({ id: s.id, chainId, regionId: regionIds[s.region], name: `Store ${i}`, city: 'Proptown' })));

  // Its chain manager: manage on every subject of the catalog, chain-wide (as the seed defines the role).
  const [{ password_hash: passwordHash }]: { password_hash: string }[] = await db.query(`SELECT password_hash FROM staff_user WHERE email = 'chain.manager@clearview.example'`);
  const cmRole = randomUUID();
  const cmId = randomUUID();
  const cmEmail = `cm-${exec}@oracle.test`;
  await insertRows(db, 'role', [{ id: cmRole, chainId, name: 'Chain manager', description: 'oracle suite' }]);
  await insertRows(db, 'role_permission', CATALOG.map((s) => ({ id: randomUUID(), roleId: cmRole, action: 'manage', subject: s.name, fields: null })));
  await insertRows(db, 'staff_user', [{ id: cmId, chainId, email: cmEmail, name: 'Oracle manager', profession: 'MANAGER', passwordHash }]);
  await insertRows(db, 'role_assignment', [{ id: randomUUID(), chainId, userId: cmId, roleId: cmRole, scopeType: 'CHAIN', regionId: null, storeId: null }]);
  const manager = await app.login(cmEmail, DEMO_PASSWORD);

  // The case's roles and users, through the API.
  const roleIds: string[] = [];
  for (const [r, entries] of c.roles.entries()) {
    const permissions = entries.map((e) => ({ action: e.action, subject: e.subject, ...(e.fields ? { fields: e.fields } : {}) }));
    const { createRole } = await gql<{ createRole: { id: string } }>(app, manager, 'mutation($input: CreateRoleInput!) { createRole(input: $input) { id } }', {
      input: { name: `Oracle role ${r}`, description: 'oracle suite', permissions },
    });
    roleIds.push(createRole.id);
  }
  const users: WrittenUser[] = [];
  for (const [u, spec] of c.users.entries()) {
    const id = randomUUID();
    const email = `user-${exec}-${u}@oracle.test`;
    await insertRows(db, 'staff_user', [
      { id, chainId, email, name: `Oracle user ${u}`, profession: 'MANAGER', passwordHash, ...(options.serviceUsers ? { kind: 'SERVICE' } : {}) },
    ]);
    const seen = new Set<string>();
    for (const a of spec.assignments) {
      const roleId = roleIds[a.role % roleIds.length];
      const scope =
        a.scope.scope === 'CHAIN' ? { scopeType: 'CHAIN' }
          : a.scope.scope === 'REGION' ? { scopeType: 'REGION', regionId: regionIds[a.scope.region % regionIds.length] }
            : { scopeType: 'STORE', storeId: stores[a.scope.store % stores.length].id };
      const k = `${roleId}/${JSON.stringify(scope)}`;
      if (seen.has(k)) continue;
      seen.add(k);
      await gql(app, manager, 'mutation($input: AssignRoleInput!) { assignRole(input: $input) { id } }', { input: { userId: id, roleId, ...scope } });
    }
    let token: string;
    if (options.serviceUsers) {
      const { createApiToken } = await gql<{ createApiToken: { token: string } }>(
        app, manager, 'mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }',
        { input: { userId: id, name: `oracle ${u}`, expiresAt: new Date(now + DAY).toISOString() } },
      );
      token = createApiToken.token;
    } else {
      token = await app.login(email, DEMO_PASSWORD);
    }
    users.push({ id, email, token });
  }

  // Customers, ids sorted so that index order is id order.
  const ids = c.customers.map(() => randomUUID()).sort();
  const customers: MCustomer[] = c.customers.map((spec, i) => {
    const store = spec.store % stores.length;
    const values: Values = {
      id: ids[i],
      chainId,
      homeStoreId: stores[store].id,
      firstName: `Ann${i}`,
      lastName: `Oracle${i}`,
      dateOfBirth: `19${50 + i}-0${1 + (i % 9)}-1${i % 10}`,
      sex: i % 2 ? 'FEMALE' : 'UNKNOWN',
      addressLine1: renderLine1(spec.addressLine1),
      addressLine2: i % 3 ? null : 'Flat 2',
      city: i % 4 ? 'Proptown' : null,
      postcode: renderPostcode(spec.postcode),
      country: 'GB',
      phone: renderPhone(spec.phone),
      email: renderEmail(spec.email),
      status: spec.active ? 'ACTIVE' : 'INACTIVE',
      dataVerifiedAt: i % 2 ? new Date(base.getTime() - 5 * DAY) : null,
      createdAt: new Date(base.getTime() - 400 * DAY),
      updatedAt: new Date(base.getTime() - 300 * DAY),
    };
    const events: MEvent[] = [];
    CHANNELS.forEach((channel, ch) => {
      let at = base.getTime();
      let basis = 'CONSENT' as MEvent['basis'];
      for (const e of spec.events[ch] ?? []) {
        at += e.gap * MINUTE;
        // A grant names a valid basis for its channel; a withdrawal the basis of what it withdraws.
        if (e.granted) basis = BASES[channel][e.basis % BASES[channel].length];
        events.push({ id: randomUUID(), channel, granted: e.granted, changedAt: new Date(at), basis: features.consentProof ? basis : 'CONSENT', wordingVersion: `v${e.wording + 1}` });
      }
    });
    const restrictions = features.restriction
      ? spec.restrictions.map((restricted, k) => ({ restricted, at: new Date(base.getTime() - (spec.restrictions.length - k) * DAY) }))
      : [];
    return { id: ids[i], store, values, events, restrictions, objections: features.objection ? spec.objections : 0 };
  });
  await insertRows(db, 'customer', customers.map((m) => m.values));

  // Consent wordings (both versions of every channel), events and the current state.
  if (features.consentProof) {
    await insertRows(db, 'consent_wording', CHANNELS.flatMap((channel) => ['v1', 'v2'].map((version) => ({
      id: randomUUID(), chainId, channel, version, text: `Oracle wording ${version} for ${channel}`, publishedAt: new Date(base.getTime() - 30 * DAY), publishedById: cmId,
    }))));
  }
  const eventRow = (m: MCustomer, e: MEvent): Values => ({
    chainId, customerId: m.id, channel: e.channel, granted: e.granted, changedAt: e.changedAt, actor: 'STAFF', recordedById: cmId, source: 'IN_STORE',
    wordingVersion: e.wordingVersion,
    ...(features.consentProof
      ? { basis: e.basis, saleReference: e.basis === 'SOFT_OPT_IN' ? `SALE-${e.id.slice(0, 8)}` : null, optOutOffered: e.basis === 'SOFT_OPT_IN' ? true : null }
      : {}),
  });
  await insertRows(db, 'consent_event', customers.flatMap((m) => m.events.map((e) => ({ id: e.id, ...eventRow(m, e) }))));
  await insertRows(db, 'consent', customers.flatMap((m) => CHANNELS.flatMap((channel) => {
    const last = m.events.filter((e) => e.channel === channel).at(-1);
    return last ? [{ id: randomUUID(), ...eventRow(m, last) }] : [];
  })));

  // Restrictions: every event, and the current row as the latest.
  if (features.restriction) {
    await insertRows(db, 'processing_restriction_event', customers.flatMap((m) => m.restrictions.map((r) => ({
      id: randomUUID(), chainId, customerId: m.id, restricted: r.restricted, reason: r.restricted ? 'Accuracy contested' : 'Resolved', recordedById: cmId, occurredAt: r.at,
    }))));
    await insertRows(db, 'processing_restriction', customers.flatMap((m) => {
      const last = m.restrictions.at(-1);
      return last ? [{ customerId: m.id, chainId, restricted: last.restricted, reason: last.restricted ? 'Accuracy contested' : 'Resolved', changedAt: last.at, recordedById: cmId }] : [];
    }));
  }

  // Objections (each with its suppression of the contact at that moment) and suppressions left by others.
  const suppressions: MWorld['suppressions'] = [];
  if (features.objection) {
    const key = (app.config as unknown as { suppressionKey: Buffer }).suppressionKey;
    const objections: Values[] = [];
    const rows: Values[] = [];
    const suppress = (email: string | null, phone: string | null, objectionId: string | null) => {
      suppressions.push({ email, phone });
      rows.push({
        id: randomUUID(), chainId, emailHash: contactHash(key, chainId, 'email', email), phoneHash: contactHash(key, chainId, 'phone', phone), objectionId,
        createdAt: new Date(base.getTime() - DAY),
      });
    };
    for (const m of customers) {
      for (let k = 0; k < m.objections; k++) {
        const id = randomUUID();
        objections.push({ id, chainId, customerId: m.id, source: 'IN_STORE', actor: 'STAFF', recordedById: cmId, occurredAt: new Date(base.getTime() - DAY) });
        suppress((m.values.email as string | null) ?? null, (m.values.phone as string | null) ?? null, id);
      }
    }
    for (const s of c.suppressions) {
      const id = s.withObjection ? randomUUID() : null;
      if (id) objections.push({ id, chainId, customerId: null, source: 'PHONE', actor: 'STAFF', recordedById: cmId, occurredAt: new Date(base.getTime() - 2 * DAY) });
      suppress(renderEmail(s.email), renderPhone(s.phone), id);
    }
    await insertRows(db, 'marketing_objection', objections);
    await insertRows(db, 'marketing_suppression', rows);
  }

  return { world: { chainId, regionIds, stores, customers, suppressions }, users, manager, base };
}
