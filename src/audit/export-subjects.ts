/**
 * The registry of export subjects: access-log entries whose subject is listed here count as exports
 * for the BULK_EXPORTS anomaly rule (src/audit/anomaly-check.ts): a user who exports data of more
 * distinct customers within the chain's window than its `anomalyExportCustomers` raises an event.
 *
 * Today the only export path is the DPO's review of the access log (`clinicalAccessLog`,
 * `customerAccessReport`), logged with subject `AccessLogEntry`, one entry per customer whose access
 * history was returned. This is the place to extend when data exports land (portability exports,
 * marketing lists): log them to the access log under their own subject and add it here.
 */
export const EXPORT_SUBJECTS: readonly string[] = ['AccessLogEntry'];
