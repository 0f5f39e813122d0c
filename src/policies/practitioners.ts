/**
 * Who counts as a practitioner: for clinical writes (the signed-in user drafts, prescribes, writes notes)
 * and for bookings (the practitioner an appointment is booked with).
 *
 * A registered practitioner is an active member of staff of a clinical profession (optometrist,
 * dispensing optician, contact lens optician) with a professional registration number (e.g. GOC).
 * Service accounts, managers, reception and assistants are not, whatever their roles allow.
 *
 * A practitioner is bookable at a store for an appointment when, besides being registered, they hold a
 * role assignment that covers that store (the chain, the store's region, or the store) and is in force
 * for the whole appointment (validFrom <= startsAt, validUntil >= endsAt or open), whose role gives
 * clinical access there (an entry on a clinical subject of the catalog: a role of reception or
 * management work at that store does not make them that store's practitioner). A locum who is an
 * optometrist at York and a receptionist at Bath is bookable at York, not at Bath.
 */
import { EntityManager } from 'typeorm';
import { User } from '../schema/core/user.entity';
import { Profession, UserStatus } from '../schema/enums';
import { ASSIGNMENT_COVERS_STORE_SQL } from './grant-queries';
import { CATALOG } from './catalog';

export const CLINICAL_PROFESSIONS: readonly Profession[] = [Profession.OPTOMETRIST, Profession.DISPENSING_OPTICIAN, Profession.CONTACT_LENS_OPTICIAN];

const CLINICAL_SUBJECTS = CATALOG.filter((subject) => subject.clinical).map((subject) => subject.name);

export function isRegisteredPractitioner(user: Pick<User, 'status' | 'profession' | 'registrationNumber'>): boolean {
  return user.status === UserStatus.ACTIVE && CLINICAL_PROFESSIONS.includes(user.profession) && Boolean(user.registrationNumber?.trim());
}

export interface Booking {
  chainId: string;
  storeId: string;
  startsAt: Date;
  endsAt: Date;
}

/**
 * Why `practitionerId` cannot be booked for this appointment (a message for `input.practitionerId`), or
 * null when they can. Messages say what is missing, not who the person is.
 */
export async function practitionerProblem(tx: EntityManager, practitionerId: string, booking: Booking): Promise<string | null> {
  const user = await tx.getRepository(User).findOneBy({ id: practitionerId, chainId: booking.chainId });
  if (!user || user.status !== UserStatus.ACTIVE) return 'is not an active member of staff of this chain';
  if (!isRegisteredPractitioner(user)) return 'is not a registered practitioner';
  const [covered]: unknown[] = await tx.query(
    `SELECT 1 FROM role_assignment ra
       JOIN store s ON s.id = $3
      WHERE ra.user_id = $1 AND ra.chain_id = $2 AND ${ASSIGNMENT_COVERS_STORE_SQL}
        AND (ra.valid_from IS NULL OR ra.valid_from <= $4) AND (ra.valid_until IS NULL OR ra.valid_until >= $5)
        AND EXISTS (SELECT 1 FROM role_permission rp JOIN role r ON r.id = rp.role_id AND r.chain_id = ra.chain_id
                     WHERE rp.role_id = ra.role_id AND rp.subject = ANY($6::text[]) AND (rp.fields IS NULL OR cardinality(rp.fields) > 0))
      LIMIT 1`,
    [user.id, booking.chainId, booking.storeId, booking.startsAt, booking.endsAt, CLINICAL_SUBJECTS],
  );
  if (!covered) return 'is not assigned at this store in a clinical role for the whole appointment';
  return null;
}
