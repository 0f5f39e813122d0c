/**
 * SQL shared by the two *ChangeLogRedaction migrations (core: the personal change log, clinical: the clinical
 * change log): canonical form v2 (the hash covers a digest of `changes`, not the values), the check that the
 * v1 chain is intact before anything is rehashed, the rehash, the chain trigger that fills the digest, the
 * one UPDATE the append-only trigger lets through (a redaction, inside the redaction function only), and the
 * redaction function itself (SECURITY DEFINER). See docs/erasure.md and src/hash-chain/change-log-chain.ts.
 */
export type ChangeLogName = 'personal_change_log' | 'clinical_change_log';

/** The value a redacted field's `{ before, after }` is replaced with. */
export const REDACTED_MARKER = `'{"redacted": true}'::jsonb`;

/** Refuses (raises) unless every chain of the log verifies under canonical form v1: a broken chain is never rehashed. */
export function verifyV1Chains(log: ChangeLogName): string {
  return `DO $$
    DECLARE r record; prev bytea; chain uuid; expected bigint;
    BEGIN
      FOR r IN SELECT e.id, e.chain_id, e.seq, e.prev_hash, e.hash, sha256(${log}_canonical(e)) AS recomputed
                 FROM ${log}_entry e ORDER BY e.chain_id, e.seq LOOP
        IF chain IS DISTINCT FROM r.chain_id THEN
          chain := r.chain_id; prev := decode(repeat('00', 32), 'hex'); expected := 1;
        END IF;
        IF r.seq <> expected OR r.prev_hash <> prev OR r.hash <> r.recomputed THEN
          RAISE EXCEPTION '${log}_entry: chain % does not verify at seq % (id %): run npm run audit:verify; a broken chain is not rehashed (restore it from a backup first)',
            r.chain_id, expected, r.id USING ERRCODE = 'data_corrupted';
        END IF;
        prev := r.hash; expected := expected + 1;
      END LOOP;
    END $$`;
}

/** Canonical form v2: as v1, with `changes_digest` (hex) in the place of `changes::text`, under a new label. */
export function canonicalV2(log: ChangeLogName): string {
  return `CREATE OR REPLACE FUNCTION ${log}_canonical(e ${log}_entry) RETURNS bytea LANGUAGE sql STABLE AS $$
      SELECT convert_to(
           change_log_canon_value('visus.${log}.v2')
        || change_log_canon_value(e.chain_id::text)
        || change_log_canon_value(e.seq::text)
        || change_log_canon_value(e.id::text)
        || change_log_canon_value(((extract(epoch FROM e.occurred_at) * 1000000)::bigint)::text)
        || change_log_canon_value(e.user_id::text)
        || change_log_canon_value(e.session_id::text)
        || change_log_canon_value(e.request_id)
        || change_log_canon_value(e.client_address)
        || change_log_canon_value(e.user_agent)
        || change_log_canon_value(e.operation_name)
        || change_log_canon_value(e.action::text)
        || change_log_canon_value(e.subject)
        || change_log_canon_value(e.record_type)
        || change_log_canon_value(e.record_id::text)
        || change_log_canon_value(e.customer_id::text)
        || change_log_canon_value(e.store_id::text)
        || change_log_canon_value(encode(e.changes_digest, 'hex'))
        || change_log_canon_value(encode(e.prev_hash, 'hex')),
        'UTF8') $$`;
}

/** Every entry's digest, then every chain rehashed in seq order under form v2 (the append-only trigger is off meanwhile). */
export function rehash(log: ChangeLogName): string[] {
  const table = `${log}_entry`;
  return [
    `ALTER TABLE ${table} DISABLE TRIGGER ${table}_append_only`,
    `UPDATE ${table} SET changes_digest = sha256(convert_to(changes::text, 'UTF8'))`,
    `DO $$
      DECLARE r record; prev bytea; chain uuid;
      BEGIN
        FOR r IN SELECT id, chain_id FROM ${table} ORDER BY chain_id, seq LOOP
          IF chain IS DISTINCT FROM r.chain_id THEN chain := r.chain_id; prev := decode(repeat('00', 32), 'hex'); END IF;
          UPDATE ${table} SET prev_hash = prev WHERE id = r.id;
          UPDATE ${table} e SET hash = sha256(${log}_canonical(e)) WHERE e.id = r.id RETURNING e.hash INTO prev;
        END LOOP;
      END $$`,
    `ALTER TABLE ${table} ALTER COLUMN changes_digest SET NOT NULL`,
    `ALTER TABLE ${table} ENABLE TRIGGER ${table}_append_only`,
  ];
}

/** The chain trigger function (as *ChangeLogClock / *AuditLogClock), now also filling `changes_digest`. */
export function chainFunctionV2(log: ChangeLogName): string {
  return `CREATE OR REPLACE FUNCTION ${log}_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE head record;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('${log}_entry'), hashtext(NEW.chain_id::text));
        SELECT seq, hash, occurred_at INTO head FROM ${log}_entry WHERE chain_id = NEW.chain_id ORDER BY seq DESC LIMIT 1;
        IF NOT pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
          NEW.occurred_at := CASE WHEN head.occurred_at IS NULL THEN clock_timestamp() ELSE greatest(clock_timestamp(), head.occurred_at) END;
        ELSIF NEW.occurred_at > clock_timestamp() THEN
          RAISE EXCEPTION 'change log entries are never dated in the future: % is', NEW.occurred_at USING ERRCODE = 'check_violation';
        END IF;
        IF head.seq IS NOT NULL THEN
          NEW.seq := head.seq + 1;
          NEW.prev_hash := head.hash;
        ELSE
          NEW.seq := 1;
          NEW.prev_hash := decode(repeat('00', 32), 'hex');
        END IF;
        NEW.changes_digest := sha256(convert_to(NEW.changes::text, 'UTF8'));
        NEW.hash := sha256(${log}_canonical(NEW));
        RETURN NEW;
      END $$`;
}

/** `changes` with the values of `fields` (null: every field) replaced by the marker. */
export const REDACTED_FUNCTION = `CREATE FUNCTION change_log_redacted(c jsonb, fields text[]) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(jsonb_object_agg(x.key, CASE WHEN fields IS NULL OR x.key = ANY (fields) THEN ${REDACTED_MARKER} ELSE x.value END), '{}'::jsonb)
      FROM jsonb_each(c) x $$`;

/** Whether `n` is `o` with some fields' values replaced by the marker (same fields, nothing else changed). */
export const IS_REDACTION_FUNCTION = `CREATE FUNCTION change_log_is_redaction(o jsonb, n jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_typeof(o) = 'object' AND jsonb_typeof(n) = 'object'
       AND (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(o) k) IS NOT DISTINCT FROM (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(n) k)
       AND NOT EXISTS (SELECT 1 FROM jsonb_each(n) x WHERE x.value <> o -> x.key AND x.value <> ${REDACTED_MARKER}) $$`;

/**
 * The append-only trigger function, in both databases: it still rejects every UPDATE, DELETE and TRUNCATE,
 * except an UPDATE that only redacts, made while the transaction-local setting `visus.erasure_redaction` is on
 * (only the redaction functions below turn it on; the application role holds no UPDATE on these tables, so for
 * it they are the only way): on a change log, `changes` replaced by a redaction of itself; on consent_event,
 * `sale_reference` cleared; on processing_restriction_event, `reason` replaced by `(erased)`.
 */
export const REJECT_CHANGE_FUNCTION = `CREATE OR REPLACE FUNCTION visus_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE o jsonb; n jsonb;
    BEGIN
      IF TG_OP = 'UPDATE' AND current_setting('visus.erasure_redaction', true) = 'on' THEN
        o := to_jsonb(OLD); n := to_jsonb(NEW);
        IF (TG_TABLE_NAME IN ('personal_change_log_entry', 'clinical_change_log_entry')
              AND o - 'changes' = n - 'changes' AND change_log_is_redaction(o -> 'changes', n -> 'changes'))
           OR (TG_TABLE_NAME = 'consent_event' AND o - 'sale_reference' = n - 'sale_reference' AND n -> 'sale_reference' = 'null'::jsonb)
           OR (TG_TABLE_NAME = 'processing_restriction_event' AND o - 'reason' = n - 'reason' AND n ->> 'reason' = '(erased)') THEN
          RETURN NEW;
        END IF;
      END IF;
      RAISE EXCEPTION '% is append-only: % rejected', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$`;

/** The redaction, with its record, in one call: the only path by which the application role changes a log entry. */
export function redactFunction(log: ChangeLogName): string {
  const core = log === 'personal_change_log';
  // Core: the customer must be a tombstone (every field) or inactive or erased (named fields); the consent events'
  // sale references and the restriction events' reasons go with a whole erasure. Clinical: the customer must have
  // no clinical record left (disposal deletes them first), and every field goes.
  const precondition = core
    ? `SELECT status::text INTO st FROM customer WHERE id = p_customer AND chain_id = p_chain FOR UPDATE;
        IF st IS NULL THEN RAISE EXCEPTION 'no customer % in chain %', p_customer, p_chain USING ERRCODE = 'no_data_found'; END IF;
        IF p_fields IS NULL AND st <> 'ERASED' THEN
          RAISE EXCEPTION 'only an erased customer''s entries are redacted whole (customer % is %)', p_customer, st USING ERRCODE = 'check_violation';
        END IF;
        IF st NOT IN ('INACTIVE', 'ERASED') THEN
          RAISE EXCEPTION 'only an inactive or erased customer''s entries are redacted (customer % is %)', p_customer, st USING ERRCODE = 'check_violation';
        END IF;`
    : `IF p_fields IS NOT NULL THEN RAISE EXCEPTION 'the clinical change log is redacted whole' USING ERRCODE = 'check_violation'; END IF;
        IF EXISTS (SELECT 1 FROM examination WHERE chain_id = p_chain AND customer_id = p_customer)
           OR EXISTS (SELECT 1 FROM spectacle_prescription WHERE chain_id = p_chain AND customer_id = p_customer)
           OR EXISTS (SELECT 1 FROM contact_lens_specification WHERE chain_id = p_chain AND customer_id = p_customer)
           OR EXISTS (SELECT 1 FROM clinical_note WHERE chain_id = p_chain AND customer_id = p_customer) THEN
          RAISE EXCEPTION 'customer % still has clinical records: they are disposed of first', p_customer USING ERRCODE = 'check_violation';
        END IF;`;
  const alsoWhole = core
    ? `IF p_fields IS NULL THEN
          UPDATE consent_event SET sale_reference = NULL WHERE chain_id = p_chain AND customer_id = p_customer AND sale_reference IS NOT NULL;
          UPDATE processing_restriction_event SET reason = '(erased)' WHERE chain_id = p_chain AND customer_id = p_customer AND reason <> '(erased)';
        END IF;`
    : '';
  return `CREATE FUNCTION ${log}_redact(p_chain uuid, p_customer uuid, p_fields text[], p_user uuid, p_request text, p_reason text)
      RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE st text; n integer;
      BEGIN
        IF p_reason IS NULL OR btrim(p_reason) = '' OR p_request IS NULL THEN
          RAISE EXCEPTION 'a redaction names its request and reason' USING ERRCODE = 'check_violation';
        END IF;
        ${precondition}
        PERFORM set_config('visus.erasure_redaction', 'on', true);
        UPDATE ${log}_entry e SET changes = change_log_redacted(e.changes, p_fields)
         WHERE e.chain_id = p_chain AND e.customer_id = p_customer AND e.changes <> change_log_redacted(e.changes, p_fields);
        GET DIAGNOSTICS n = ROW_COUNT;
        ${alsoWhole}
        PERFORM set_config('visus.erasure_redaction', 'off', true);
        INSERT INTO ${log}_redaction (chain_id, customer_id, fields, entries, user_id, request_id, reason)
        VALUES (p_chain, p_customer, p_fields, n, p_user, p_request, p_reason);
        RETURN n;
      END $$`;
}

/** The append-only triggers of the redaction record table. */
export function redactionAppendOnly(log: ChangeLogName): string[] {
  const table = `${log}_redaction`;
  return [
    `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION visus_reject_change()`,
    `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION visus_reject_change()`,
  ];
}

/** Every statement of the hand-written part, in order, after the generated table and column changes. */
export function redactionMigration(log: ChangeLogName): string[] {
  return [
    verifyV1Chains(log),
    `ALTER TABLE ${log}_entry ADD "changes_digest" bytea`,
    canonicalV2(log),
    ...rehash(log),
    chainFunctionV2(log),
    REDACTED_FUNCTION,
    IS_REDACTION_FUNCTION,
    REJECT_CHANGE_FUNCTION,
    redactFunction(log),
    ...redactionAppendOnly(log),
  ];
}
