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
  let running: Promise<void> | null = null;
  const fireFor = async (exerciseId: string) => {
    try {
      const fired = await deps.notices.fireDueDeadlines(exerciseId, simulatedNow(await deps.exercises.clockOf(exerciseId)));
      if (fired) deps.logger.info({ exerciseId, fired }, 'deadlines fired');
    } catch (err) {
      // One exercise's trouble must not hold up the others'.
      deps.logger.error({ err, exerciseId }, 'firing deadlines failed');
    }
  };
  const tick = async () => {
    try {
      for (const exerciseId of await deps.store.exercisesWithDueDeadlines(new Date())) await fireFor(exerciseId);
    } catch (err) {
      deps.logger.error({ err }, 'deadline tick failed');
    }
  };
  const timer = setInterval(() => {
    // A tick still running (a large catch-up, a slow database) is not joined by another.
    if (running) return;
    running = tick().finally(() => {
      running = null;
    });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
