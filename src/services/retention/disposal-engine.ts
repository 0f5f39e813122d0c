/**
 * The disposal engine the retention job applies: the shared `disposeCustomer` of src/services/erasure (helper C's
 * erasure: clinical records deleted, clinical change-log values redacted, then the same as an erasure).
 */
import { DisposeCustomer } from './retention-run';

export const disposeCustomer: DisposeCustomer = () => {
  throw new Error('the disposal engine (src/services/erasure) is not merged yet');
};
