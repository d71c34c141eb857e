import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { RequestHandler, Router } from 'express';
import { Duration } from 'luxon';
import { z } from 'zod';
import { principalOf } from '../http/auth';
import { defineRoute } from '../http/routes';
import { ExerciseIdParams } from '../notices/notice-schemas';
import type { Scheduler } from '../scenarios/scheduler';
import { isForwardDuration, simulatedNow, type ExerciseClock } from './clock';
import type { ExerciseService } from './exercise-service';

export const ClockResponse = z
  .object({
    now: z.iso.datetime().meta({ description: 'the exercise’s simulated time' }),
    running: z.boolean(),
    speed: z.number().meta({ description: 'simulated seconds per wall second' }),
  })
  .meta({ id: 'Clock' });

const ClockActionResponse = ClockResponse.extend({
  deadlinesFired: z.int().meta({ description: 'timed transitions that fell due and fired with this action' }),
  injectsFired: z.int().meta({ description: 'scenario injects that fell due and fired with this action' }),
  injectsFailed: z.int().meta({ description: 'injects that fell due but were refused (a team got there first, say); the report says why' }),
}).meta({ id: 'ClockActionResult' });

/** Forward only, and at most ten years a step, so that a typo cannot fire a century of deadlines. */
const isoDuration = z
  .string()
  .refine(isForwardDuration, 'must be a positive ISO 8601 duration such as P30D, PT6H or P6Y')
  .refine((v) => !isForwardDuration(v) || Duration.fromISO(v).as('years') <= 10, 'must be at most ten years');

export const ClockActionBody = z
  .discriminatedUnion(
    'action',
    [
      z.strictObject({ action: z.literal('pause') }),
      z.strictObject({ action: z.literal('resume') }),
      z.strictObject({ action: z.literal('advance'), by: isoDuration }),
      z.strictObject({ action: z.literal('set_speed'), speed: z.number().positive().max(31_536_000) }),
    ],
    { error: 'action must be pause, resume, advance or set_speed' },
  )
  .meta({ id: 'ClockAction' });

export const clockView = (clock: ExerciseClock) => ({ now: simulatedNow(clock).toISOString(), running: clock.running, speed: clock.speed });

export function registerClockRoutes(
  router: Router,
  registry: OpenAPIRegistry,
  deps: { exercises: ExerciseService; scheduler: Scheduler; auth: RequestHandler[] },
): void {
  defineRoute(router, registry, {
    method: 'get',
    path: '/api/exercises/:id/clock',
    summary: 'The exercise’s simulated clock',
    tags: ['clock'],
    before: deps.auth,
    params: ExerciseIdParams,
    response: ClockResponse,
    errors: [400, 404],
    handler: async ({ params, req }) => clockView(await deps.exercises.readClock(principalOf(req), params.id)),
  });

  defineRoute(router, registry, {
    method: 'post',
    path: '/api/exercises/:id/clock',
    summary: 'Pause, resume, advance or change the speed of the clock (facilitator only)',
    description:
      'Everything that falls due by the new simulated time happens before the response, in simulated time order: deadlines as `system` events (renewal windows, expiry, lapsed suspensions, unanswered requests for information) and the scenario’s injects, each as its participant.',
    tags: ['clock'],
    before: deps.auth,
    params: ExerciseIdParams,
    body: ClockActionBody,
    response: ClockActionResponse,
    errors: [400, 403, 404],
    handler: async ({ params, body, req }) => {
      const clock = await deps.exercises.actOnClock(principalOf(req), params.id, body);
      const run = await deps.scheduler.runDue(params.id, simulatedNow(clock), clock);
      return { ...clockView(clock), ...run };
    },
  });
}
