/**
 * createStore: a new, open store of the caller's chain in one of its regions. Checked as `create Store` (and each
 * input field) against `{ chainId }`: only chain-scoped grants may create. The region must be the chain's (else
 * NOT_FOUND); the name unique in the chain (case-insensitive), under the chain's organisation lock. The chain's
 * authz version is bumped in the same transaction, so chain- and region-scoped assignments (whose store lists are
 * resolved when an ability is built) cover the store from the next request on, in every API process. Written to
 * the security settings history (setting `Store`).
 */
import { Store } from '../../schema/core/store.entity';
import { CreateStoreInput } from '../../schema/inputs/organisation.inputs';
import { recordSecuritySettingChange } from '../../hash-chain/security-setting-chain';
import { assertMay, fieldsSet } from '../../policies/input-guard';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { bumpAuthzVersion } from '../roles/role-change-log';
import { findChainRegion } from './chain-region';
import { storeRecord } from './organisation-record';
import {
  assertNameFree, lockChainOrganisation, nameTakenByRace, validAddress, validCity, validOrganisationName, validPhone,
} from './organisation-validation';

export async function createStore(ctx: AuthenticatedContext, input: CreateStoreInput): Promise<Store> {
  const { principal, ability } = ctx;
  // The input is checked before anything is looked up: bad input is reported whatever exists.
  const name = validOrganisationName(input.name);
  const address = validAddress(input.address);
  const city = validCity(input.city);
  const phone = validPhone(input.phone);
  return ctx.core.transaction(async (tx) => {
    assertMay(ability, 'create', 'Store', { chainId: principal.chainId }, fieldsSet(input));
    await lockChainOrganisation(tx, principal.chainId);
    const region = await findChainRegion(tx, principal.chainId, input.regionId);
    await assertNameFree(tx, 'store', principal.chainId, name);
    const inserted = await tx.getRepository(Store).insert({
      chainId: principal.chainId, regionId: region.id, name, address, city, phone, open: true,
    }).catch(nameTakenByRace('store'));
    const store = await tx.getRepository(Store).findOneByOrFail({ id: String(inserted.identifiers[0].id) });
    await bumpAuthzVersion(tx, principal.chainId);
    await recordSecuritySettingChange(tx, principal, ctx.request, { setting: 'Store', before: {}, after: storeRecord(store), weakened: [] });
    return store;
  });
}
