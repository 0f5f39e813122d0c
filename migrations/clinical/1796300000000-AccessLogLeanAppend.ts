/**
 * Hand-written (functions and a trigger only; no entity changed, so `npm run migration:generate:clinical`
 * finds nothing): a cheaper clinical access log write (issue 14, item 3), canonical form 2 unchanged. Measured
 * on the 56-entry page of `npm run bench:audit` (bench/README.md): about 3.2 ms of database time per call
 * before, 2.5 ms after (BEGIN; call; ROLLBACK, median of six p50s of 200 calls, under load).
 *
 * - `clinical_access_log_append_batch(<the 19 arguments of *AccessLogGroupCommit>, p_request_texts text[],
 *   p_field_texts text[], p_entry_heads text[], p_entry_tails text[])`, the writer's call
 *   (src/hash-chain/access-log-writer.ts): besides each entry's columns, the writer sends canonical form 2 from
 *   user_id to emergency_access_id (src/hash-chain/access-log-canonical.ts) in pieces: each request's part
 *   (user_id to purpose) and each field list's once, and per entry the part before its field list (customer_id
 *   to record_ids) and after it (outcome to emergency_access_id). Under the chain's lock the function dates the
 *   batch as before (`greatest(clock_timestamp(), head's occurred_at)`), hashes label, chain and that time
 *   followed by each entry's pieces (content_hash), links the entries (hash = sha256(value(seq) || prev_hash ||
 *   content_hash), unchanged) and inserts them in one INSERT. Building form 2 from the columns in SQL was the
 *   function's largest part after the INSERT. The database no longer derives the content hash from the columns
 *   it stores: a writer whose text does not match its columns writes entries `npm run audit:verify` reports as
 *   altered (as it reported API-hashed entries before *AuditLogClock); the time is still the database's alone,
 *   and nothing can change an entry once written. The 19-argument function (the single-request
 *   `clinical_access_log_append` calls it) is unchanged and still builds the form itself.
 * - The row trigger `clinical_access_log_entry_chain` gets a WHEN clause with the condition its function
 *   returned on at once (rows of the SECURITY DEFINER append functions, already dated, hashed and linked):
 *   PostgreSQL evaluates it without calling the PL/pgSQL function per row. Every other INSERT still runs it.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The head of one chain, planned per call (see *AccessLogGroupCommit). */
const HEAD = `'SELECT seq, hash, occurred_at FROM clinical_access_log_entry WHERE chain_id = $1 ORDER BY seq DESC LIMIT 1'`;

const SIGNATURE = 'clinical_access_log_append_batch(uuid, uuid[], uuid[], text[], text[], text[], text[], text[], text[], text[], integer[], uuid[], uuid[], text[], text[], integer[], text[], integer[], uuid[], text[], text[], text[], text[])';

/** The append functions' rows: the condition under which clinical_access_log_chain() returns NEW untouched. */
const APPENDED = 'current_user <> session_user AND NEW.canon_version = 2 AND NEW.content_hash IS NOT NULL AND NEW.hash IS NOT NULL';

/** SQL true when any of `arrays` is not `length` long. */
const lengthsDiffer = (length: string, arrays: string[]): string => arrays.map((a) => `coalesce(array_length(${a}, 1), 0) <> ${length}`).join(' OR ');
/** SQL true when an element of `indexes` is not a 1-based index into a list `length` long. */
const outOfRange = (indexes: string, length: string): string => `EXISTS (SELECT 1 FROM unnest(${indexes}) AS i WHERE i IS NULL OR i < 1 OR i > ${length})`;

export class AccessLogLeanAppend1796300000000 implements MigrationInterface {
  name = 'AccessLogLeanAppend1796300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION clinical_access_log_append_batch(
        p_chain uuid,
        p_users uuid[], p_sessions uuid[], p_requests text[], p_clients text[], p_user_agents text[], p_operations text[], p_purposes text[],
        p_field_lists text[], p_assignment_lists text[],
        p_entry_requests integer[], p_customers uuid[], p_stores uuid[], p_subjects text[], p_record_ids text[], p_entry_fields integer[],
        p_outcomes text[], p_entry_assignments integer[], p_emergency_access_ids uuid[],
        p_request_texts text[], p_field_texts text[], p_entry_heads text[], p_entry_tails text[])
      RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        n integer := coalesce(array_length(p_entry_requests, 1), 0);
        m integer := coalesce(array_length(p_users, 1), 0);
        nf integer := coalesce(array_length(p_field_lists, 1), 0);
        na integer := coalesce(array_length(p_assignment_lists, 1), 0);
        head_seq bigint;
        head_hash bytea;
        head_at timestamptz;
        at timestamptz;
        next_seq bigint;
        prev bytea;
        prefix text;
        contents bytea[];
        first_prev bytea;
        links bytea[] := '{}';
      BEGIN
        IF n = 0 THEN RETURN 0; END IF;
        IF p_chain IS NULL
           OR ${lengthsDiffer('m', ['p_sessions', 'p_requests', 'p_clients', 'p_user_agents', 'p_operations', 'p_purposes', 'p_request_texts'])}
           OR ${lengthsDiffer('n', ['p_customers', 'p_stores', 'p_subjects', 'p_record_ids', 'p_entry_fields', 'p_outcomes', 'p_entry_assignments', 'p_emergency_access_ids', 'p_entry_heads', 'p_entry_tails'])}
           OR ${lengthsDiffer('nf', ['p_field_texts'])}
           OR array_position(p_request_texts, NULL) IS NOT NULL OR array_position(p_field_texts, NULL) IS NOT NULL
           OR array_position(p_entry_heads, NULL) IS NOT NULL OR array_position(p_entry_tails, NULL) IS NOT NULL
           OR ${outOfRange('p_entry_requests', 'm')} OR ${outOfRange('p_entry_fields', 'nf')} OR ${outOfRange('p_entry_assignments', 'na')} THEN
          RAISE EXCEPTION 'clinical_access_log_append_batch: a chain, arrays of one length per kind, the content texts, and every entry naming one of the requests, field lists and assignment lists'
            USING ERRCODE = 'invalid_parameter_value';
        END IF;
        PERFORM pg_advisory_xact_lock(hashtext('clinical_access_log_entry'), hashtext(p_chain::text));
        EXECUTE ${HEAD} INTO head_seq, head_hash, head_at USING p_chain;
        at := clock_timestamp();
        IF head_seq IS NOT NULL THEN
          next_seq := head_seq;
          prev := head_hash;
          at := greatest(at, head_at);
        ELSE
          next_seq := 0;
          prev := decode(repeat('00', 32), 'hex');
        END IF;
        -- Canonical form 2: the label, the chain and the batch's time, then the writer's pieces of the entry's text.
        prefix := clinical_access_log_canon_value('visus.clinical_access_log.v2') || clinical_access_log_canon_value(p_chain::text)
          || clinical_access_log_canon_value(((extract(epoch FROM at) * 1000000)::bigint)::text);
        SELECT array_agg(sha256(convert_to(prefix || p_request_texts[c.r] || c.head || p_field_texts[c.f] || c.tail, 'UTF8')) ORDER BY c.o) INTO contents
          FROM unnest(p_entry_requests, p_entry_fields, p_entry_heads, p_entry_tails) WITH ORDINALITY AS c(r, f, head, tail, o);
        -- The links, one after the other (seq is ASCII digits: value(seq) is its length, ':', itself, ',').
        first_prev := prev;
        FOR i IN 1..n LOOP
          prev := sha256(convert_to(length((next_seq + i)::text)::text || ':' || (next_seq + i)::text || ',', 'UTF8') || prev || contents[i]);
          links[i] := prev;
        END LOOP;
        INSERT INTO clinical_access_log_entry
          (chain_id, occurred_at, user_id, session_id, request_id, client_address, user_agent, operation_name, purpose,
           customer_id, store_id, subject, record_ids, fields, outcome, assignment_ids, emergency_access_id,
           canon_version, content_hash, seq, prev_hash, hash)
        SELECT p_chain, at, p_users[g.r], p_sessions[g.r], p_requests[g.r], p_clients[g.r], p_user_agents[g.r], p_operations[g.r], p_purposes[g.r],
               g.c, g.s, g.sub, g.rec::uuid[], p_field_lists[g.f]::text[], g.oc::access_outcome,
               p_assignment_lists[g.a]::uuid[], g.em, 2, g.content_hash, next_seq + g.o,
               CASE WHEN g.o = 1 THEN first_prev ELSE links[g.o - 1] END, g.hash
          FROM unnest(p_entry_requests, p_customers, p_stores, p_subjects, p_record_ids, p_entry_fields, p_outcomes, p_entry_assignments,
                      p_emergency_access_ids, contents, links) WITH ORDINALITY
               AS g(r, c, s, sub, rec, f, oc, a, em, content_hash, hash, o)
         ORDER BY g.o;
        RETURN n;
      END $$`);
    await queryRunner.query('DROP TRIGGER clinical_access_log_entry_chain ON clinical_access_log_entry');
    await queryRunner.query(`CREATE TRIGGER clinical_access_log_entry_chain BEFORE INSERT ON clinical_access_log_entry
        FOR EACH ROW WHEN (NOT (${APPENDED})) EXECUTE FUNCTION clinical_access_log_chain()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER clinical_access_log_entry_chain ON clinical_access_log_entry');
    await queryRunner.query(`CREATE TRIGGER clinical_access_log_entry_chain BEFORE INSERT ON clinical_access_log_entry
        FOR EACH ROW EXECUTE FUNCTION clinical_access_log_chain()`);
    await queryRunner.query(`DROP FUNCTION ${SIGNATURE}`);
  }
}
