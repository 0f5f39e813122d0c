/**
 * The registry of export subjects: access-log entries whose subject is listed here count as exports
 * for the BULK_EXPORTS anomaly rule (src/audit/anomaly-check.ts): a user who exports data of more
 * distinct customers within the chain's window than its `anomalyExportCustomers` raises an event.
 *
 * Export paths logged this way: the DPO's review of the access log (`clinicalAccessLog`,
 * `customerAccessReport`), subject `AccessLogEntry`, one entry per customer whose access history was
 * returned; and each page of the `marketingList` query, subject `MarketingList`, one entry per customer on
 * the page. The streamed marketing list export (GET /exports/marketing-list) can carry a million customers:
 * it is not logged customer by customer but as one `marketing_list_export` row with its row count, and the
 * rule adds those counts (`STREAMED_EXPORT_ROUTE`; anomaly-check.ts). The export of one customer's data (access
 * and portability, GET /exports/customers/{id}) writes, before anything leaves, one entry of subject `Customer`
 * (field `export`) for its customer, so each export adds its one customer to the user's distinct exported
 * customers (src/services/customer-export/customer-export.ts); it is also logged as a disclosure in
 * `customer_data_export`. A new export path logs its customers under its own subject and adds it here.
 */
export const EXPORT_SUBJECTS: readonly string[] = ['AccessLogEntry', 'MarketingList', 'Customer'];

/** The `marketing_list_export.route` whose row counts BULK_EXPORTS adds to the access log's distinct customers. */
export const STREAMED_EXPORT_ROUTE = 'STREAM';
