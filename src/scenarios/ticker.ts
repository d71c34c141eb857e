import type { Logger } from 'pino';
import { isDatabaseOutage } from '../db/database-errors';
import { clockProblem, simulatedNow, type ExerciseClock } from '../exercises/clock';
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
  deps: {
    store: NoticeStore;
    injects: InjectStore;
    scheduler: Scheduler;
    exercises: ExerciseService;
    logger: Logger;
    /** Numbers history rows a process left unnumbered when it stopped between a commit and its sequencer. */
    sweep?: () => Promise<void>;
  },
  intervalMs = 1000,
): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  // Exercises whose clock cannot be read, each said once (and again once it can be read and breaks anew).
  const unreadable = new Set<string>();
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
  const runFor = async (exerciseId: string, clock: ExerciseClock, wall: Date) => {
    try {
      const run = await deps.scheduler.runDue(exerciseId, simulatedNow(clock, wall), clock);
      if (run.deadlinesFired || run.injectsFired || run.injectsFailed)
        deps.logger.info({ exerciseId, ...run }, 'due deadlines and injects ran');
    } catch (err) {
      // One exercise's trouble must not hold up the others'.
      failed(err, 'running due deadlines and injects failed', exerciseId);
    }
  };
  const tick = async () => {
    try {
      await deps.sweep?.();
    } catch (err) {
      // Numbering left-overs must not hold up the deadlines and injects.
      failed(err, 'numbering unnumbered events failed');
    }
    try {
      const wall = new Date();
      // Each exercise's next deadline and inject, compared with its own clock here: the one formula
      // for simulated time (simulatedNow), and no arithmetic in SQL that one clock could make fail
      // for every exercise at once.
      const [deadlines, injects] = await Promise.all([
        deps.store.earliestDeadlines(),
        deps.injects.earliestPendingInjects(),
      ]);
      const next = new Map(deadlines);
      for (const [id, at] of injects) if (!next.has(id) || at < next.get(id)!) next.set(id, at);
      const clocks = await deps.exercises.clocksOf([...next.keys()]);
      if (databaseAway) deps.logger.info('database answers again: due deadlines and injects run');
      databaseAway = false;
      for (const [exerciseId, dueAt] of next) {
        const clock = clocks.get(exerciseId);
        if (!clock) continue;
        const problem = clockProblem(clock);
        if (problem) {
          if (!unreadable.has(exerciseId))
            deps.logger.error(
              { exerciseId, problem },
              'exercise clock unreadable: its deadlines and injects are skipped',
            );
          unreadable.add(exerciseId);
          continue;
        }
        unreadable.delete(exerciseId);
        // Paused clocks count too: a deadline left due by a clock action that failed half-way still fires.
        if (simulatedNow(clock, wall) >= dueAt) await runFor(exerciseId, clock, wall);
      }
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
