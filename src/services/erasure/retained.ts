/**
 * What an erasure keeps, and why (`ErasureResult.retained`): one entry per category, the legal ground in words
 * a data protection officer can send the customer. Pure.
 */
import { ClinicalHolding } from './clinical-records';

export interface Retained {
  category: string;
  reason: string;
}

const AUDIT_TRAIL: Retained = {
  category: 'Audit trail entries',
  reason: 'Who read or changed the record and when (the change logs, their values removed; the clinical access log; this request in the register): identifiers only, kept to demonstrate lawful processing (Art. 5(2), Art. 30; legal obligation, Art. 17(3)(b)).',
};

const SUPPRESSION: Retained = {
  category: 'Marketing suppression',
  reason: 'The objection to direct marketing, kept as a suppression of the email and phone (keyed hashes, no name): it must go on being honoured, also for a record created again with the same details (Art. 21(3)).',
};

/** ERASED: the tombstone, the audit trail, the consent history without personal values, any suppression. */
export function erasedRetained(objected: boolean): Retained[] {
  return [
    { category: 'Tombstone', reason: 'The customer id, home store, status ERASED and when: no personal data; it keeps the audit trail and the request resolvable (Art. 5(2)).' },
    AUDIT_TRAIL,
    { category: 'Consent history', reason: 'When each marketing consent was given or withdrawn and to which wording, under the tombstone id without personal values: proof of consent (Art. 7(1)).' },
    ...(objected ? [SUPPRESSION] : []),
  ];
}

/** INACTIVATED: the health records until their retention ends, the identity that goes with them, the rest as above. */
export function inactivatedRetained(holding: ClinicalHolding, retainUntil: string): Retained[] {
  return [
    {
      category: 'Health records',
      reason: `${holding.records} clinical record(s) (examinations, prescriptions, contact lens specifications, notes): kept for the retention period of health records, until ${retainUntil} under the default rule (10 years after the last clinical contact on ${holding.lastContact}; for a child, to the 25th birthday if later), and then disposed of (Art. 9(2)(h), Art. 17(3)(c)).`,
    },
    { category: 'Identity and address', reason: 'Name, date of birth, sex and postal address: they identify the patient of those health records and are kept with them, unprocessed otherwise (status INACTIVE) (Art. 17(3)(c)).' },
    AUDIT_TRAIL,
    { category: 'Consent history', reason: 'Every marketing consent was withdrawn by an event; the history is kept as proof of consent (Art. 7(1)).' },
    SUPPRESSION,
  ];
}
