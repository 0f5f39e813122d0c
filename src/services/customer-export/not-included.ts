/**
 * What Visus holds about a customer but the export does not carry, and why: the export's `notIncluded`
 * list (docs/customer-export.md says the same). Anything listed here can be asked for through the data
 * protection officer, who reviews it for other people's data first.
 */
export interface NotIncluded {
  category: string;
  reason: string;
}

export const NOT_INCLUDED: readonly NotIncluded[] = [
  {
    category: 'Data change logs (before and after values)',
    reason: 'The history of every change to your personal and clinical records, with the values before and after, is kept in tamper-evident logs that also name the staff who made each change. Available on request from the data protection officer.',
  },
  {
    category: 'Marketing suppression entries',
    reason: 'When you object to marketing, keyed hashes (HMAC-SHA256) of your email address and phone number are kept so that marketing stays stopped even after erasure. They cannot be read back as your details and hold nothing else.',
  },
  {
    category: 'Unsubscribe links',
    reason: 'Single-use security tokens issued in marketing messages; they carry no data about you beyond the channel they stop.',
  },
  {
    category: 'Records of earlier exports of your data',
    reason: 'Each export of your data (including this one) is logged with who made it, when and from where. Available on request from the data protection officer.',
  },
  {
    category: 'Emergency access grants',
    reason: 'Staff security records of break-the-glass access to your clinical records; every read made under them is in the access log part of this export.',
  },
  {
    category: 'Access log technical details',
    reason: 'The access log part gives who, when, which records and fields, the declared purpose and the outcome; the staff member’s session, network address, client software and role assignment identifiers are staff security data, not yours.',
  },
  {
    category: 'Staff accounts, sessions and security events',
    reason: 'Data about the chain’s staff and the security of the platform, not about you.',
  },
  {
    category: 'Backups',
    reason: 'Encrypted backups hold copies of the same data as this export; they are not exported separately.',
  },
];
