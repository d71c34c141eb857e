import type { SqlQuery } from '../db/database';
import { numberPendingOfSql, numberPendingSql } from './exercise-positions';

/**
 * Numbers an exercise's history rows after they commit (exercise-positions.ts). A round is one call of
 * the database function `number_exercise_events` (its migration), one round trip and one commit: lock
 * the exercise's counter, then in a statement of its own (seeing every row committed
 * by then, including what the lock's previous holder numbered) number the committed unnumbered rows in
 * id order from the counter on, move it, and send `exercise_events` so that every process's streams
 * read on. Processes serialise on the counter's lock, so positions stay gap-free across them; rows still
 * in flight are not seen yet and get later positions once committed, so nothing is ever numbered below a
 * position a client has read.
 */
export interface Sequencer {
  /**
   * Numbers what the exercise has committed so far: resolves once a round that started after this call
   * has finished, so a writer that kicks after its commit finds its rows numbered. One round at a time
   * in this process, for all its exercises; a kick during a round is served by the next one, shared by
   * every kick meanwhile, of whichever exercise.
   */
  kick(exerciseId: string): Promise<void>;
  /** Numbers every exercise's committed unnumbered rows: those of a process that stopped between commit and kick. */
  sweep(): Promise<void>;
}

export function createExerciseSequencer(query: SqlQuery): Sequencer {
  // One round at a time in this process, for every exercise kicked since the round before began: with
  // many exercises at once, one round trip and one commit number the writes of several of them.
  let running: Promise<void> | null = null;
  let next: { exerciseIds: Set<string>; done: Promise<void> } | null = null;

  const round = async (exerciseIds: ReadonlySet<string>) => {
    const call =
      exerciseIds.size === 1 ? numberPendingSql([...exerciseIds][0]!) : numberPendingOfSql([...exerciseIds].sort());
    await query(call.text, call.values);
  };

  const start = (exerciseIds: ReadonlySet<string>): Promise<void> => {
    const current = round(exerciseIds).finally(() => {
      if (running === current) running = null;
    });
    running = current;
    return current;
  };

  const kick = (exerciseId: string): Promise<void> => {
    if (next) {
      next.exerciseIds.add(exerciseId);
      return next.done;
    }
    if (!running) return start(new Set([exerciseId]));
    // The round under way may have read before this caller's commit: the next one covers it.
    const exerciseIds = new Set([exerciseId]);
    const done = running
      .catch(() => undefined)
      .then(() => {
        next = null;
        return start(exerciseIds);
      });
    next = { exerciseIds, done };
    return done;
  };

  return {
    kick,
    async sweep() {
      const rows = await query<{ exercise_id: string }>(
        `SELECT exercise_id FROM notice_events WHERE exercise_seq IS NULL
          UNION SELECT exercise_id FROM record_events WHERE exercise_seq IS NULL
          UNION SELECT exercise_id FROM hits WHERE exercise_seq IS NULL
          UNION SELECT exercise_id FROM messages WHERE exercise_seq IS NULL
          UNION SELECT exercise_id FROM message_reads WHERE exercise_seq IS NULL`,
        [],
      );
      await Promise.all(rows.map(({ exercise_id }) => kick(exercise_id)));
    },
  };
}
