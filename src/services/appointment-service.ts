/**
 * Appointments: booking (at an open store of the chain, for a customer the caller can see, optionally with a
 * practitioner) and cancelling (booked appointments only).
 *
 * Booking rules (README "Booking rules"):
 * - times: the end after the start, at most MAX_DURATION_MS long; the start not in the past (up to
 *   PAST_TOLERANCE_MS ago is accepted: clocks of clients and API processes differ, and a request takes a
 *   moment) and at most MAX_DAYS_AHEAD days ahead;
 * - the practitioner, when given, is a registered practitioner assigned at that store in a clinical role
 *   for the whole appointment (src/policies/practitioners.ts);
 * - one practitioner's appointments never overlap: enforced by the database (an exclusion constraint,
 *   src/schema/core/appointment.entity.ts), so concurrent bookings of one slot cannot both succeed; the
 *   violation is BAD_USER_INPUT on `input.startsAt`.
 */
import { recordChanges } from '../hash-chain/change-log';
import { EXCLUSION_VIOLATION, violatedConstraint } from '../db/constraint-violation';
import { badInput } from '../errors/errors';
import { assertMay, fieldsSet } from '../policies/input-guard';
import { practitionerProblem } from '../policies/practitioners';
import { Appointment, PRACTITIONER_OVERLAP_CONSTRAINT } from '../schema/core/appointment.entity';
import { AppointmentStatus, ChangeAction, ChangeLogKind } from '../schema/enums';
import { BookAppointmentInput } from '../schema/inputs/appointment.inputs';
import { findChainStore, findVisibleCustomer, findWriteTarget } from './visible-rows';
import { isUuid } from '../schema/uuid';
import { AuthenticatedContext } from '../context/authenticated-context';

export const MAX_DURATION_MS = 8 * 3600_000;
export const PAST_TOLERANCE_MS = 60_000;
/** The longest recall interval (two years) with a year to spare. */
export const MAX_DAYS_AHEAD = 3 * 365;

/** The booking's times on their own (before anything is read): BAD_USER_INPUT naming the field. */
export function checkBookingTimes(input: Pick<BookAppointmentInput, 'startsAt' | 'endsAt'>, now: Date): void {
  const start = input.startsAt.getTime();
  const end = input.endsAt.getTime();
  if (start < now.getTime() - PAST_TOLERANCE_MS) throw badInput('input.startsAt', 'is in the past: a new appointment starts now or later');
  if (start > now.getTime() + MAX_DAYS_AHEAD * 86400_000) throw badInput('input.startsAt', `must be at most ${MAX_DAYS_AHEAD} days ahead`);
  if (!(end > start)) throw badInput('input.endsAt', 'must be after startsAt');
  if (end - start > MAX_DURATION_MS) throw badInput('input.endsAt', `must be at most ${MAX_DURATION_MS / 3600_000} hours after startsAt`);
}

export async function bookAppointment(ctx: AuthenticatedContext, input: BookAppointmentInput): Promise<Appointment> {
  const { principal, ability } = ctx;
  checkBookingTimes(input, new Date());
  try {
    return await ctx.core.transaction(async (tx) => {
      const customer = await findVisibleCustomer(tx, principal, ability, input.customerId, 'share');
      const store = await findChainStore(tx, principal, input.storeId);
      if (!store) throw badInput('input.storeId', 'is not a store of this chain');
      assertMay(ability, 'create', 'Appointment', { chainId: principal.chainId, storeId: store.id }, fieldsSet(input));
      if (!store.open) throw badInput('input.storeId', 'is closed: no new appointments are booked at a closed store (docs/organisation.md)');
      if (input.practitionerId) {
        const problem = isUuid(input.practitionerId)
          ? await practitionerProblem(tx, input.practitionerId, { chainId: principal.chainId, storeId: store.id, startsAt: input.startsAt, endsAt: input.endsAt })
          : 'is not an active member of staff of this chain';
        if (problem) throw badInput('input.practitionerId', problem);
      }
      const repo = tx.getRepository(Appointment);
      const appointment = repo.create({
        chainId: principal.chainId,
        storeId: store.id,
        customerId: customer.id,
        practitionerId: input.practitionerId ?? null,
        type: input.type,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        status: AppointmentStatus.BOOKED,
      });
      await repo.insert(appointment);
      const booked = await repo.findOneByOrFail({ id: appointment.id });
      await recordChanges(tx, ChangeLogKind.PERSONAL, principal, ctx.request, [{
        action: ChangeAction.CREATE, subject: 'Appointment', entity: Appointment, recordId: booked.id, customerId: booked.customerId,
        storeId: booked.storeId, before: null, after: booked,
      }]);
      return booked;
    });
  } catch (error) {
    // The savepoint is rolled back by now: nothing of the booking remains.
    if (violatedConstraint(error, EXCLUSION_VIOLATION) === PRACTITIONER_OVERLAP_CONSTRAINT) {
      throw badInput('input.startsAt', 'the practitioner already has an appointment at this time');
    }
    throw error;
  }
}

export async function cancelAppointment(ctx: AuthenticatedContext, id: string, reason: string | null | undefined): Promise<Appointment> {
  const { principal, ability } = ctx;
  const cancellationReason = reason?.trim() || null;
  if (cancellationReason && cancellationReason.length > 500) throw badInput('reason', 'must be at most 500 characters');
  return ctx.core.transaction(async (tx) => {
    const appointment = await findWriteTarget({ manager: tx, core: tx, entity: Appointment, subjectName: 'Appointment' }, principal, ability, id);
    assertMay(ability, 'update', 'Appointment', { chainId: appointment.chainId, storeId: appointment.storeId, id }, ['status', 'cancellationReason']);
    if (appointment.status !== AppointmentStatus.BOOKED) throw badInput('id', `appointment is ${appointment.status}, only BOOKED appointments can be cancelled`);
    await tx.getRepository(Appointment).update({ id }, { status: AppointmentStatus.CANCELLED, cancellationReason });
    const cancelled = await tx.getRepository(Appointment).findOneByOrFail({ id });
    await recordChanges(tx, ChangeLogKind.PERSONAL, principal, ctx.request, [{
      action: ChangeAction.CANCEL, subject: 'Appointment', entity: Appointment, recordId: id, customerId: cancelled.customerId,
      storeId: cancelled.storeId, before: appointment, after: cancelled,
    }]);
    return cancelled;
  });
}
