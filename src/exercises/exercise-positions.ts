import { Prisma } from '../generated/prisma/client';

/**
 * Every change in an exercise, of any subject (a notice, one of its records, later a database record
 * or a message), takes the exercise's next position: its number in the exercise's history, the live
 * stream's id. Taking it locks the exercise's row until the transaction commits, so positions are
 * gap-free and commit in order: nothing can later be inserted before a position a client has seen.
 * It is the last lock a transaction takes, so no lock cycle forms.
 *
 * A change to a run-scoped subject passes the run its row belongs to: once a reset has moved the
 * exercise to another run, no position is given (the CTE has no row), so an earlier run's rows cannot
 * change (src/exercises/runs.ts).
 *
 * This is the body of a CTE returning `exercise_id`, `position` and `run`; `exerciseId` and `run` are SQL
 * expressions.
 */
export function takePositionSql(exerciseId: Prisma.Sql, run?: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`UPDATE exercises SET last_event_seq = last_event_seq + 1
     WHERE id = ${exerciseId} ${run === undefined ? Prisma.empty : Prisma.sql`AND run = ${run}`}
    RETURNING id AS exercise_id, last_event_seq AS position, run`;
}
