/**
 * createRegion: a new region of the caller's chain, with no stores yet. Regions are chain-wide rows: the check is
 * `create Region` (and each input field) against `{ chainId }`, so only chain-scoped grants may create. The name is
 * unique in the chain (case-insensitive), checked under the chain's organisation lock. Written, in one transaction,
 * to the security settings history (setting `Region`). No authz version bump: a region without stores widens no
 * assignment (a region-scoped assignment to it can only be made afterwards, which bumps it).
 */
import { Region } from '../../schema/core/region.entity';
import { CreateRegionInput } from '../../schema/inputs/organisation.inputs';
import { recordSecuritySettingChange } from '../../hash-chain/security-setting-chain';
import { assertMay, fieldsSet } from '../../policies/input-guard';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { findChainRegion } from './chain-region';
import { regionRecord } from './organisation-record';
import { assertNameFree, lockChainOrganisation, nameTakenByRace, validOrganisationName } from './organisation-validation';

export async function createRegion(ctx: AuthenticatedContext, input: CreateRegionInput): Promise<Region> {
  const { principal, ability } = ctx;
  const name = validOrganisationName(input.name);
  return ctx.core.transaction(async (tx) => {
    assertMay(ability, 'create', 'Region', { chainId: principal.chainId }, fieldsSet(input));
    await lockChainOrganisation(tx, principal.chainId);
    await assertNameFree(tx, 'region', principal.chainId, name);
    const inserted = await tx.getRepository(Region).insert({ chainId: principal.chainId, name }).catch(nameTakenByRace('region'));
    const region = await findChainRegion(tx, principal.chainId, String(inserted.identifiers[0].id));
    await recordSecuritySettingChange(tx, principal, ctx.request, { setting: 'Region', before: {}, after: regionRecord(region), weakened: [] });
    return region;
  });
}
