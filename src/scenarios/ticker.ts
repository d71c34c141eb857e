import type { Logger } from 'pino';
import { isDatabaseOutage } from '../db/database-errors';
import { simulatedNow } from '../exercises/clock';
import type { ExerciseService } from '../exercises/exercise-service';
import type { NoticeStore } from '../notices/notice-store-type';
import type { InjectStore } from './inject-store';
import type { Scheduler } from './scheduler';

/**
 * While exercise clocks run, deadlines and injects fall due between requests: every `intervalMs`
 * of wall time, run what is due in each exercise whose simulated now has reached something. Safe
 * from several processes at once (each deadline and inject fires once), so every server ticks.
 */
export function startTicker(
  deps: { store: NoticeStore; injects: InjectStore; scheduler: Scheduler; exercises: ExerciseService; logger: Logger },
  intervalMs = 1000,
): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  // While the database is away every tick fails the same way: one warning when it goes, one line when it is back.
  let databaseAway = false;
  const failed = (err: unknown, message: string, exerciseId?: string) => {
    if (!isDatabaseOutage(err)) {
      deps.logger.error({ err, exerciseId }, message);
      return;
    }
    if (!databaseAway) {
      const reason = err instanceof Error ? err.message : String(err);
      deps.logger.warn({ reason }, 'database unavailable: due deadlines and injects wait until it answers');
    }
    databaseAway = true;
  };
  const runFor = async (exerciseId: string) => {
    try {
      const clock = (await deps.exercises.find(exerciseId)).clock;
      const run = await deps.scheduler.runDue(exerciseId, simulatedNow(clock), clock);
      if (run.deadlinesFired || run.injectsFired || run.injectsFailed)
        deps.logger.info({ exerciseId, ...run }, 'due deadlines and injects ran');
    } catch (err) {
      // One exercise's trouble must not hold up the others'.
      failed(err, 'running due deadlines and injects failed', exerciseId);
    }
  };
  const tick = async () => {
    try {
      const wall = new Date();
      const [deadlines, injects] = await Promise.all([
        deps.store.exercisesWithDueDeadlines(wall),
        deps.injects.exercisesWithDueInjects(wall),
      ]);
      if (databaseAway) deps.logger.info('database answers again: due deadlines and injects run');
      databaseAway = false;
      for (const exerciseId of new Set([...deadlines, ...injects])) await runFor(exerciseId);
    } catch (err) {
      failed(err, 'tick failed');
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
