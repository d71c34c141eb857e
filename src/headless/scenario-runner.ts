import { Duration } from 'luxon';
import { addIsoDuration, END_OF_TIME_MS, simulatedNow } from '../exercises/clock';
import type { ExerciseService } from '../exercises/exercise-service';
import type { ExerciseReport } from '../reports/report-schema';
import type { ReportService } from '../reports/report-service';
import type { InjectStore } from '../scenarios/inject-store';
import { createScenarioExercise } from '../scenarios/scenario-exercises';
import type { Scenario } from '../scenarios/scenario-schema';
import type { Scheduler } from '../scenarios/scheduler';

export interface RunProgress {
  /** Simulated now. */
  now: Date;
  injectsDone: number;
  injectsTotal: number;
  deadlinesFired: number;
}

export interface RunResult {
  exerciseId: string;
  facilitatorToken: string;
  report: ExerciseReport;
  /** Clock jumps taken. */
  steps: number;
}

/** A run stops here at the latest, whatever is still scheduled: a guard against a runaway scenario. */
export const DEFAULT_HORIZON = 'P20Y';

/**
 * Runs a scenario headless: every part scripted, the clock jumping from one due inject or deadline
 * to the next (and, at the end, past the last expectation still open, so it ends met or missed).
 * Everything happens through the same services, and so the same transition path, as a live exercise.
 */
export async function runScenario(
  services: { exercises: ExerciseService; injects: InjectStore; scheduler: Scheduler; reports: ReportService },
  scenario: Scenario,
  options: { name?: string; horizon?: string; onProgress?: (progress: RunProgress) => void } = {},
): Promise<RunResult> {
  const { exercises, scheduler, reports } = services;
  const created = await createScenarioExercise(services, scenario, { name: options.name });
  const exerciseId = created.exercise.id;
  const facilitator = await exercises.authenticate(created.facilitatorToken);
  if (!facilitator) throw new Error('the new exercise’s facilitator token does not authenticate');
  // Never past the clock's own end: a jump there could not move the clock.
  const horizon = Math.min(
    addIsoDuration(new Date(scenario.start), options.horizon ?? DEFAULT_HORIZON).getTime(),
    END_OF_TIME_MS,
  );
  const progress: RunProgress = {
    now: created.clock.simEpoch,
    injectsDone: 0,
    injectsTotal: created.injects.scheduled,
    deadlinesFired: 0,
  };

  let clock = created.clock;
  const runTo = async (now: Date) => {
    const run = await scheduler.runDue(exerciseId, now, clock);
    progress.injectsDone += run.injectsFired + run.injectsFailed;
    progress.deadlinesFired += run.deadlinesFired;
    progress.now = now;
    options.onProgress?.({ ...progress });
  };
  const jumpTo = async (at: Date) => {
    const by = Duration.fromMillis(at.getTime() - simulatedNow(clock).getTime()).toISO();
    clock = await exercises.actOnClock(facilitator, exerciseId, { action: 'advance', by });
    await runTo(simulatedNow(clock));
  };

  await runTo(simulatedNow(clock));
  let steps = 0;
  let stalled = 0;
  for (;;) {
    const next = (await scheduler.nextDueAt(exerciseId)) ?? (await afterOpenExpectations(reports, exerciseId));
    if (!next || next.getTime() > horizon) break;
    const now = simulatedNow(clock).getTime();
    // Whatever was due by now has run; something still due then could only loop.
    stalled = next.getTime() <= now ? stalled + 1 : 0;
    if (stalled > 1)
      throw new Error(`nothing moves at ${new Date(now).toISOString()}: something due there does not run`);
    await jumpTo(new Date(Math.max(next.getTime(), now)));
    if (next.getTime() > now && simulatedNow(clock).getTime() === now)
      throw new Error(`the clock cannot move past ${new Date(now).toISOString()}`);
    steps += 1;
  }
  return { exerciseId, facilitatorToken: created.facilitatorToken, report: await reports.reportOf(exerciseId), steps };
}

/** Just past the last window of an expectation still pending, so that it ends met or missed. */
async function afterOpenExpectations(reports: ReportService, exerciseId: string): Promise<Date | null> {
  const report = await reports.reportOf(exerciseId);
  const dues = report.expectations.filter((e) => e.outcome === 'pending' && e.due).map((e) => Date.parse(e.due!));
  return dues.length ? new Date(Math.max(...dues) + 1000) : null;
}
