/**
 * The registry of append-only tables, per database: the one list the application role's grants are
 * built from (src/db/app-grants.ts). On these tables the application role may only SELECT and INSERT;
 * UPDATE, DELETE and TRUNCATE are refused by the database (permission denied), and for the owner too by
 * the `visus_reject_change()` triggers.
 *
 * Adding an append-only table: its migration creates the two triggers (a BEFORE UPDATE OR DELETE row
 * trigger and a BEFORE TRUNCATE statement trigger, both `EXECUTE FUNCTION visus_reject_change()`), and
 * its name goes here. Startup and test/db/append-only-grants.test.ts fail while the two disagree.
 */
import type { DatabaseName } from './data-sources';

export const APPEND_ONLY_TABLES: Readonly<Record<DatabaseName, readonly string[]>> = {
  core: ['consent_event', 'role_change', 'emergency_access', 'personal_change_log_entry', 'security_event', 'review_acknowledgement', 'security_setting_change',
    'processing_restriction_event', 'marketing_objection', 'marketing_suppression', 'consent_wording', 'terms_acceptance', 'marketing_list_export',
    'customer_data_export', 'data_request_event',
    'breach_event', 'processing_activity_change', 'register_export',
    'retention_run', 'personal_change_log_redaction'],
  clinical: ['clinical_access_log_entry', 'clinical_change_log_entry', 'clinical_change_log_redaction'],
};

/** Tables the application role may only read: TypeORM's record of applied migrations. */
export const READ_ONLY_TABLES: readonly string[] = ['typeorm_migrations'];
