/**
 * The lawful basis of a marketing permission, per channel (pure rules, no database):
 * - EMAIL and SMS: CONSENT, or SOFT_OPT_IN (an existing customer's details taken in the course of a sale, with a
 *   simple way to refuse offered then: PECR reg. 22(3)) — recorded with the sale's reference and optOutOffered true;
 * - MAIL (post): CONSENT or LEGITIMATE_INTEREST;
 * - SOCIAL_MEDIA: CONSENT only.
 * A withdrawal records the basis of what it withdraws; saleReference and optOutOffered belong to a soft opt-in only.
 */
import { badInput } from '../errors/errors';
import { ConsentChannel, LawfulBasis } from '../schema/enums';

export const VALID_BASES: Readonly<Record<ConsentChannel, readonly LawfulBasis[]>> = {
  [ConsentChannel.EMAIL]: [LawfulBasis.CONSENT, LawfulBasis.SOFT_OPT_IN],
  [ConsentChannel.SMS]: [LawfulBasis.CONSENT, LawfulBasis.SOFT_OPT_IN],
  [ConsentChannel.MAIL]: [LawfulBasis.CONSENT, LawfulBasis.LEGITIMATE_INTEREST],
  [ConsentChannel.SOCIAL_MEDIA]: [LawfulBasis.CONSENT],
};

export const SALE_REFERENCE_MAX = 100;

export interface BasisInput {
  channel: ConsentChannel;
  granted: boolean;
  basis?: LawfulBasis | null;
  saleReference?: string | null;
  optOutOffered?: boolean | null;
}

export interface GrantBasis {
  basis: LawfulBasis;
  saleReference: string | null;
  optOutOffered: boolean | null;
}

/**
 * Checks the basis fields of a consent change (BAD_USER_INPUT naming `input.basis`, `input.saleReference` or
 * `input.optOutOffered`). For a grant, returns what to record; for a withdrawal, the basis asked for (if any),
 * which the caller compares with that of the consent withdrawn.
 */
export function checkBasis(input: BasisInput): GrantBasis | { withdrawalBasis: LawfulBasis | null } {
  const basis = input.basis ?? null;
  const softOptIn = basis === LawfulBasis.SOFT_OPT_IN;
  const saleReference = input.saleReference ?? null;
  const optOutOffered = input.optOutOffered ?? null;
  if (saleReference !== null && (!softOptIn || !input.granted)) throw badInput('input.saleReference', 'is recorded only with a SOFT_OPT_IN grant');
  if (optOutOffered !== null && (!softOptIn || !input.granted)) throw badInput('input.optOutOffered', 'is recorded only with a SOFT_OPT_IN grant');
  if (!input.granted) return { withdrawalBasis: basis };
  const chosen = basis ?? LawfulBasis.CONSENT;
  if (!VALID_BASES[input.channel].includes(chosen)) {
    throw badInput('input.basis', `${chosen} is not a lawful basis for ${input.channel}: use ${VALID_BASES[input.channel].join(' or ')}`);
  }
  if (!softOptIn) return { basis: chosen, saleReference: null, optOutOffered: null };
  const reference = saleReference?.trim() ?? '';
  if (!reference || [...reference].length > SALE_REFERENCE_MAX) {
    throw badInput('input.saleReference', `a soft opt-in needs the sale it came from, 1 to ${SALE_REFERENCE_MAX} characters`);
  }
  if (optOutOffered !== true) throw badInput('input.optOutOffered', 'a soft opt-in needs the opt-out offered at the time (true)');
  return { basis: chosen, saleReference: reference, optOutOffered: true };
}
