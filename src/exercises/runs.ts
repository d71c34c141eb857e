/**
 * Runs. A reset starts an exercise's next run; the history stays append-only, so what the earlier
 * runs did stays, readable and read-only. Every run-scoped subject follows one convention:
 *
 * - its table has a `run` column (default 1), taken from `exercises.run` under the exercise row's
 *   lock when the row is written (notices: in `create`; injects: scheduled or copied by the reset);
 * - a change to it goes through `takePositionSql(exerciseId, run)` (its history row's place, numbered
 *   after commit), which finds no row once a reset has moved the exercise to another run, so an
 *   earlier run's rows cannot change; the change is refused up front with `EarlierRunError`;
 * - its lists read one run: the current one, or the one `?run=N` names (`RunQuery`, resolved by
 *   `ExerciseService.runOf`);
 * - it takes part in the reset through a `RunScope`. The scopes are listed in `buildServices`
 *   (src/server.ts): that is where a new subject (database records, diffusions, messages) hooks in.
 *
 * Notices carry the run for everything that hangs off them: their history, circulation records and
 * deadlines.
 */
import { z } from 'zod';
import type { Tx } from '../db/transaction';
import { AppError } from '../kernel/errors';
import type { ExerciseClock } from './clock';

/** A run-scoped subject's part in a reset, run in the reset's one transaction. */
export interface RunScope {
  /**
   * Before the exercise row is locked: lock the rows of run `run` that this subject's writers lock
   * before they take the exercise's position (a notice's row), so that the reset waits for changes in
   * flight, and they for it, without a lock cycle.
   */
  lock?(tx: Tx, exerciseId: string, run: number): Promise<void>;
  /**
   * Under the exercise row's lock, once the exercise is on run `to`: end run `from` (nothing of it
   * may fire from now on) and set up run `to` (injects pending again).
   */
  reset(tx: Tx, change: { exerciseId: string; from: number; to: number; clock: ExerciseClock }): Promise<void>;
}

/** The run a read names (`?run=N`: 1 to the current one, 400 otherwise), or the exercise's current run. */
export type RunOf = (exerciseId: string, requested?: number) => Promise<number>;

/** `?run=N`: an earlier run to read (1 to the current one); the current run when left out. */
export const RunQueryField = z
  .string()
  .regex(/^[1-9]\d{0,8}$/, 'must be a run number, a whole number from 1')
  .transform(Number)
  .optional()
  .meta({
    description:
      'the run to read (a reset starts the next): must be from 1 to the exercise’s current run, <current>; ' +
      'the current run when left out',
  });

/** The run's number is past the current one: a 400 naming the field. */
export const runOutOfRange = (current: number) => `must be from 1 to the exercise’s current run, "${current}"`;

/** A change to a row of a run that a reset has ended. */
export class EarlierRunError extends AppError {
  constructor(what: string, run: number, currentRun: number | null) {
    super(
      'EARLIER_RUN',
      `This ${what} belongs to run ${run} of the exercise, which a reset has ended` +
        `${currentRun === null ? '' : ` (the exercise is on run ${currentRun})`}: an earlier run is read-only`,
      { run, ...(currentRun !== null && { currentRun }) },
    );
  }
}
