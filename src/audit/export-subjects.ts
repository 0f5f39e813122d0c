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
 * rule adds those counts (`STREAMED_EXPORT_ROUTE`; anomaly-check.ts). This is the place to extend when other
 * data exports land (portability exports): log them under their own subject and add it here.
 */
export const EXPORT_SUBJECTS: readonly string[] = ['AccessLogEntry', 'MarketingList'];

/** The `marketing_list_export.route` whose row counts BULK_EXPORTS adds to the access log's distinct customers. */
export const STREAMED_EXPORT_ROUTE = 'STREAM';
