/**
 * The generated worlds of the marketing-list property suite (issue 11, item 11): plain data that fast-check
 * draws and prints as is when a case fails, and the arbitraries that draw it.
 *
 * A case is one chain of its own (fresh per run): its enabled channels, its regions and stores, role
 * templates (MarketingList, Customer and other entries), users holding them at chain / region / store scope
 * with the list queries they make, customers (status, contact details present, absent, blank or written
 * differently for the same person, consent events per channel at explicit moments, restriction events,
 * objections), suppressions left by erased or other customers, and moments to ask `consentsAsOf` at.
 * Nothing here knows how the server computes a list; see oracle.ts for the rules.
 */
import fc from 'fast-check';

export const CHANNELS = ['SMS', 'EMAIL', 'MAIL', 'SOCIAL_MEDIA'] as const;
export type Channel = (typeof CHANNELS)[number];
export const RULES = ['CHANNEL_DISABLED', 'INACTIVE', 'RESTRICTED', 'OBJECTED', 'NO_CONSENT', 'WITHDRAWN', 'NO_CONTACT_DETAIL'] as const;
export type Rule = (typeof RULES)[number];
export type Basis = 'CONSENT' | 'SOFT_OPT_IN' | 'LEGITIMATE_INTEREST';
/** The lawful bases a grant may name, per channel (contract: LawfulBasis). */
export const BASES: Record<Channel, readonly Basis[]> = {
  EMAIL: ['CONSENT', 'SOFT_OPT_IN'],
  SMS: ['CONSENT', 'SOFT_OPT_IN'],
  MAIL: ['CONSENT', 'LEGITIMATE_INTEREST'],
  SOCIAL_MEDIA: ['CONSENT'],
};

/** A contact detail: missing (null), blank (spaces only) or one of a small pool of people's, written in one of several styles. */
export type ContactSpec = { kind: 'absent' } | { kind: 'blank'; spaces: number } | { kind: 'value'; person: number; style: number };
export const PEOPLE = 12;
export const STYLES = 4;

export interface EntrySpec {
  action: string;
  subject: string;
  fields: string[] | null;
}
export type ScopeSpec = { scope: 'CHAIN' } | { scope: 'REGION'; region: number } | { scope: 'STORE'; store: number };
export interface ListQuerySpec {
  channel: Channel;
  /**
   * null: no storeIds argument; else indices (modulo) into the caller's list scope (`scope`, when it has any
   * stores) or into all the chain's stores (`any`: possibly outside the scope, NOT_FOUND).
   */
  storeIds: { among: 'scope' | 'any'; indices: number[] } | null;
  /** null: the default page size (50). */
  first: number | null;
}
export interface UserSpec {
  assignments: { role: number; scope: ScopeSpec }[];
  queries: ListQuerySpec[];
}
export interface ConsentEventSpec {
  granted: boolean;
  /** Minutes after the previous event of the channel (the first: after the case's base moment). */
  gap: number;
  /** Index (modulo) into the channel's valid bases, for a grant. */
  basis: number;
  /** Index of the wording version (v1, v2). */
  wording: number;
}
export interface CustomerSpec {
  store: number;
  active: boolean;
  email: ContactSpec;
  phone: ContactSpec;
  addressLine1: ContactSpec;
  postcode: ContactSpec;
  /** Per channel (CHANNELS order), its events oldest first. */
  events: ConsentEventSpec[][];
  /** Restriction events oldest first: true restricts, false lifts. */
  restrictions: boolean[];
  /** Direct objections to marketing recorded for the customer. */
  objections: number;
}
export interface SuppressionSpec {
  /** An erased or other customer's contact, normalised the same as (or differently from) the case's customers'. */
  email: ContactSpec;
  phone: ContactSpec;
  /** Written with an objection of a customer since erased (customer_id null), or alone. */
  withObjection: boolean;
}
export interface Case {
  enabled: Channel[];
  /** Stores per region. */
  regions: number[];
  roles: EntrySpec[][];
  users: UserSpec[];
  customers: CustomerSpec[];
  suppressions: SuppressionSpec[];
  /** Moments to ask consentsAsOf at: minutes after the base moment (events lie in 0..~3000). */
  asOf: number[];
}

export const CUSTOMER_FIELDS_FOR_ROLES = [
  'id', 'firstName', 'lastName', 'dateOfBirth', 'sex', 'addressLine1', 'addressLine2', 'city', 'postcode', 'country',
  'phone', 'email', 'homeStoreId', 'homeStore', 'status', 'dataVerifiedAt', 'createdAt', 'updatedAt',
];

const contactArb: fc.Arbitrary<ContactSpec> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<ContactSpec>({ kind: 'absent' }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('blank' as const), spaces: fc.nat({ max: 3 }) }) },
  { weight: 7, arbitrary: fc.record({ kind: fc.constant('value' as const), person: fc.nat({ max: PEOPLE - 1 }), style: fc.nat({ max: STYLES - 1 }) }) },
);

const eventArb: fc.Arbitrary<ConsentEventSpec> = fc.record({
  granted: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  gap: fc.integer({ min: 1, max: 1000 }),
  basis: fc.nat({ max: 5 }),
  wording: fc.nat({ max: 1 }),
});

const customerArb: fc.Arbitrary<CustomerSpec> = fc.record({
  store: fc.nat({ max: 8 }),
  active: fc.oneof({ weight: 8, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  email: contactArb,
  phone: contactArb,
  addressLine1: contactArb,
  postcode: contactArb,
  events: fc.array(fc.oneof({ weight: 1, arbitrary: fc.constant<ConsentEventSpec[]>([]) }, { weight: 3, arbitrary: fc.array(eventArb, { minLength: 1, maxLength: 3 }) }), {
    minLength: CHANNELS.length,
    maxLength: CHANNELS.length,
  }),
  restrictions: fc.oneof({ weight: 5, arbitrary: fc.constant<boolean[]>([]) }, { weight: 1, arbitrary: fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }) }),
  objections: fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }) }),
});

const suppressionArb: fc.Arbitrary<SuppressionSpec> = fc.record({
  email: contactArb,
  phone: fc.oneof({ weight: 2, arbitrary: fc.constant<ContactSpec>({ kind: 'absent' }) }, { weight: 1, arbitrary: contactArb }),
  withObjection: fc.boolean(),
});

const customerEntryArb: fc.Arbitrary<EntrySpec> = fc.record({
  action: fc.oneof({ weight: 6, arbitrary: fc.constant('read') }, { weight: 1, arbitrary: fc.constant('manage') }),
  subject: fc.constant('Customer'),
  // every field a quarter of the time, else a non-empty subset (createRole refuses an empty list)
  fields: fc.option(fc.subarray(CUSTOMER_FIELDS_FOR_ROLES, { minLength: 1 }), { nil: null, freq: 4 }),
});
const marketingEntryArb: fc.Arbitrary<EntrySpec> = fc.record({
  action: fc.oneof({ weight: 8, arbitrary: fc.constant('export') }, { weight: 1, arbitrary: fc.constant('manage') }, { weight: 1, arbitrary: fc.constant('read') }),
  subject: fc.constant('MarketingList'),
  fields: fc.constant(null),
});
/** Entries that say nothing about the list (they must not widen it). */
const otherEntryArb: fc.Arbitrary<EntrySpec> = fc.constantFrom<EntrySpec>(
  { action: 'export', subject: 'Customer', fields: null },
  { action: 'update', subject: 'Customer', fields: null },
  { action: 'read', subject: 'Consent', fields: null },
  { action: 'read', subject: 'Store', fields: null },
);
const roleArb: fc.Arbitrary<EntrySpec[]> = fc
  .record({
    marketing: fc.option(marketingEntryArb, { nil: null, freq: 8 }),
    customer: fc.oneof({ weight: 1, arbitrary: fc.constant<EntrySpec[]>([]) }, { weight: 4, arbitrary: fc.array(customerEntryArb, { minLength: 1, maxLength: 2 }) }),
    other: fc.array(otherEntryArb, { maxLength: 1 }),
  })
  .map(({ marketing, customer, other }) => [...(marketing ? [marketing] : []), ...customer, ...other])
  .filter((entries) => entries.length > 0);

const scopeArb: fc.Arbitrary<ScopeSpec> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<ScopeSpec>({ scope: 'CHAIN' }) },
  { weight: 2, arbitrary: fc.record({ scope: fc.constant('REGION' as const), region: fc.nat({ max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ scope: fc.constant('STORE' as const), store: fc.nat({ max: 8 }) }) },
);

export const listQueryArb: fc.Arbitrary<ListQuerySpec> = fc.record({
  channel: fc.constantFrom(...CHANNELS),
  storeIds: fc.option(
    fc.record({
      among: fc.oneof({ weight: 3, arbitrary: fc.constant('scope' as const) }, { weight: 1, arbitrary: fc.constant('any' as const) }),
      indices: fc.array(fc.nat({ max: 8 }), { minLength: 1, maxLength: 3 }),
    }),
    { nil: null, freq: 2 },
  ),
  first: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null, freq: 4 }),
});

const userArb: fc.Arbitrary<UserSpec> = fc.record({
  assignments: fc.array(fc.record({ role: fc.nat({ max: 2 }), scope: scopeArb }), { minLength: 1, maxLength: 3 }),
  queries: fc.array(listQueryArb, { minLength: 1, maxLength: 2 }),
});

export const caseArb: fc.Arbitrary<Case> = fc.record({
  // Every channel, or all but one or two (the disabled ones), or none at all now and then.
  enabled: fc.oneof(
    { weight: 6, arbitrary: fc.constant<Channel[]>([...CHANNELS]) },
    { weight: 3, arbitrary: fc.subarray([...CHANNELS], { minLength: 1, maxLength: 2 }).map((off) => CHANNELS.filter((ch) => !off.includes(ch))) },
    { weight: 1, arbitrary: fc.constant<Channel[]>([]) },
  ),
  regions: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
  roles: fc.array(roleArb, { minLength: 1, maxLength: 3 }),
  users: fc.array(userArb, { minLength: 1, maxLength: 2 }),
  customers: fc.array(customerArb, { minLength: 3, maxLength: 14 }),
  suppressions: fc.oneof({ weight: 1, arbitrary: fc.constant<SuppressionSpec[]>([]) }, { weight: 2, arbitrary: fc.array(suppressionArb, { minLength: 1, maxLength: 2 }) }),
  asOf: fc.array(fc.integer({ min: -10, max: 3200 }), { minLength: 1, maxLength: 4 }),
});

// ---------------------------------------------------------------------------------------------
// Rendering contact details: the same person written in different styles normalises to the same value.

const EMAIL_STYLES = [
  (p: number) => `ann.${p}@example.test`,
  (p: number) => `ANN.${p}@EXAMPLE.TEST`,
  (p: number) => `  Ann.${p}@Example.test `,
  (p: number) => ` ann.${p}@EXAMPLE.test`,
];
const PHONE_STYLES = [
  (p: number) => `0113496${p}${p}${p}${p}`,
  (p: number) => `0113 496 ${p}${p}${p}${p}`,
  (p: number) => `(0113) 496-${p}${p}${p}${p}`,
  (p: number) => ` +0113.496.${p}${p}${p}${p} `,
];
const LINE1_STYLES = [(p: number) => `${p + 1} Prop Street`, (p: number) => ` ${p + 1} prop street`, (p: number) => `Flat ${p}, Prop Street`, (p: number) => `${p + 1} Prop St. `];
const POSTCODE_STYLES = [(p: number) => `LS${p} 1AA`, (p: number) => `ls${p}1aa`, (p: number) => ` LS${p} 1AA `, (p: number) => `LS${p}  1AA`];

function render(spec: ContactSpec, styles: ((p: number) => string)[]): string | null {
  if (spec.kind === 'absent') return null;
  if (spec.kind === 'blank') return ' '.repeat(spec.spaces);
  return styles[spec.style % styles.length](spec.person);
}
export const renderEmail = (spec: ContactSpec) => render(spec, EMAIL_STYLES);
export const renderPhone = (spec: ContactSpec) => render(spec, PHONE_STYLES);
export const renderLine1 = (spec: ContactSpec) => render(spec, LINE1_STYLES);
export const renderPostcode = (spec: ContactSpec) => render(spec, POSTCODE_STYLES);
