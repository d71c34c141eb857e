import type { SqlQuery } from '../db/database';
import { numberPendingSql } from './exercise-positions';

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
   * per exercise here; a kick during a round is served by the next one, shared by every kick meanwhile.
   */
  kick(exerciseId: string): Promise<void>;
  /** Numbers every exercise's committed unnumbered rows: those of a process that stopped between commit and kick. */
  sweep(): Promise<void>;
}

export function createExerciseSequencer(query: SqlQuery): Sequencer {
  const running = new Map<string, Promise<void>>();
  const queued = new Map<string, Promise<void>>();

  const round = async (exerciseId: string) => {
    const call = numberPendingSql(exerciseId);
    await query(call.text, call.values);
  };

  const start = (exerciseId: string): Promise<void> => {
    const current = round(exerciseId).finally(() => {
      if (running.get(exerciseId) === current) running.delete(exerciseId);
    });
    running.set(exerciseId, current);
    return current;
  };

  const kick = (exerciseId: string): Promise<void> => {
    const next = queued.get(exerciseId);
    if (next) return next;
    const current = running.get(exerciseId);
    if (!current) return start(exerciseId);
    // The round under way may have read before this caller's commit: the next one covers it.
    const after = current
      .catch(() => undefined)
      .then(() => {
        queued.delete(exerciseId);
        return start(exerciseId);
      });
    queued.set(exerciseId, after);
    return after;
  };

  return {
    kick,
    async sweep() {
      const rows = await query<{ exercise_id: string }>(
        'SELECT DISTINCT exercise_id FROM notice_events WHERE exercise_seq IS NULL',
        [],
      );
      for (const { exercise_id } of rows) await kick(exercise_id);
    },
  };
}
