/**
 * customers, customer, createCustomer, updateCustomer, and a customer's nested relations (each
 * through a per-request DataLoader, rows filtered by the caller's scope).
 */
import { GraphQLResolveInfo } from 'graphql';
import { Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Arg } from '../schema/arg';
import { ClinicalNote } from '../schema/clinical/clinical-note.entity';
import { ContactLensSpecification } from '../schema/clinical/contact-lens-specification.entity';
import { Examination } from '../schema/clinical/examination.entity';
import { SpectaclePrescription } from '../schema/clinical/spectacle-prescription.entity';
import { CustomerConnection } from '../schema/connection';
import { Appointment } from '../schema/core/appointment.entity';
import { Consent } from '../schema/core/consent.entity';
import { Customer } from '../schema/core/customer.entity';
import { Store } from '../schema/core/store.entity';
import { CreateCustomerInput, UpdateCustomerInput } from '../schema/inputs/customer.inputs';
import { createCustomer, getCustomer, listCustomers, updateCustomer } from '../services/customer-service';
import { AppContext } from '../context/app-context';
import { selects } from './selection';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => CustomerConnection, { nullable: false, description: 'Customers the caller may see, optionally searched (by the name, email and phone fields the caller may read) or limited to a home store.' })
  customers(
    @Authenticated() ctx: AuthenticatedContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1-100 (default 20).' }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('search', () => String, { nullable: true }) search?: string,
    @Arg('storeId', () => ID, { nullable: true }) storeId?: string,
    @Arg('includeErased', () => Boolean, { nullable: true, description: 'Also list erased customers’ tombstones (status ERASED: an id and no personal data). Default false.' }) includeErased?: boolean,
  ): Promise<CustomerConnection> {
    const prefetchAppointments = selects(info, ['edges', 'node', 'appointments']);
    return listCustomers(ctx, { first, after, search, storeId, includeErased, prefetchAppointments });
  }

  @Query(() => Customer, { description: 'One customer; NOT_FOUND when outside the caller’s scope.' })
  customer(@Authenticated() ctx: AuthenticatedContext, @Arg('id', () => ID) id: string): Promise<Customer> {
    return getCustomer(ctx, id);
  }

  @Mutation(() => Customer)
  createCustomer(@Authenticated() ctx: AuthenticatedContext, @Arg('input', () => CreateCustomerInput) input: CreateCustomerInput): Promise<Customer> {
    return createCustomer(ctx, input);
  }

  @Mutation(() => Customer)
  updateCustomer(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateCustomerInput) input: UpdateCustomerInput,
    @Arg('dataRequestId', () => ID, { nullable: true, description: 'The RECTIFICATION request this change answers: each change-log entry it writes is linked to the request (DataRequest.linkedChanges).' }) dataRequestId?: string,
  ): Promise<Customer> {
    return updateCustomer(ctx, id, input, dataRequestId);
  }

  @FieldResolver(() => Store)
  homeStore(@Root() customer: Customer, @Ctx() ctx: AppContext): Promise<Store | null> {
    return ctx.loaders.store.load(customer.homeStoreId);
  }

  @FieldResolver(() => [Consent])
  consents(@Root() customer: Customer, @Ctx() ctx: AppContext): Promise<Consent[]> {
    return ctx.loaders.consents.load(customer);
  }

  @FieldResolver(() => [Appointment])
  appointments(@Root() customer: Customer, @Ctx() ctx: AppContext): Appointment[] | Promise<Appointment[]> {
    // The rows themselves when the page loaded them ahead (`customers` selecting them), else a promise.
    return ctx.loaders.appointments.loadSettled(customer.id);
  }

  @FieldResolver(() => [Examination])
  examinations(@Root() customer: Customer, @Ctx() ctx: AppContext): Promise<Examination[]> {
    return ctx.loaders.examinations.load(customer.id);
  }

  @FieldResolver(() => [SpectaclePrescription])
  spectaclePrescriptions(@Root() customer: Customer, @Ctx() ctx: AppContext): Promise<SpectaclePrescription[]> {
    return ctx.loaders.spectaclePrescriptions.load(customer.id);
  }

  @FieldResolver(() => [ContactLensSpecification])
  contactLensSpecifications(@Root() customer: Customer, @Ctx() ctx: AppContext): Promise<ContactLensSpecification[]> {
    // The rows' derived fields are checked against this customer: no second lookup of it.
    ctx.loaders.customer.prime(customer.id, customer);
    return ctx.loaders.contactLensSpecifications.load(customer.id);
  }

  @FieldResolver(() => [ClinicalNote])
  clinicalNotes(@Root() customer: Customer, @Ctx() ctx: AppContext): Promise<ClinicalNote[]> {
    return ctx.loaders.clinicalNotes.load(customer.id);
  }
}
