/**
 * The chain's consent channels: which of SMS, EMAIL, MAIL and SOCIAL_MEDIA it uses (`chain.enabled_consent_channels`).
 * Reading needs `read` ConsentSettings.channels under any grant of the chain; changing needs `update`
 * ConsentSettings.channels chain-wide. Each change is written, in the same transaction, to the hash-chained
 * security settings history (`security_setting_change`, setting `ConsentChannels`, each channel's enabled flag
 * before and after; src/hash-chain/security-setting-chain.ts). Disabling a channel weakens no protection (it
 * stops marketing on it), so nothing is listed as weakened. A disabled channel refuses consent writes
 * (consent-service.ts) and keeps its history; withdrawing through a link still works.
 */
import { badInput } from '../errors/errors';
import { assertMay, assertMayAnywhere } from '../policies/input-guard';
import { recordSecuritySettingChange } from '../hash-chain/security-setting-chain';
import { ConsentChannelSetting } from '../schema/core/consent-proof.types';
import { ConsentChannel } from '../schema/enums';
import { AuthenticatedContext } from '../context/authenticated-context';

export const CONSENT_CHANNELS_SETTING = 'ConsentChannels';

const ALL_CHANNELS = Object.values(ConsentChannel);

function settings(chainId: string, enabled: readonly ConsentChannel[]): ConsentChannelSetting[] {
  return ALL_CHANNELS.map((channel) => Object.assign(new ConsentChannelSetting(), { channel, enabled: enabled.includes(channel), chainId }));
}

function flags(enabled: readonly ConsentChannel[]): Record<string, boolean> {
  return Object.fromEntries(ALL_CHANNELS.map((channel) => [channel, enabled.includes(channel)]));
}

async function enabledChannels(db: { query: (sql: string, params: unknown[]) => Promise<unknown> }, chainId: string, lock = false): Promise<ConsentChannel[]> {
  const rows = (await db.query(`SELECT enabled_consent_channels::text[] AS enabled FROM chain WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [chainId])) as { enabled: ConsentChannel[] }[];
  return rows[0]?.enabled ?? [];
}

export async function consentChannels(ctx: AuthenticatedContext): Promise<ConsentChannelSetting[]> {
  assertMayAnywhere(ctx.ability, 'read', 'ConsentSettings', ['channels']);
  return settings(ctx.principal.chainId, await enabledChannels(ctx.core, ctx.principal.chainId));
}

export async function setConsentChannels(ctx: AuthenticatedContext, enabled: ConsentChannel[]): Promise<ConsentChannelSetting[]> {
  const { principal, ability } = ctx;
  const wanted = new Set(enabled);
  if (wanted.size !== enabled.length) throw badInput('enabled', 'names a channel twice');
  const next = ALL_CHANNELS.filter((channel) => wanted.has(channel));
  return ctx.core.transaction(async (tx) => {
    assertMay(ability, 'update', 'ConsentSettings', { chainId: principal.chainId }, ['channels']);
    const current = await enabledChannels(tx, principal.chainId, true);
    const changed = ALL_CHANNELS.some((channel) => current.includes(channel) !== next.includes(channel));
    if (changed) {
      await tx.query('UPDATE chain SET enabled_consent_channels = $2::consent_channel[] WHERE id = $1', [principal.chainId, next]);
      await recordSecuritySettingChange(tx, principal, ctx.request, { setting: CONSENT_CHANNELS_SETTING, before: flags(current), after: flags(next), weakened: [] });
    }
    return settings(principal.chainId, next);
  });
}
