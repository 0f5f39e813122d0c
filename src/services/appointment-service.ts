/**
 * Appointments: booking (at a store of the chain, for a customer the caller can see, with an
 * optional practitioner of the chain) and cancelling (booked appointments only).
 */
import { recordChanges } from '../audit/change-log';
import { badInput } from '../errors/errors';
import { AppAbility, Principal } from '../policies/ability';
import { assertMay, fieldsSet } from '../policies/input-guard';
import { Appointment } from '../schema/core/appointment.entity';
import { User } from '../schema/core/user.entity';
import { AppointmentStatus, ChangeAction, ChangeLogKind, UserStatus } from '../schema/enums';
import { BookAppointmentInput } from '../schema/inputs/appointment.inputs';
import { AppContext } from '../server/context';
import { findChainStore, findVisibleCustomer, findWriteTarget, isUuid } from './visible-rows';

const MAX_DURATION_MS = 8 * 3600_000;

export async function bookAppointment(ctx: AppContext, principal: Principal, ability: AppAbility, input: BookAppointmentInput): Promise<Appointment> {
  if (!(input.endsAt > input.startsAt)) throw badInput('input.endsAt', 'must be after startsAt');
  if (input.endsAt.getTime() - input.startsAt.getTime() > MAX_DURATION_MS) throw badInput('input.endsAt', 'must be at most 8 hours after startsAt');
  return ctx.core.transaction(async (tx) => {
    const customer = await findVisibleCustomer(tx, principal, ability, input.customerId);
    const store = await findChainStore(tx, principal, input.storeId);
    if (!store) throw badInput('input.storeId', 'is not a store of this chain');
    assertMay(ability, 'create', 'Appointment', { chainId: principal.chainId, storeId: store.id }, fieldsSet(input));
    if (input.practitionerId) {
      const practitioner = isUuid(input.practitionerId)
        ? await tx.getRepository(User).findOneBy({ id: input.practitionerId, chainId: principal.chainId, status: UserStatus.ACTIVE })
        : null;
      if (!practitioner) throw badInput('input.practitionerId', 'is not an active member of staff of this chain');
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
}

export async function cancelAppointment(ctx: AppContext, principal: Principal, ability: AppAbility, id: string, reason: string | null | undefined): Promise<Appointment> {
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
