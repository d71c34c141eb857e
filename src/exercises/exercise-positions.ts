import { Prisma } from '../generated/prisma/client';

/**
 * Every change in an exercise, of any subject (a notice, one of its records, later a database record
 * or a message), takes the exercise's next position: its number in the exercise's history, the live
 * stream's id. Taking it locks the exercise's row until the transaction commits, so positions are
 * gap-free and commit in order: nothing can later be inserted before a position a client has seen.
 * It is the last lock a transaction takes, so no lock cycle forms.
 *
 * This is the body of a CTE returning `exercise_id` and `position`; `exerciseId` is an SQL expression.
 */
export function takePositionSql(exerciseId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`UPDATE exercises SET last_event_seq = last_event_seq + 1 WHERE id = ${exerciseId}
    RETURNING id AS exercise_id, last_event_seq AS position`;
}
