/**
 * Part of `npm run audit:verify`: every user and session a log entry names must exist in the core database,
 * in the entry's chain of stores, the session belonging to that user (staff users, sessions and API tokens are
 * never deleted: they are kept for the trail). A request made with a service account's API token names the
 * token's id as its session (src/auth/authenticate.ts): an `api_token` of that user in that chain is accepted
 * as the session. `acceptInvitation` runs before its user has a session: its entries name the used invitation
 * (`user_invitation`) of that user in that chain as the session. An entry whose hashes verify but that names an invented user or
 * session was written with made-up identifiers by someone holding the application's database credentials
 * (the API only ever writes the signed-in principal's).
 *
 * Reads each log's distinct (chain, user, session) triples with the first seq that names them, and checks them
 * against core in batches of 1,000.
 */
import { Queryable } from './chain-report';

export interface ActorLog {
  name: string;
  table: string;
  db: Queryable;
}

export interface ActorProblem {
  log: string;
  chainId: string;
  seq: string;
  userId: string;
  sessionId: string;
}

const BATCH = 1000;

export async function unknownActors(core: Queryable, log: ActorLog): Promise<ActorProblem[]> {
  const triples = (await log.db.query(
    `SELECT chain_id::text AS "chainId", user_id::text AS "userId", session_id::text AS "sessionId", min(seq)::text AS seq
       FROM ${log.table} WHERE user_id IS NOT NULL GROUP BY chain_id, user_id, session_id ORDER BY min(seq)`,
  )) as Omit<ActorProblem, 'log'>[];
  const problems: ActorProblem[] = [];
  for (let i = 0; i < triples.length; i += BATCH) {
    const batch = triples.slice(i, i + BATCH);
    const missing = (await core.query(
      `SELECT t.i::int AS i FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) WITH ORDINALITY AS t(chain, usr, sess, i)
        WHERE NOT EXISTS (SELECT 1 FROM staff_user u WHERE u.id = t.usr AND u.chain_id = t.chain)
           OR NOT (EXISTS (SELECT 1 FROM session s WHERE s.id = t.sess AND s.user_id = t.usr AND s.chain_id = t.chain)
                OR EXISTS (SELECT 1 FROM api_token a WHERE a.id = t.sess AND a.user_id = t.usr AND a.chain_id = t.chain)
                OR EXISTS (SELECT 1 FROM user_invitation v WHERE v.id = t.sess AND v.user_id = t.usr AND v.chain_id = t.chain AND v.used_at IS NOT NULL))
        ORDER BY t.i`,
      [batch.map((t) => t.chainId), batch.map((t) => t.userId), batch.map((t) => t.sessionId)],
    )) as { i: number }[];
    for (const { i: index } of missing) problems.push({ log: log.name, ...batch[index - 1] });
  }
  return problems;
}

/** One line per log: OK, or the entries naming an unknown user or session (at most 20 listed). */
export async function verifyActors(core: Queryable, logs: ActorLog[]): Promise<{ ok: boolean; lines: string[] }> {
  const lines: string[] = [];
  let ok = true;
  for (const log of logs) {
    const problems = await unknownActors(core, log);
    if (problems.length === 0) {
      lines.push(`OK    ${log.name}: every user and session named exists in its chain`);
      continue;
    }
    ok = false;
    lines.push(`FAIL  ${log.name}: ${problems.length} (user, session) pairs named by entries do not exist in their chain`);
    for (const p of problems.slice(0, 20)) {
      lines.push(`      chain ${p.chainId} from seq ${p.seq}: user ${p.userId}, session ${p.sessionId}`);
    }
  }
  return { ok, lines };
}
