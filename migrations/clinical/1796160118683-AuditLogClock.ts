/**
 * Hand-written (functions only; no entity changed): the database dates the clinical database's log entries,
 * and their time never runs backwards along a chain.
 *
 * - `clinical_access_log_append(...)` no longer takes the time or the content hashes from the API: under the
 *   chain's lock it dates the request's entries `greatest(clock_timestamp(), head's occurred_at)` (never in
 *   the future of the database's clock, never before the previous entry of the chain, so seq order and time
 *   order agree) and hashes each entry's content here (`clinical_access_log_content_v2`, canonical form 2,
 *   unchanged), then links and inserts them in one INSERT as before.
 * - the access log's row trigger (every other INSERT) takes the lock first, then dates an application-role
 *   entry the same way; the owner (imports of history) may date entries, but never in the future (one dated
 *   before its predecessor is reported by `audit:verify` as `misdated`: import history in order, first).
 * - `clinical_change_log_chain()`: the same for the clinical data change log (it dated entries `now()`, the
 *   transaction's start, which a longer transaction that takes the lock later can put before its predecessor).
 * Entries written before keep their dates; `npm run audit:verify` now also checks time order, so a chain that
 * already holds entries out of time order reports them (`misdated`).
 */
import { MigrationInterface, QueryRunner } from 'typeorm';
import { changeLogChainFunction } from '../change-log-clock-sql';

const OLD_APPEND = 'clinical_access_log_append(uuid, timestamptz, uuid, uuid, text, text, text, text, text, uuid[], uuid[], text[], text[], text[], text[], text[], uuid[], bytea[])';

export class AuditLogClock1796160118683 implements MigrationInterface {
  name = 'AuditLogClock1796160118683';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION ${OLD_APPEND}`);
    await queryRunner.query(`CREATE FUNCTION clinical_access_log_append(
        p_chain uuid, p_user uuid, p_session uuid, p_request text, p_client text, p_user_agent text,
        p_operation text, p_purpose text, p_customers uuid[], p_stores uuid[], p_subjects text[], p_record_ids text[], p_fields text[],
        p_outcomes text[], p_assignment_ids text[], p_emergency_access_ids uuid[])
      RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        n integer := coalesce(array_length(p_customers, 1), 0);
        head record;
        at timestamptz;
        next_seq bigint;
        prev bytea;
        entry clinical_access_log_entry;
        contents bytea[] := '{}';
        seqs bigint[] := '{}';
        prevs bytea[] := '{}';
        links bytea[] := '{}';
      BEGIN
        IF n = 0 THEN RETURN 0; END IF;
        PERFORM pg_advisory_xact_lock(hashtext('clinical_access_log_entry'), hashtext(p_chain::text));
        SELECT seq, hash, occurred_at INTO head FROM clinical_access_log_entry WHERE chain_id = p_chain ORDER BY seq DESC LIMIT 1;
        at := clock_timestamp();
        IF FOUND THEN
          next_seq := head.seq;
          prev := head.hash;
          at := greatest(at, head.occurred_at);
        ELSE
          next_seq := 0;
          prev := decode(repeat('00', 32), 'hex');
        END IF;
        entry.chain_id := p_chain; entry.occurred_at := at; entry.user_id := p_user; entry.session_id := p_session;
        entry.request_id := p_request; entry.client_address := p_client; entry.user_agent := p_user_agent;
        entry.operation_name := p_operation; entry.purpose := p_purpose;
        FOR i IN 1..n LOOP
          entry.customer_id := p_customers[i]; entry.store_id := p_stores[i]; entry.subject := p_subjects[i];
          entry.record_ids := p_record_ids[i]::uuid[]; entry.fields := p_fields[i]::text[]; entry.outcome := p_outcomes[i]::access_outcome;
          entry.assignment_ids := p_assignment_ids[i]::uuid[]; entry.emergency_access_id := p_emergency_access_ids[i];
          contents := contents || sha256(clinical_access_log_content_v2(entry));
          next_seq := next_seq + 1;
          seqs := seqs || next_seq;
          prevs := prevs || prev;
          prev := sha256(convert_to(clinical_access_log_canon_value(next_seq::text), 'UTF8') || prev || contents[i]);
          links := links || prev;
        END LOOP;
        INSERT INTO clinical_access_log_entry
          (chain_id, occurred_at, user_id, session_id, request_id, client_address, user_agent, operation_name, purpose,
           customer_id, store_id, subject, record_ids, fields, outcome, assignment_ids, emergency_access_id,
           canon_version, content_hash, seq, prev_hash, hash)
        SELECT p_chain, at, p_user, p_session, p_request, p_client, p_user_agent, p_operation, p_purpose,
               g.customer_id, g.store_id, g.subject, g.record_ids::uuid[], g.fields::text[], g.outcome::access_outcome,
               g.assignment_ids::uuid[], g.emergency_access_id, 2, g.content_hash, g.seq, g.prev_hash, g.hash
          FROM unnest(p_customers, p_stores, p_subjects, p_record_ids, p_fields, p_outcomes, p_assignment_ids,
                      p_emergency_access_ids, contents, seqs, prevs, links)
               AS g(customer_id, store_id, subject, record_ids, fields, outcome, assignment_ids, emergency_access_id, content_hash, seq, prev_hash, hash);
        RETURN n;
      END $$`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION clinical_access_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE head record;
      BEGIN
        -- Rows of clinical_access_log_append (SECURITY DEFINER: current_user is the owner there) arrive chained and dated.
        IF current_user <> session_user AND NEW.canon_version = 2 AND NEW.content_hash IS NOT NULL AND NEW.hash IS NOT NULL THEN
          RETURN NEW;
        END IF;
        PERFORM pg_advisory_xact_lock(hashtext('clinical_access_log_entry'), hashtext(NEW.chain_id::text));
        SELECT seq, hash, occurred_at INTO head FROM clinical_access_log_entry WHERE chain_id = NEW.chain_id ORDER BY seq DESC LIMIT 1;
        NEW.canon_version := 2;
        IF NOT pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
          -- The application role: dated by the database, content hashed here, whatever it supplied.
          NEW.occurred_at := CASE WHEN head.occurred_at IS NULL THEN clock_timestamp() ELSE greatest(clock_timestamp(), head.occurred_at) END;
          NEW.content_hash := NULL;
        ELSIF NEW.occurred_at > clock_timestamp() THEN
          RAISE EXCEPTION 'access log entries are never dated in the future: % is', NEW.occurred_at USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.content_hash IS NULL THEN
          NEW.content_hash := sha256(clinical_access_log_content_v2(NEW));
        END IF;
        IF head.seq IS NOT NULL THEN
          NEW.seq := head.seq + 1;
          NEW.prev_hash := head.hash;
        ELSE
          NEW.seq := 1;
          NEW.prev_hash := decode(repeat('00', 32), 'hex');
        END IF;
        NEW.hash := sha256(convert_to(clinical_access_log_canon_value(NEW.seq::text), 'UTF8') || NEW.prev_hash || NEW.content_hash);
        RETURN NEW;
      END $$`);
    await queryRunner.query(changeLogChainFunction('clinical_change_log'));
  }

  public async down(): Promise<void> {
    throw new Error('AuditLogClock is not reversible: restore from a backup taken before it (its functions replaced the earlier ones).');
  }
}
