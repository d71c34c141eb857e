/**
 * The fixed baseline (issue 14): the smallest transaction of an event's shape, written once and never
 * changed to follow the app's SQL, so that it measures the machine rather than the app. On tables of
 * its own (`bench_fixed_*`), sent with `pg` at the same concurrency in the same run:
 *
 *   BEGIN; SELECT … FOR UPDATE (the notice row); UPDATE (its state, version and snapshot);
 *   INSERT (one history row); COMMIT
 *
 * The notices carry a snapshot copied from one the API published, so row sizes match the app's.
 */
import type { Pool } from 'pg';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS bench_fixed_notices (
    id uuid PRIMARY KEY, state text NOT NULL, version integer NOT NULL, snapshot jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now());
  CREATE TABLE IF NOT EXISTS bench_fixed_events (
    id bigserial PRIMARY KEY, notice_id uuid NOT NULL REFERENCES bench_fixed_notices (id), seq integer NOT NULL,
    type text NOT NULL, payload jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now(), UNIQUE (notice_id, seq));`;

/** Makes `count` notices for the fixed script, each with `snapshot`; returns their ids. */
export async function prepareFixed(pool: Pool, count: number, snapshot: unknown): Promise<string[]> {
  await pool.query(SCHEMA);
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO bench_fixed_notices (id, state, version, snapshot)
     SELECT gen_random_uuid(), 'published', 1, $2::jsonb FROM generate_series(1, $1) RETURNING id`,
    [count, JSON.stringify(snapshot)],
  );
  return rows.map((r) => r.id);
}

/** One event of the fixed script on notice `id`. */
export async function fixedEvent(pool: Pool, id: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ version: number; snapshot: unknown }>(
      'SELECT version, snapshot FROM bench_fixed_notices WHERE id = $1 FOR UPDATE',
      [id],
    );
    const version = rows[0]!.version + 1;
    await client.query(
      'UPDATE bench_fixed_notices SET state = $2, version = $3, snapshot = $4, updated_at = now() WHERE id = $1',
      [id, 'published', version, rows[0]!.snapshot],
    );
    await client.query(
      'INSERT INTO bench_fixed_events (notice_id, seq, type, payload) VALUES ($1, $2, $3, $4)',
      [id, version, 'ACKNOWLEDGE', { country: 'FR' }],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
