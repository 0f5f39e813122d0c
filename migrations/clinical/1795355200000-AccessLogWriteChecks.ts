/**
 * Hand-written: the access log's write paths check what their writer supplies (found in review).
 * - `clinical_access_log_append` refuses entries not dated now (more than 60 seconds off the database's
 *   clock): the API dates them (its content hashes cover the time), but backdated reads would slip out of the
 *   anomaly window and into the past of a subject access report.
 * - The row trigger, for any INSERT outside that function by a role other than the table's owner (i.e. the
 *   application's role), dates the entry now and hashes its content itself, ignoring a supplied
 *   `occurred_at` or `content_hash`: a direct INSERT by the application role can neither backdate nor plant an
 *   entry that verification must report as altered. The owner (migrations, imports of history) still may.
 * The append function still trusts the API's content hashes (hashing them again would put the canonical
 * form's cost back on every request); an entry whose content hash does not match is reported by
 * `audit:verify`, which goes on past it, so it cannot hide tampering further along the chain.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

const APPEND = `CREATE OR REPLACE FUNCTION clinical_access_log_append(
        p_chain uuid, p_occurred_at timestamptz, p_user uuid, p_session uuid, p_request text, p_client text, p_user_agent text,
        p_operation text, p_purpose text, p_customers uuid[], p_stores uuid[], p_subjects text[], p_record_ids text[], p_fields text[],
        p_outcomes text[], p_assignment_ids text[], p_emergency_access_ids uuid[], p_content_hashes bytea[])
      RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        n integer := coalesce(array_length(p_content_hashes, 1), 0);
        head record;
        next_seq bigint;
        prev bytea;
        link bytea;
        seqs bigint[] := '{}';
        prevs bytea[] := '{}';
        links bytea[] := '{}';
      BEGIN
        IF n = 0 THEN RETURN 0; END IF;
        -- The content hashes cover occurred_at, so the API supplies it; it must be now (no backdating).
        IF p_occurred_at IS NULL OR abs(extract(epoch FROM (p_occurred_at - clock_timestamp()))) > 60 THEN
          RAISE EXCEPTION 'access log entries must be dated now, not %', p_occurred_at USING ERRCODE = 'check_violation';
        END IF;
        PERFORM pg_advisory_xact_lock(hashtext('clinical_access_log_entry'), hashtext(p_chain::text));
        SELECT seq, hash INTO head FROM clinical_access_log_entry WHERE chain_id = p_chain ORDER BY seq DESC LIMIT 1;
        IF FOUND THEN
          next_seq := head.seq;
          prev := head.hash;
        ELSE
          next_seq := 0;
          prev := decode(repeat('00', 32), 'hex');
        END IF;
        FOR i IN 1..n LOOP
          next_seq := next_seq + 1;
          link := sha256(convert_to(clinical_access_log_canon_value(next_seq::text), 'UTF8') || prev || p_content_hashes[i]);
          seqs := seqs || next_seq;
          prevs := prevs || prev;
          links := links || link;
          prev := link;
        END LOOP;
        INSERT INTO clinical_access_log_entry
          (chain_id, occurred_at, user_id, session_id, request_id, client_address, user_agent, operation_name, purpose,
           customer_id, store_id, subject, record_ids, fields, outcome, assignment_ids, emergency_access_id,
           canon_version, content_hash, seq, prev_hash, hash)
        SELECT p_chain, p_occurred_at, p_user, p_session, p_request, p_client, p_user_agent, p_operation, p_purpose,
               g.customer_id, g.store_id, g.subject, g.record_ids::uuid[], g.fields::text[], g.outcome::access_outcome,
               g.assignment_ids::uuid[], g.emergency_access_id, 2, g.content_hash, g.seq, g.prev_hash, g.hash
          FROM unnest(p_customers, p_stores, p_subjects, p_record_ids, p_fields, p_outcomes, p_assignment_ids,
                      p_emergency_access_ids, p_content_hashes, seqs, prevs, links)
               AS g(customer_id, store_id, subject, record_ids, fields, outcome, assignment_ids, emergency_access_id, content_hash, seq, prev_hash, hash);
        RETURN n;
      END $$`;

const CHAIN = `CREATE OR REPLACE FUNCTION clinical_access_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE head record;
      BEGIN
        -- Rows of clinical_access_log_append (SECURITY DEFINER: current_user is the owner there) arrive chained.
        IF current_user <> session_user AND NEW.canon_version = 2 AND NEW.content_hash IS NOT NULL AND NEW.hash IS NOT NULL THEN
          RETURN NEW;
        END IF;
        -- Any other INSERT is chained here. From a role other than the table's owner (the application's role),
        -- it is also dated now and its content hashed here, whatever it supplied; the owner (migrations,
        -- imports) may set occurred_at and content_hash, which verification still checks.
        NEW.canon_version := 2;
        IF NOT pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
          NEW.occurred_at := now();
          NEW.content_hash := NULL;
        END IF;
        IF NEW.content_hash IS NULL THEN
          NEW.content_hash := sha256(clinical_access_log_content_v2(NEW));
        END IF;
        PERFORM pg_advisory_xact_lock(hashtext('clinical_access_log_entry'), hashtext(NEW.chain_id::text));
        SELECT seq, hash INTO head FROM clinical_access_log_entry WHERE chain_id = NEW.chain_id ORDER BY seq DESC LIMIT 1;
        IF FOUND THEN
          NEW.seq := head.seq + 1;
          NEW.prev_hash := head.hash;
        ELSE
          NEW.seq := 1;
          NEW.prev_hash := decode(repeat('00', 32), 'hex');
        END IF;
        NEW.hash := sha256(convert_to(clinical_access_log_canon_value(NEW.seq::text), 'UTF8') || NEW.prev_hash || NEW.content_hash);
        RETURN NEW;
      END $$`;

export class AccessLogWriteChecks1795355200000 implements MigrationInterface {
  name = 'AccessLogWriteChecks1795355200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(APPEND);
    await queryRunner.query(CHAIN);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Back to *AccessLogAppendFunction.ts: run its up() again (CREATE OR REPLACE of both functions).
    await queryRunner.query(APPEND.replace(/\n *-- The content hashes cover[\s\S]*?END IF;\n/, '\n'));
    await queryRunner.query(`CREATE OR REPLACE FUNCTION clinical_access_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE head record;
      BEGIN
        -- Rows of clinical_access_log_append (SECURITY DEFINER: current_user is the owner there) arrive chained.
        IF current_user <> session_user AND NEW.canon_version = 2 AND NEW.content_hash IS NOT NULL AND NEW.hash IS NOT NULL THEN
          RETURN NEW;
        END IF;
        NEW.canon_version := 2;
        IF NEW.content_hash IS NULL THEN
          NEW.content_hash := sha256(clinical_access_log_content_v2(NEW));
        END IF;
        PERFORM pg_advisory_xact_lock(hashtext('clinical_access_log_entry'), hashtext(NEW.chain_id::text));
        SELECT seq, hash INTO head FROM clinical_access_log_entry WHERE chain_id = NEW.chain_id ORDER BY seq DESC LIMIT 1;
        IF FOUND THEN
          NEW.seq := head.seq + 1;
          NEW.prev_hash := head.hash;
        ELSE
          NEW.seq := 1;
          NEW.prev_hash := decode(repeat('00', 32), 'hex');
        END IF;
        NEW.hash := sha256(convert_to(clinical_access_log_canon_value(NEW.seq::text), 'UTF8') || NEW.prev_hash || NEW.content_hash);
        RETURN NEW;
      END $$`);
  }
}
