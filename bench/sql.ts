/**
 * The direct-SQL baseline: for one event, the statements the service issues (through Prisma, or its own
 * executor on the hot path; captured from the pg driver with bench/trace.ts, in the same order and number),
 * sent with `pg`. If the service's queries change, change these to match.
 * What remains between this and the HTTP figure is HTTP, Express, validation, Prisma and the machines.
 */
import type { Pool, PoolClient } from 'pg';

export interface SqlActor {
  tokenHash: string;
  exerciseId: string;
  participantId: string;
  role: 'ncb' | 'gs';
  country: string | null;
}

/** The columns APPROVE writes on the notice, copied from a notice the API approved so sizes match. */
export interface ApprovedWrite {
  state: string;
  snapshot: unknown;
  publishedAt: Date | null;
  expiresAt: Date | null;
  /** The notice's own deadlines after APPROVE (its renewal window). */
  deadlines: { event: string; dueAt: Date }[];
}

/** tx.lock: every transaction on a notice starts by reading and locking its row, with its exercise's clock. */
const NOTICE_COLUMNS = `n.id, n.exercise_id AS "exerciseId", n.type::text AS type, n.state,
  n.requesting_country AS "requestingCountry", n.version, n.snapshot, n.recipients,
  n.published_at AS "publishedAt", n.expires_at AS "expiresAt", n.created_at AS "createdAt", n.updated_at AS "updatedAt"`;

const LOCK_NOTICE = `SELECT ${NOTICE_COLUMNS}, e.sim_epoch AS "simEpoch", e.wall_anchor AS "wallAnchor", e.speed, e.running
  FROM notices n JOIN exercises e ON e.id = n.exercise_id WHERE n.id = $1::uuid FOR UPDATE OF n`;

/**
 * The auth middleware of the routes other than a record's event: a token the process has seen comes
 * from its identity cache (src/exercises/identity-cache.ts), and only the exercise's clock is read, by
 * primary key.
 */
async function authenticate(pool: Pool, actor: SqlActor): Promise<void> {
  const { rows } = await pool.query(
    'SELECT sim_epoch, wall_anchor, speed, running, freeze_while_paused FROM exercises WHERE id = $1::uuid',
    [actor.exerciseId],
  );
  if (!rows[0]) throw new Error('unknown exercise');
}

/** After each write, the exercise's sequencer numbers the committed rows (src/exercises/exercise-sequencer.ts). */
async function numberEvents(pool: Pool, exerciseId: string): Promise<void> {
  await pool.query('SELECT number_exercise_events($1::uuid)', [exerciseId]);
}

/** BEGIN … COMMIT on one pooled connection, as Prisma's interactive transaction does. */
async function inTransaction<T>(pool: Pool, work: (c: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function insertHistory(c: PoolClient, exerciseId: string, noticeId: string, seq: number, type: string, actor: SqlActor, from: string, to: string, country: string | null, at: Date, payload: object) {
  return c.query(
    `WITH x AS (SELECT id FROM exercises WHERE id = $13::uuid FOR KEY SHARE)
     INSERT INTO notice_events (notice_id, seq, type, actor_role, actor_country, participant_id, from_state, to_state, country, at, recorded_at, payload, exercise_id, exercise_seq)
     SELECT $1, $2, $3, $4::text::"Role", $5, $6, $7, $8, $9, $10, $11, $12, x.id, NULL FROM x`,
    [noticeId, seq, type, actor.role, actor.country, actor.participantId, from, to, country, at, new Date(), JSON.stringify(payload), exerciseId],
  );
}

/**
 * One circulation ACKNOWLEDGE: sendCirculationEvent → runOnRecord (src/notices/record-hot-path.ts):
 * nothing read to authenticate (the identity cached; the clock comes with the notice), one read of
 * the notice, its clock and the record without a lock, then one statement in autocommit that moves
 * the record only while the notice's version and run and the record's version hold.
 */
export async function acknowledgeSql(pool: Pool, actor: SqlActor, noticeId: string, country: string): Promise<void> {
  const read = (
    await pool.query<{ state: string; version: number; run: number; recordState: string | null; recordVersion: number | null }>(
      `SELECT ${NOTICE_COLUMNS}, n.run, e.sim_epoch AS "simEpoch", e.wall_anchor AS "wallAnchor", e.speed, e.running,
              c.state AS "recordState", c.version AS "recordVersion", c.updated_at AS "recordAt"
         FROM notices n JOIN exercises e ON e.id = n.exercise_id
         LEFT JOIN circulation_records c ON c.notice_id = n.id AND c.country = $2
        WHERE n.id = $1::uuid`,
      [noticeId, country],
    )
  ).rows[0];
  if (read?.state !== 'published') throw new Error('notice not published');
  // No row yet: the country's first event, on its unacted record (received, version 1).
  const record = { state: read.recordState ?? 'received', version: read.recordVersion ?? 1 };
  if (record.state !== 'received') throw new Error('record not in received');
  const at = new Date();
  await pool.query(
    `WITH n AS (
       UPDATE notices SET last_seq = last_seq + 1 WHERE id = $3::uuid AND version = $15 AND run = $16
       RETURNING id, last_seq, exercise_id, run
     ), r AS (
       INSERT INTO circulation_records AS c (notice_id, country, state, version, created_at, updated_at)
       SELECT n.id, $4, $1, $5::int + 1, $2::timestamptz, $2::timestamptz FROM n
       ON CONFLICT (notice_id, country) DO UPDATE
         SET state = EXCLUDED.state, version = c.version + 1, updated_at = EXCLUDED.updated_at
         WHERE c.version = $5
       RETURNING notice_id
     ), x AS (
       SELECT id AS exercise_id, NULL::bigint AS position, run FROM exercises
        WHERE id = (SELECT n.exercise_id FROM n JOIN r ON r.notice_id = n.id) AND run = (SELECT run FROM n)
        FOR KEY SHARE
     ), h AS (
       INSERT INTO notice_events (notice_id, seq, type, actor_role, actor_country, participant_id, from_state, to_state, country, at, payload, exercise_id, exercise_seq)
       SELECT n.id, n.last_seq, $6, $7::"Role", $8, $9::uuid, $10, $11, $12, $13, $14::jsonb, x.exercise_id, x.position FROM n, x
       RETURNING 1
     )
     SELECT 1 / (SELECT count(*)::int FROM h) AS written`,
    ['acknowledged', at, noticeId, country, record.version, 'ACKNOWLEDGE', actor.role, actor.country, actor.participantId,
      'received', 'acknowledged', country, at, '{}', read.version, read.run],
  );
  await numberEvents(pool, actor.exerciseId);
}

/**
 * One APPROVE: sendEvent → the notice as it arrived, then lock, update (version guard, returns the row),
 * its deadline rows replaced, and its history row. No circulation rows: a record becomes a row when its
 * country first acts (src/notices/recipient-records.ts).
 */
export async function approveSql(pool: Pool, actor: SqlActor, noticeId: string, write: ApprovedWrite, recipients: readonly string[]): Promise<void> {
  await authenticate(pool, actor);
  // The notice as the request arrived, outside the transaction (optimistic concurrency).
  const arrived = (await pool.query<{ version: number }>(`SELECT ${NOTICE_COLUMNS} FROM notices n WHERE n.id = $1::uuid`, [noticeId])).rows[0];
  await inTransaction(pool, async (c) => {
    const notice = (await c.query<{ state: string; version: number }>(LOCK_NOTICE, [noticeId])).rows[0];
    if (notice?.state !== 'under_review' || notice.version !== arrived?.version) throw new Error('notice not under review');
    const at = new Date();
    const updated = await c.query<{ lastSeq: number; exerciseId: string }>(
      `UPDATE notices n SET state = $1, snapshot = $2::jsonb, published_at = $3, expires_at = $4,
              version = version + 1, last_seq = last_seq + 1, updated_at = now()
        WHERE n.id = $5::uuid AND n.version = $6 RETURNING ${NOTICE_COLUMNS}, n.last_seq AS "lastSeq"`,
      [write.state, JSON.stringify(write.snapshot), write.publishedAt, write.expiresAt, noticeId, notice.version],
    );
    if (updated.rowCount !== 1) throw new Error('stale notice version');
    const { exerciseId, lastSeq } = updated.rows[0]!;
    await c.query(
      `WITH gone AS (DELETE FROM deadlines WHERE notice_id = $2::uuid AND country IS NULL)
       INSERT INTO deadlines (exercise_id, notice_id, event, due_at)
       SELECT $1::uuid, $2::uuid, d.event, d.due_at::timestamptz FROM unnest($3::text[], $4::text[]) AS d(event, due_at)`,
      [exerciseId, noticeId, write.deadlines.map((d) => d.event), write.deadlines.map((d) => d.dueAt.toISOString())],
    );
    const payload = { article3Cleared: true, failingChecks: [], recipientCount: recipients.length };
    await insertHistory(c, exerciseId, noticeId, lastSeq, 'APPROVE', actor, 'under_review', 'published', null, at, payload);
  });
  await numberEvents(pool, actor.exerciseId);
}

/** What APPROVE wrote on a notice the API approved, reused verbatim by `approveSql`. */
export async function approvedWriteOf(pool: Pool, noticeId: string): Promise<ApprovedWrite> {
  const { rows } = await pool.query<{ state: string; snapshot: unknown; published_at: Date | null; expires_at: Date | null }>(
    'SELECT state, snapshot, published_at, expires_at FROM notices WHERE id = $1',
    [noticeId],
  );
  const row = rows[0];
  if (!row) throw new Error(`notice ${noticeId} not found`);
  const deadlines = await pool.query<{ event: string; due_at: Date }>('SELECT event, due_at FROM deadlines WHERE notice_id = $1', [noticeId]);
  return {
    state: row.state,
    snapshot: row.snapshot,
    publishedAt: row.published_at,
    expiresAt: row.expires_at,
    deadlines: deadlines.rows.map((d) => ({ event: d.event, dueAt: d.due_at })),
  };
}
