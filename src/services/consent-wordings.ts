/**
 * Consent wordings (`consent_wording`, append-only): the exact text of each version per channel. Listing them
 * needs `read` ConsentSettings.wordings under any grant of the chain; publishing one needs `update`
 * ConsentSettings.wordings chain-wide. A version once published is immutable: publishing it again is refused
 * (BAD_USER_INPUT on `input.version`), also under concurrency (the unique key decides). `isPublishedWording` is
 * what consent changes check their `wordingVersion` against.
 */
import { EntityManager } from 'typeorm';
import { badInput } from '../errors/errors';
import { assertMay, assertMayAnywhere } from '../policies/input-guard';
import { ConsentWording } from '../schema/core/consent-wording.entity';
import { ConsentChannel } from '../schema/enums';
import { PublishConsentWordingInput } from '../schema/inputs/consent.inputs';
import { AuthenticatedContext } from '../context/authenticated-context';

export const WORDING_VERSION_MAX = 50;
export const WORDING_TEXT_MAX = 5000;

export async function isPublishedWording(tx: EntityManager, chainId: string, channel: ConsentChannel, version: string): Promise<boolean> {
  const rows: unknown[] = await tx.query('SELECT 1 FROM consent_wording WHERE chain_id = $1 AND channel = $2 AND version = $3', [chainId, channel, version]);
  return rows.length > 0;
}

/** The chain's wordings (of one channel when given), by channel, newest first. */
export async function listConsentWordings(ctx: AuthenticatedContext, channel?: ConsentChannel | null): Promise<ConsentWording[]> {
  assertMayAnywhere(ctx.ability, 'read', 'ConsentSettings', ['wordings']);
  const qb = ctx.core.getRepository(ConsentWording).createQueryBuilder('w').where('w.chainId = :chainId', { chainId: ctx.principal.chainId });
  if (channel) qb.andWhere('w.channel = :channel', { channel });
  return qb.orderBy('w.channel').addOrderBy('w.publishedAt', 'DESC').addOrderBy('w.version').getMany();
}

export async function publishConsentWording(ctx: AuthenticatedContext, input: PublishConsentWordingInput): Promise<ConsentWording> {
  const { principal, ability } = ctx;
  const version = input.version.trim();
  if (!version || [...version].length > WORDING_VERSION_MAX) throw badInput('input.version', `must be 1 to ${WORDING_VERSION_MAX} characters`);
  const text = input.text.trim();
  if (!text || [...text].length > WORDING_TEXT_MAX) throw badInput('input.text', `must be 1 to ${WORDING_TEXT_MAX} characters`);
  return ctx.core.transaction(async (tx) => {
    assertMay(ability, 'update', 'ConsentSettings', { chainId: principal.chainId }, ['wordings']);
    const inserted: { id: string }[] = await tx.query(
      `INSERT INTO consent_wording (chain_id, channel, version, text, published_by_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (chain_id, channel, version) DO NOTHING RETURNING id`,
      [principal.chainId, input.channel, version, text, principal.userId],
    );
    if (inserted.length === 0) throw badInput('input.version', `${version} is already published for ${input.channel}: a published wording never changes; publish a new version`);
    return tx.getRepository(ConsentWording).findOneByOrFail({ id: inserted[0].id });
  });
}
