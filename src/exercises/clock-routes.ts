import type { RequestHandler } from 'express';
import type { Routes } from '../kernel/routes';
import { simulatedNow, type ExerciseClock } from './clock';
import { principalOf } from './exercise-auth';
import { ClockActionBody, ClockActionResponse, ClockResponse, ExerciseIdParams, clockView } from './exercise-schemas';
import type { ExerciseService } from './exercise-service';

/** What fell due and ran when the clock moved (deadlines and injects: the scheduler's work). */
export interface DueRun {
  deadlinesFired: number;
  injectsFired: number;
  injectsFailed: number;
}

export function registerClockRoutes(
  routes: Routes,
  deps: {
    exercises: ExerciseService;
    auth: RequestHandler[];
    /** Runs whatever falls due by the clock's new simulated now. */
    runDue: (exerciseId: string, now: Date, clock: ExerciseClock) => Promise<DueRun>;
  },
): void {
  routes.define({
    method: 'get',
    path: '/api/exercises/:id/clock',
    operationId: 'getClock',
    summary: 'The exercise’s simulated clock',
    tags: ['clock'],
    before: deps.auth,
    params: ExerciseIdParams,
    response: ClockResponse,
    errors: [404],
    handler: async ({ params, req }) => clockView(await deps.exercises.readClock(principalOf(req), params.id)),
  });

  routes.define({
    method: 'post',
    path: '/api/exercises/:id/clock',
    operationId: 'actOnClock',
    summary: 'Pause, resume, advance or change the speed of the clock (facilitator only)',
    description:
      'Everything that falls due by the new simulated time happens before the response, in simulated time order: ' +
      'deadlines as `system` events (renewal windows, expiry, lapsed suspensions, unanswered requests for ' +
      'information, releases after a provisional arrest with no extradition request, prompts to cancel) and the ' +
      'scenario’s injects, each as its participant.',
    tags: ['clock'],
    before: deps.auth,
    params: ExerciseIdParams,
    body: ClockActionBody,
    response: ClockActionResponse,
    errors: [403, 404],
    handler: async ({ params, body, req }) => {
      const clock = await deps.exercises.actOnClock(principalOf(req), params.id, body);
      const run = await deps.runDue(params.id, simulatedNow(clock), clock);
      return { ...clockView(clock), ...run };
    },
  });
}
