/**
 * The disposal engine the retention job applies: the shared `disposeCustomer` of src/services/erasure (clinical
 * records deleted, clinical change-log values redacted, then the same as an erasure: personal fields removed, the
 * tombstone, consent history pseudonymised, suppressions kept). Typed here as the job calls it.
 */
import { disposeCustomer as sharedDisposeCustomer } from '../erasure';
import { DisposeCustomer } from './retention-run';

export const disposeCustomer: DisposeCustomer = (dataSources, actor, customerId, reason) => sharedDisposeCustomer(dataSources, actor, customerId, reason);
