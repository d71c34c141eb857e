import type { Logger } from 'pino';
import { simulatedNow } from '../exercises/clock';
import type { ExerciseService } from '../exercises/exercise-service';
import type { NoticeService } from './notice-service';
import type { NoticeStore } from './notice-store-type';

/**
 * While exercise clocks run, deadlines fall due between requests: every `intervalMs` of wall time,
 * fire those of each exercise whose simulated now has reached one. Firing is safe from several
 * processes at once (each deadline is checked under its notice's lock), so every server ticks.
 */
export function startDeadlineTicker(
  deps: { store: NoticeStore; notices: NoticeService; exercises: ExerciseService; logger: Logger },
  intervalMs = 1000,
): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = async () => {
    for (const exerciseId of await deps.store.exercisesWithDueDeadlines(new Date())) {
      const fired = await deps.notices.fireDueDeadlines(exerciseId, simulatedNow(await deps.exercises.clockOf(exerciseId)));
      if (fired) deps.logger.info({ exerciseId, fired }, 'deadlines fired');
    }
  };
  const timer = setInterval(() => {
    // One tick at a time; a slow one delays the next rather than overlapping it.
    running = running.then(() => (stopped ? undefined : tick())).catch((err: unknown) => deps.logger.error({ err }, 'deadline tick failed'));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
