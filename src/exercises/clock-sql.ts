import { Prisma } from '../generated/prisma/client';
import { END_OF_TIME_MS } from './clock';

/**
 * An exercise's simulated now at wall time `wallNow`, in epoch seconds, as `simulatedNow()` computes
 * it: in seconds so a high speed cannot overflow an interval, capped at the end of year 9999. `e` is
 * the exercises row.
 */
export function simulatedNowEpochSql(wallNow: Date): Prisma.Sql {
  return Prisma.sql`LEAST(
    extract(epoch FROM e.sim_epoch)
      + CASE WHEN e.running
             THEN GREATEST(0, extract(epoch FROM (${wallNow}::timestamptz - e.wall_anchor))) * e.speed
             ELSE 0 END,
    ${END_OF_TIME_MS / 1000})`;
}
