/**
 * Who may export one customer's data (GET /exports/customers/{id}, access and portability):
 * - the customer must be in the caller's read scope (`read` Customer at the home store), else it is
 *   NOT_FOUND like one that does not exist;
 * - `export` Customer at the customer's home store;
 * - and, because the export is the WHOLE of the subject's data and must not silently drop a part, `read` on
 *   every subject the export carries, on EVERY catalog field of it (a field-limited rule does not do), at
 *   every store the customer's rows of that subject are at: Customer, Consent and TermsAcceptance at the home
 *   store; Appointment at the stores of their appointments; the clinical subjects (Examination,
 *   SpectaclePrescription, ContactLensSpecification, ClinicalNote) at the stores of their records, and at the
 *   home store even where there are none (clinical visibility is a condition of the export, not of its
 *   content); AccessLogEntry at the stores its entries name and at the home store.
 * Anything missing refuses the whole export (FORBIDDEN), the message naming each missing permission, and the
 * store where the caller can read some of that subject; stores where it reads none of it are not named
 * ("at a store outside your read scope"), since where the customer's rows are is not the caller's to read.
 */
import { catalogSubject } from './catalog';
import { AppAbility, scoped } from './ability';
import { canReadField, readGrants } from './readable-fields';

export interface ExportedCustomer {
  id: string;
  chainId: string;
  homeStoreId: string;
}

/** Subjects of the export that are read at the customer's home store only. */
export const HOME_STORE_SUBJECTS = ['Customer', 'Consent', 'TermsAcceptance'] as const;
/** Subjects read at the stores of the customer's rows (and at the home store). */
export const RECORD_STORE_SUBJECTS = ['Appointment', 'Examination', 'SpectaclePrescription', 'ContactLensSpecification', 'ClinicalNote', 'AccessLogEntry'] as const;

function scopeRow(customer: ExportedCustomer, storeId: string | null): Record<string, unknown> {
  return { chainId: customer.chainId, storeId, customerId: customer.id };
}

/** Whether the customer is in the caller's read scope (any field of Customer at the home store). */
export function mayFindCustomer(ability: AppAbility, customer: ExportedCustomer): boolean {
  return ability.can('read', scoped('Customer', { ...scopeRow(customer, customer.homeStoreId), id: customer.id }));
}

/** Whether the caller may read every catalog field of `subject` at `storeId`. */
function readsEveryField(ability: AppAbility, subject: string, row: Record<string, unknown>): boolean {
  const fields = catalogSubject(subject)?.fields ?? [];
  return fields.every((field) => canReadField(ability, subject, row, field.name));
}

/**
 * What the caller lacks to export the customer (empty: nothing). `recordStores` gives, per subject of
 * RECORD_STORE_SUBJECTS, the stores of the customer's rows of it (the home store is always checked too; null for
 * rows without a store, such as some access log entries, which only a chain-wide grant reads).
 */
export function customerExportRefusals(ability: AppAbility, customer: ExportedCustomer, recordStores: Readonly<Record<string, readonly (string | null)[]>>): string[] {
  const missing: string[] = [];
  const home = scopeRow(customer, customer.homeStoreId);
  if (!ability.can('export', scoped('Customer', { ...home, id: customer.id }))) missing.push(`export Customer at store ${customer.homeStoreId}`);
  for (const subject of HOME_STORE_SUBJECTS) {
    if (!readsEveryField(ability, subject, { ...home })) missing.push(`read ${subject} (every field) at store ${customer.homeStoreId}`);
  }
  for (const subject of RECORD_STORE_SUBJECTS) {
    const stores = new Set([customer.homeStoreId, ...(recordStores[subject] ?? [])]);
    let unseen = false;
    for (const storeId of stores) {
      const row = scopeRow(customer, storeId);
      if (readsEveryField(ability, subject, row)) continue;
      // A store where the caller reads nothing of the subject is not named: that the customer has rows
      // there is itself something the caller may not read.
      if (storeId !== customer.homeStoreId && !ability.can('read', scoped(subject, row))) unseen = true;
      else missing.push(`read ${subject} (every field) ${storeId === null ? 'chain-wide (rows without a store)' : `at store ${storeId}`}`);
    }
    if (unseen) missing.push(`read ${subject} (every field) at a store outside your read scope`);
  }
  return missing;
}

/** The rule reasons (role assignments, emergency accesses) that let the caller read `subject` at `storeId`: the access log's grants. */
export function exportReadGrants(ability: AppAbility, customer: ExportedCustomer, subject: string, storeId: string): string[] {
  return readGrants(ability, subject, scopeRow(customer, storeId), null);
}
