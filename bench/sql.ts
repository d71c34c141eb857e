/**
 * The direct-SQL baseline: for one event, the statements the service issues through Prisma (captured
 * from the pg driver, in the same order and number, including the repeated reads), sent with `pg`.
 * What remains between this and the HTTP figure is HTTP, Express, validation, Prisma and the machines.
 */
import type { Pool, PoolClient } from 'pg';

export interface SqlActor {
  tokenHash: string;
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
  dueAt: Date | null;
  dueEvent: string | null;
}

const NOTICE_COLUMNS = `id, exercise_id, type::text, state, requesting_country, version, last_seq, snapshot,
  published_at, expires_at, due_at, due_event, created_at, updated_at`;
const RECORD_COLUMNS = 'notice_id, country, state, version, updated_at';

/** The auth middleware's lookup: Prisma's findUnique with `include` is two queries, outside any transaction. */
async function authenticate(pool: Pool, tokenHash: string): Promise<void> {
  const { rows } = await pool.query<{ exercise_id: string }>(
    `SELECT id, exercise_id, role::text, country, token_hash, created_at, revoked_at
       FROM participants WHERE token_hash = $1 LIMIT 1`,
    [tokenHash],
  );
  if (!rows[0]) throw new Error('unknown token');
  await pool.query('SELECT id, name, sim_epoch, wall_anchor, speed, running, created_at FROM exercises WHERE id = $1', [
    rows[0].exercise_id,
  ]);
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

function insertHistory(c: PoolClient, noticeId: string, seq: number, type: string, actor: SqlActor, from: string, to: string, country: string | null, at: Date, payload: object) {
  return c.query(
    `INSERT INTO notice_events (notice_id, seq, type, actor_role, actor_country, participant_id, from_state, to_state, country, at, recorded_at, payload)
     VALUES ($1, $2, $3, $4::text::"Role", $5, $6, $7, $8, $9, $10, $11, $12)`,
    [noticeId, seq, type, actor.role, actor.country, actor.participantId, from, to, country, at, new Date(), JSON.stringify(payload)],
  );
}

/** One circulation ACKNOWLEDGE: sendCirculationEvent → visibleNotice, moveRecord, reserveSeqs, appendHistory, findRecord. */
export async function acknowledgeSql(pool: Pool, actor: SqlActor, noticeId: string, country: string): Promise<void> {
  await authenticate(pool, actor.tokenHash);
  await inTransaction(pool, async (c) => {
    const notice = (await c.query<{ state: string }>(`SELECT ${NOTICE_COLUMNS} FROM notices WHERE id = $1 LIMIT 1`, [noticeId])).rows[0];
    if (notice?.state !== 'published') throw new Error('notice not published');
    const findRecord = () => c.query<{ state: string; version: number }>(
      `SELECT ${RECORD_COLUMNS} FROM circulation_records WHERE notice_id = $1 AND country = $2 LIMIT 1`,
      [noticeId, country],
    );
    await findRecord(); // canSee: an ncb other than the requester sees the notice through its record
    const record = (await findRecord()).rows[0]; // moveRecord
    if (record?.state !== 'received') throw new Error('record not in received');
    const at = new Date();
    const moved = await c.query(
      `UPDATE circulation_records SET state = $1, version = version + 1, updated_at = $2
        WHERE notice_id = $3 AND country = $4 AND version = $5`,
      ['acknowledged', at, noticeId, country, record.version],
    );
    if (moved.rowCount !== 1) throw new Error('stale record version');
    const { rows } = await c.query<{ last_seq: number }>(
      'UPDATE notices SET last_seq = last_seq + 1, updated_at = $1 WHERE id = $2 RETURNING id, last_seq',
      [new Date(), noticeId],
    );
    await insertHistory(c, noticeId, rows[0]!.last_seq, 'ACKNOWLEDGE', actor, 'received', 'acknowledged', country, at, {});
    await findRecord(); // the record returned to the caller
  });
}

/** One APPROVE: sendEvent → visibleNotice, update (version guard), openCirculation (one multi-row INSERT), appendHistory, find. */
export async function approveSql(pool: Pool, actor: SqlActor, noticeId: string, write: ApprovedWrite, recipients: readonly string[]): Promise<void> {
  await authenticate(pool, actor.tokenHash);
  await inTransaction(pool, async (c) => {
    const notice = (await c.query<{ state: string; version: number }>(`SELECT ${NOTICE_COLUMNS} FROM notices WHERE id = $1 LIMIT 1`, [noticeId])).rows[0];
    if (notice?.state !== 'under_review') throw new Error('notice not under review');
    const at = new Date();
    const updated = await c.query<{ last_seq: number }>(
      `UPDATE notices SET state = $1, snapshot = $2, published_at = $3, expires_at = $4, due_at = $5, due_event = $6,
              version = version + 1, last_seq = last_seq + 1, updated_at = $7
        WHERE id = $8 AND version = $9 RETURNING id, last_seq, version`,
      [write.state, JSON.stringify(write.snapshot), write.publishedAt, write.expiresAt, write.dueAt, write.dueEvent, new Date(), noticeId, notice.version],
    );
    if (updated.rowCount !== 1) throw new Error('stale notice version');
    const values = recipients.flatMap((country) => [noticeId, country, 'received', 1, at, at]);
    const tuples = recipients.map((_, i) => `($${i * 6 + 1}, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, $${i * 6 + 5}, $${i * 6 + 6})`);
    await c.query(`INSERT INTO circulation_records (notice_id, country, state, version, created_at, updated_at) VALUES ${tuples.join(', ')}`, values);
    const payload = { article3Cleared: true, failingChecks: [], recipients: recipients.length };
    await insertHistory(c, noticeId, updated.rows[0]!.last_seq, 'APPROVE', actor, 'under_review', 'published', null, at, payload);
    await c.query(`SELECT ${NOTICE_COLUMNS} FROM notices WHERE id = $1 LIMIT 1`, [noticeId]);
  });
}

/** What APPROVE wrote on a notice the API approved, reused verbatim by `approveSql`. */
export async function approvedWriteOf(pool: Pool, noticeId: string): Promise<ApprovedWrite> {
  const { rows } = await pool.query<{ state: string; snapshot: unknown; published_at: Date | null; expires_at: Date | null; due_at: Date | null; due_event: string | null }>(
    'SELECT state, snapshot, published_at, expires_at, due_at, due_event FROM notices WHERE id = $1',
    [noticeId],
  );
  const row = rows[0];
  if (!row) throw new Error(`notice ${noticeId} not found`);
  return { state: row.state, snapshot: row.snapshot, publishedAt: row.published_at, expiresAt: row.expires_at, dueAt: row.due_at, dueEvent: row.due_event };
}
