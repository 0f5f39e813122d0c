/**
 * The lines `npm run seed:bulk` (and `npm run bench:marketing`) print about a bulk seed: what was made, how fast,
 * what the database had no tables for, and who signs in.
 */
import { DEMO_PASSWORD } from '../demo-seed';
import type { BulkReport } from './bulk-seed';

export function describeBulkReport(report: BulkReport): string[] {
  const n = (value: number): string => value.toLocaleString('en-GB');
  return [
    `seeded "${report.chainName}" in ${report.seconds.toFixed(1)} s: ${n(report.customers)} customers ` +
      `(${n(Math.round(report.customers / Math.max(report.seconds, 0.001)))}/s), ${report.stores} stores in ${report.regions} regions, ${n(report.staff)} staff`,
    `  ${n(report.consentEvents)} consent events, ${report.wordings} consent wordings, ${n(report.restrictionEvents)} restriction events, ` +
      `${n(report.objections)} objections (with suppressions), ${n(report.termsAcceptances)} terms acceptances`,
    `  seconds per step: ${Object.entries(report.timings).map(([step, seconds]) => `${step} ${seconds.toFixed(1)}`).join(', ')}`,
    `  sign in as ${report.chainManagerEmail} (password ${DEMO_PASSWORD}); every store's staff likewise (<store>.manager@…, .assistant@…)`,
    `  BI service account ${report.biEmail}: API token (shown once, valid until ${report.biTokenExpiresAt.toISOString()}):`,
    `  ${report.biToken}`,
  ];
}
