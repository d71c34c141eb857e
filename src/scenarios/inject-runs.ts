import type { RunScope } from '../exercises/runs';

/**
 * Injects in a reset (src/exercises/runs.ts): the new run gets the scenario's injects again, as rows of
 * its own copied from the ended run's (the same times, participants and actions; those of team-played
 * parts skipped again), so that the ended run's injects, fired or failed, stay as its report tells them.
 * The ended run's pending injects never fire: only the current run's are looked for.
 */
export const injectRunScope: RunScope = {
  async reset(tx, { exerciseId, from, to }) {
    await tx.$executeRaw`
      INSERT INTO injects (id, exercise_id, run, seq, at, participant_id, action, notice_key, status)
      SELECT gen_random_uuid(), exercise_id, ${to}, seq, at, participant_id, action, notice_key,
             CASE WHEN status = 'skipped' THEN 'skipped'::"InjectStatus" ELSE 'pending'::"InjectStatus" END
        FROM injects WHERE exercise_id = ${exerciseId}::uuid AND run = ${from}`;
  },
};
