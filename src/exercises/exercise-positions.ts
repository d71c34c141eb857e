import { Prisma } from '../generated/prisma/client';

/**
 * Every change in an exercise, of any subject (a notice, one of its records, later a database record
 * or a message), gets a position: its number in the exercise's history, the live stream's id.
 * Positions are given after commit, in commit order, by the exercise's sequencer
 * (exercise-sequencer.ts): a writing transaction inserts its history rows unnumbered and holds no
 * lock that another writer of the exercise waits for, so writers of one exercise do not queue on one
 * row through their commits. Rows are numbered only once committed, so nothing is ever numbered
 * below a position a client has seen: the positions are gap-free and the stream misses nothing.
 *
 * A change to a run-scoped subject passes the run its row belongs to: once a reset has moved the
 * exercise to another run, the CTE has no row, so an earlier run's rows cannot change
 * (src/exercises/runs.ts). The exercise row is held FOR KEY SHARE until commit: writers share it, and a
 * reset (which takes it FOR UPDATE) waits for them, so no writer of the old run commits after a reset.
 *
 * This is the body of a CTE returning `exercise_id`, `position` (NULL until the sequencer numbers it)
 * and `run`; `exerciseId` and `run` are SQL expressions.
 */
export function takePositionSql(exerciseId: Prisma.Sql, run?: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`SELECT id AS exercise_id, NULL::bigint AS position, run FROM exercises
     WHERE id = ${exerciseId} ${run === undefined ? Prisma.empty : Prisma.sql`AND run = ${run}`}
     FOR KEY SHARE`;
}

/** One round of the sequencer, in one call (the function's latest form: migration 20261206214658_messages). */
export const numberPendingSql = (exerciseId: string): Prisma.Sql =>
  Prisma.sql`SELECT number_exercise_events(${exerciseId}::uuid) AS numbered`;

/**
 * One round for several exercises in one statement: the function called for each in turn, in the
 * order given (callers sort the ids, so that two rounds never take the counters' locks in opposite
 * orders), each lock then held to the statement's commit.
 */
export const numberPendingOfSql = (exerciseIds: readonly string[]): Prisma.Sql =>
  Prisma.sql`SELECT sum(number_exercise_events(id))::int AS numbered FROM unnest(${exerciseIds}::uuid[]) AS id`;
