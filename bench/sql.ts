/**
 * The direct-SQL baseline: for one event, the statements the service issues (through Prisma, or its own
 * executor on the hot path; captured from the pg driver with bench/trace.ts, in the same order and number),
 * sent with `pg`. If the service's queries change, change these to match.
 * What remains between this and the HTTP figure is HTTP, Express, validation, Prisma and the machines.
 */
import type { Pool } from 'pg';

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

/** The notice columns every read of the app takes (src/notices/notice-rows.ts). */
const NOTICE_COLUMNS = `n.id, n.exercise_id AS "exerciseId", n.type::text AS type, n.state,
  n.requesting_country AS "requestingCountry", n.run,
  (SELECT r.run FROM exercises r WHERE r.id = n.exercise_id) AS "exerciseRun", n.version, n.snapshot, n.recipients,
  n.published_at AS "publishedAt", n.expires_at AS "expiresAt", n.last_event_at AS "lastEventAt",
  n.created_at AS "createdAt", n.updated_at AS "updatedAt"`;

/** The exercise's clock, read with a notice (CLOCK_COLUMNS there). */
const CLOCK_COLUMNS = `e.sim_epoch AS "simEpoch", e.wall_anchor AS "wallAnchor", e.speed, e.running,
  e.freeze_while_paused AS "freezeWhilePaused"`;

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

/**
 * One circulation ACKNOWLEDGE: sendCirculationEvent → runOnRecord (src/notices/record-hot-path.ts):
 * nothing read to authenticate (the identity cached; the clock comes with the notice), one read of
 * the notice, its clock and the record without a lock, then one statement in autocommit that moves
 * the record only while the notice's version and run and the record's version hold.
 */
export async function acknowledgeSql(pool: Pool, actor: SqlActor, noticeId: string, country: string): Promise<void> {
  const read = (
    await pool.query<{ state: string; version: number; run: number; recordState: string | null; recordVersion: number | null }>(
      `SELECT ${NOTICE_COLUMNS}, ${CLOCK_COLUMNS}, c.state AS "recordState", c.version AS "recordVersion", c.updated_at AS "recordAt"
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
 * One APPROVE: sendEvent → runOnNotice (src/notices/notice-hot-path.ts): one read of the notice and its
 * clock without a lock, then one statement in autocommit that writes the notice only at the version and
 * run read, replaces its deadline rows, holds the exercise FOR KEY SHARE and appends the history row. No
 * circulation rows: a record becomes a row when its country first acts (src/notices/recipient-records.ts).
 */
export async function approveSql(pool: Pool, actor: SqlActor, noticeId: string, write: ApprovedWrite, recipients: readonly string[]): Promise<void> {
  await authenticate(pool, actor);
  const read = (
    await pool.query<{ state: string; version: number; run: number }>(
      `SELECT ${NOTICE_COLUMNS}, ${CLOCK_COLUMNS}
         FROM notices n JOIN exercises e ON e.id = n.exercise_id WHERE n.id = $1::uuid`,
      [noticeId],
    )
  ).rows[0];
  if (read?.state !== 'under_review') throw new Error('notice not under review');
  const at = new Date();
  const payload = { article3Cleared: true, failingChecks: [], recipientCount: recipients.length };
  await pool.query(
    `WITH n AS (
       UPDATE notices n SET state = $1, snapshot = $2::jsonb, published_at = $3::timestamptz, expires_at = $4::timestamptz,
              last_event_at = $5::timestamptz, version = version + 1, last_seq = last_seq + 1, updated_at = now()
        WHERE n.id = $6::uuid AND n.version = $7 AND n.run = $8
       RETURNING ${NOTICE_COLUMNS}, n.last_seq AS "lastSeq"
     ), gone AS (
       DELETE FROM deadlines WHERE notice_id = (SELECT id FROM n) AND country IS NULL
     ), due AS (
       INSERT INTO deadlines (exercise_id, notice_id, event, due_at)
       SELECT n."exerciseId", n.id, d.event, d.due_at::timestamptz FROM n, unnest($9::text[], $10::text[]) AS d(event, due_at)
     ), x AS (
       SELECT id AS exercise_id, NULL::bigint AS position, run FROM exercises
        WHERE id = (SELECT "exerciseId" FROM n) AND run = (SELECT run FROM n) FOR KEY SHARE
     ), e AS (
       INSERT INTO notice_events (notice_id, seq, type, actor_role, actor_country, participant_id, from_state, to_state, country, at, payload, exercise_id, exercise_seq)
       SELECT n.id, n."lastSeq", $11, $12::"Role", $13, $14::uuid, $15, $16, NULL, $5::timestamptz, $17::jsonb, x.exercise_id, x.position FROM n, x
       RETURNING 1
     )
     SELECT n.*, 1 / (SELECT count(*)::int FROM e) AS written FROM (SELECT 1) AS one LEFT JOIN n ON true`,
    [write.state, JSON.stringify(write.snapshot), write.publishedAt, write.expiresAt, at, noticeId, read.version, read.run,
      write.deadlines.map((d) => d.event), write.deadlines.map((d) => d.dueAt.toISOString()),
      'APPROVE', actor.role, actor.country, actor.participantId, 'under_review', 'published', JSON.stringify(payload)],
  );
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
