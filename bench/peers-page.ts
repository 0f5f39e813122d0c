/**
 * `npm run bench:peers`' page, in each arm's form: 50 customers of one home store (ordered by id, without erased
 * tombstones) with their 17 scalar fields and their appointments. The Visus GraphQL document, the PostGraphile
 * one, the raw floor's two SQL statements, and each arm's answer as plain rows for the same-data check
 * (bench/peer-normalise.ts).
 */
import { Row } from './peer-normalise';

export const PAGE_SIZE = 50;

/** Every scalar field of Customer (17), in schema order; the same names in PostGraphile (except `id`, below). */
export const CUSTOMER_FIELDS = [
  'id', 'homeStoreId', 'firstName', 'lastName', 'dateOfBirth', 'sex', 'addressLine1', 'addressLine2', 'city',
  'postcode', 'country', 'phone', 'email', 'status', 'dataVerifiedAt', 'createdAt', 'updatedAt',
] as const;
export const APPOINTMENT_FIELDS = ['id', 'storeId', 'customerId', 'startsAt', 'endsAt', 'status', 'type', 'createdAt'] as const;

const snake = (name: string): string => name.replace(/([a-z])([A-Z0-9])/g, '$1_$2').toLowerCase().replace('address_line_', 'address_line');
const columns = (fields: readonly string[]): string => fields.map((f) => (snake(f) === f ? f : `${snake(f)} AS "${f}"`)).join(', ');

/** The raw floor's statement 1: the page (the same rows Visus lists: its home store, no tombstones, by id). */
export const RAW_CUSTOMERS_SQL = `SELECT ${columns(CUSTOMER_FIELDS)} FROM customer
  WHERE home_store_id = $1 AND status <> 'ERASED' ORDER BY id LIMIT ${PAGE_SIZE}`;
/** The raw floor's statement 2: the page's appointments. */
export const RAW_APPOINTMENTS_SQL = `SELECT ${columns(APPOINTMENT_FIELDS)} FROM appointment
  WHERE customer_id = ANY($1::uuid[]) ORDER BY starts_at DESC`;

export const VISUS_QUERY = `query BenchPeers($first: Int!, $storeId: ID!) {
  customers(first: $first, storeId: $storeId) { edges { node {
    ${CUSTOMER_FIELDS.join(' ')}
    appointments { ${APPOINTMENT_FIELDS.join(' ')} }
  } } }
}`;

/**
 * PostGraphile's amber preset names the global Node id `id` and the primary-key column `rowId`; the relation is
 * `appointmentsByCustomerId`. Its connection has no "not ERASED" filter (amber has no filter plugin): the demo
 * seed erases nobody, and the same-data check would catch a tombstone on the page.
 */
const pgFields = (fields: readonly string[]): string => fields.map((f) => (f === 'id' ? 'rowId' : f)).join(' ');
export const POSTGRAPHILE_QUERY = `query BenchPeers($first: Int!, $storeId: UUID!) {
  allCustomers(first: $first, orderBy: ROW_ID_ASC, condition: { homeStoreId: $storeId }) { nodes {
    ${pgFields(CUSTOMER_FIELDS)}
    appointmentsByCustomerId { nodes { ${pgFields(APPOINTMENT_FIELDS)} } }
  } }
}`;

const withId = (row: Row): Row => ({ ...row, id: row.rowId });

/** Each arm's answer (the parsed JSON body) as customers with an `appointments` list. */
export const pageRows = {
  raw: (body: unknown): Row[] => (body as { data: { customers: Row[] } }).data.customers,
  visus: (body: unknown): Row[] =>
    (body as { data: { customers: { edges: { node: Row }[] } } }).data.customers.edges.map((e) => e.node),
  postgraphile: (body: unknown): Row[] =>
    (body as { data: { allCustomers: { nodes: (Row & { appointmentsByCustomerId: { nodes: Row[] } })[] } } }).data.allCustomers.nodes
      .map((c) => ({ ...withId(c), appointments: c.appointmentsByCustomerId.nodes.map(withId) })),
};
