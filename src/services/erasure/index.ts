/**
 * Erasure (GDPR Art. 17) and disposal after retention: `eraseCustomer` (the GraphQL mutation's use case) and
 * `disposeCustomer` (the retention run's), sharing the steps in erasure-steps.ts. See docs/erasure.md.
 */
export { eraseCustomer } from './erase-customer';
export { disposeCustomer } from './dispose-customer';
export type { ErasureActor } from './dispose-customer';
