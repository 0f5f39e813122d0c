/**
 * The keyed contact hashes of the marketing suppression list, as SQL: the one definition every query uses
 * (writing a suppression with an objection, the marketing list's anti-join, MarketingObjection.suppressed).
 * HMAC-SHA256 (pgcrypto) under the server's suppression key (config.suppressionKey) over the UTF-8 text
 * `<chainId>:email:<lower(trim(email))>` or `<chainId>:phone:<digits of phone only>`; null when the
 * normalised value is empty. Keyed, so the table cannot be reversed by hashing guessed addresses without
 * the key. `contactHashes` computes the same values in Node (tests, checks).
 *
 * Each function takes SQL expressions (a column such as `c.email`, a parameter such as `$2`) and returns SQL
 * text; `keyParam` is the bind parameter carrying the key as bytea (e.g. `$3`, bound to config.suppressionKey).
 */
import { createHmac } from 'node:crypto';

/** `lower(trim(email))`, null when blank. */
export function normalisedEmailSql(emailExpr: string): string {
  return `nullif(lower(btrim(${emailExpr})), '')`;
}

/** The phone's digits only, null when there are none. */
export function normalisedPhoneSql(phoneExpr: string): string {
  return `nullif(regexp_replace(${phoneExpr}, '[^0-9]', '', 'g'), '')`;
}

function hashSql(kind: 'email' | 'phone', normalised: string, chainIdExpr: string, keyParam: string): string {
  // hmac(NULL, …) is NULL: an empty value hashes to null.
  return `hmac(convert_to((${chainIdExpr})::text || ':${kind}:' || ${normalised}, 'UTF8'), (${keyParam})::bytea, 'sha256')`;
}

/** SQL for the email's keyed hash (bytea, or null when the email is null or blank). */
export function emailHashSql(emailExpr: string, chainIdExpr: string, keyParam: string): string {
  return hashSql('email', normalisedEmailSql(emailExpr), chainIdExpr, keyParam);
}

/** SQL for the phone's keyed hash (bytea, or null when the phone has no digits). */
export function phoneHashSql(phoneExpr: string, chainIdExpr: string, keyParam: string): string {
  return hashSql('phone', normalisedPhoneSql(phoneExpr), chainIdExpr, keyParam);
}

/** The same hashes computed in Node. */
export function contactHashes(chainId: string, contact: { email?: string | null; phone?: string | null }, key: Buffer): { emailHash: Buffer | null; phoneHash: Buffer | null } {
  const email = (contact.email ?? '').trim().toLowerCase();
  const phone = (contact.phone ?? '').replace(/[^0-9]/g, '');
  const hmac = (text: string) => createHmac('sha256', key).update(text, 'utf8').digest();
  return {
    emailHash: email ? hmac(`${chainId}:email:${email}`) : null,
    phoneHash: phone ? hmac(`${chainId}:phone:${phone}`) : null,
  };
}
