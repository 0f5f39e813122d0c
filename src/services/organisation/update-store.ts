/**
 * updateStore: a store's name, address, town, phone, region or open/closed state; only the fields given change.
 * A store the caller may not read (another chain's, or outside their scope) is NOT_FOUND. Checked as `update Store`
 * on each field given, for that store (a region- or store-scoped grant reaches the stores it covers); moving the
 * store to another region changes who sees it, so it needs `update Store.regionId` chain-wide, and bumps the chain's
 * authz version in the same transaction (region-scoped assignments of both regions are rebuilt from the next
 * request on). Names stay unique in the chain (case-insensitive). Written to the security settings history
 * (setting `Store`, before and after).
 */
import { Store } from '../../schema/core/store.entity';
import { UpdateStoreInput } from '../../schema/inputs/organisation.inputs';
import { badInput } from '../../errors/errors';
import { recordSecuritySettingChange } from '../../hash-chain/security-setting-chain';
import { assertMay, fieldsSet } from '../../policies/input-guard';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { bumpAuthzVersion } from '../roles/role-change-log';
import { findVisible, STORE_COLUMNS } from '../visible-rows';
import { findChainRegion } from './chain-region';
import { storeRecord } from './organisation-record';
import {
  assertNameFree, lockChainOrganisation, nameTakenByRace, validAddress, validCity, validOpen, validOrganisationName, validPhone,
} from './organisation-validation';

interface StoreChanges {
  name?: string;
  address?: string;
  regionId?: string;
  open?: boolean;
  city?: string | null;
  phone?: string | null;
}

function validChanges(input: UpdateStoreInput): StoreChanges {
  const changes: StoreChanges = {};
  if (input.name !== undefined) changes.name = validOrganisationName(input.name);
  if (input.address !== undefined) changes.address = validAddress(input.address);
  if (input.regionId !== undefined) {
    if (input.regionId === null) throw badInput('input.regionId', 'must be a region (a store always has one)');
    changes.regionId = input.regionId;
  }
  if (input.open !== undefined) changes.open = validOpen(input.open);
  if (input.city !== undefined) changes.city = validCity(input.city);
  if (input.phone !== undefined) changes.phone = validPhone(input.phone);
  if (Object.keys(changes).length === 0) throw badInput('input', 'must change at least one field');
  return changes;
}

export async function updateStore(ctx: AuthenticatedContext, id: string, input: UpdateStoreInput): Promise<Store> {
  const { principal, ability } = ctx;
  const changes = validChanges(input);
  return ctx.core.transaction(async (tx) => {
    await lockChainOrganisation(tx, principal.chainId);
    const store = await findVisible(tx, { entity: Store, subjectName: 'Store', alias: 's', columns: STORE_COLUMNS, lock: 'update' }, principal, ability, id);
    assertMay(ability, 'update', 'Store', { chainId: principal.chainId, storeId: store.id, id: store.id }, fieldsSet(changes));
    const moves = changes.regionId !== undefined && changes.regionId !== store.regionId;
    if (moves) {
      // Only a chain-wide grant: a regional manager could otherwise hand a store to (or take one from) another region.
      assertMay(ability, 'update', 'Store', { chainId: principal.chainId }, ['regionId']);
      await findChainRegion(tx, principal.chainId, changes.regionId as string);
    }
    if (changes.name !== undefined) await assertNameFree(tx, 'store', principal.chainId, changes.name, store.id);
    const before = storeRecord(store);
    await tx.getRepository(Store).update({ id: store.id }, changes).catch(nameTakenByRace('store'));
    const updated = await tx.getRepository(Store).findOneByOrFail({ id: store.id });
    if (moves) await bumpAuthzVersion(tx, principal.chainId);
    await recordSecuritySettingChange(tx, principal, ctx.request, { setting: 'Store', before, after: storeRecord(updated), weakened: [] });
    return updated;
  });
}
