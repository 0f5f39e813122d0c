/**
 * SQL shared by the migrations of both databases that date change log entries by the database's clock
 * (core *ChangeLogClock, clinical *AuditLogClock): each change log's chain trigger function.
 */
/** The change log's chain trigger function: lock, head, date (database clock, never before the head), link. */
export function changeLogChainFunction(log: 'clinical_change_log' | 'personal_change_log'): string {
  return `CREATE OR REPLACE FUNCTION ${log}_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE head record;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('${log}_entry'), hashtext(NEW.chain_id::text));
        SELECT seq, hash, occurred_at INTO head FROM ${log}_entry WHERE chain_id = NEW.chain_id ORDER BY seq DESC LIMIT 1;
        IF NOT pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
          -- The application role: dated by the database's clock under the lock, whatever it supplied.
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
        NEW.hash := sha256(${log}_canonical(NEW));
        RETURN NEW;
      END $$`;
}
