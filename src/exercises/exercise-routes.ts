import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Routes } from '../kernel/routes';
import { simulatedNow, type ExerciseClock } from './clock';
import { principalOf } from './exercise-auth';
import { ClockResponse, clockView, ExerciseIdParams, MeResponse, ResetResponse } from './exercise-schemas';
import type { ExerciseService } from './exercise-service';

const ExerciseSummaryResponse = z
  .object({
    id: z.uuid(),
    name: z.string(),
    title: z.string().nullable().meta({ description: 'the title of its scenario, if it has one' }),
    createdAt: z.iso.datetime(),
    clock: ClockResponse,
    participants: z.int().meta({ description: 'participants, the facilitator and revoked ones included' }),
    notices: z.int(),
  })
  .meta({ id: 'ExerciseSummary' });

const ExerciseList = z.object({ items: z.array(ExerciseSummaryResponse) }).meta({ id: 'ExerciseList' });

export function registerExerciseRoutes(
  routes: Routes,
  deps: {
    exercises: ExerciseService;
    auth: RequestHandler[];
    admin: RequestHandler[];
    /** Runs whatever falls due by the clock's simulated now (the new run's injects due at the start). */
    runDue?: (exerciseId: string, now: Date, clock: ExerciseClock) => Promise<unknown>;
  },
): void {
  routes.define({
    method: 'get',
    path: '/api/me',
    operationId: 'getMe',
    summary: 'Who the token is: role, country, name, and its exercise',
    tags: ['exercises'],
    before: deps.auth,
    response: MeResponse,
    errors: [],
    handler: async ({ req }) => {
      const { exercise, participant } = await deps.exercises.me(principalOf(req));
      return {
        participantId: participant.id,
        role: participant.role,
        ...(participant.country && { country: participant.country }),
        ...(participant.key && { key: participant.key }),
        ...(participant.name && { name: participant.name }),
        exercise: {
          id: exercise.id,
          name: exercise.name,
          title: exercise.title,
          freezeWhilePaused: exercise.clock.freezeWhilePaused,
        },
      };
    },
  });

  routes.define({
    method: 'get',
    path: '/api/exercises',
    operationId: 'listExercises',
    summary: 'The exercises on this server, newest first (admin)',
    description:
      'When the server has an ADMIN_TOKEN, this needs `Authorization: Bearer <ADMIN_TOKEN>`; without one, anyone ' +
      'may list, as anyone may create. Tokens are never shown.',
    tags: ['exercises'],
    before: deps.admin,
    response: ExerciseList,
    errors: [],
    handler: async () => ({
      items: (await deps.exercises.listExercises()).map((e) => ({
        id: e.id,
        name: e.name,
        title: e.title,
        createdAt: e.createdAt.toISOString(),
        clock: clockView(e.clock),
        participants: e.participants,
        notices: e.notices,
      })),
    }),
  });

  routes.define({
    method: 'post',
    path: '/api/exercises/:id/reset',
    operationId: 'resetExercise',
    summary: 'Start the exercise’s next run (facilitator only)',
    description:
      'The history stays: the earlier run’s notices, history and injects stay readable with `?run=N`, and read-only ' +
      '(an event on them is a 409 `EARLIER_RUN`). The clock returns to the start (the scenario’s), paused; the ' +
      'scenario’s injects are pending again in the new run (those of team-played parts stay skipped); the earlier ' +
      'run’s deadlines never fire; participants and tokens stay. Injects due at the start fire before the answer. ' +
      'Open streams get a `reset` message.',
    tags: ['exercises'],
    before: deps.auth,
    params: ExerciseIdParams,
    response: ResetResponse,
    errors: [403, 404, 409],
    handler: async ({ params, req }) => {
      const { run, clock } = await deps.exercises.reset(principalOf(req), params.id);
      // The run has started: a failure firing its first injects must not hide that (the ticker tries again).
      await deps.runDue?.(params.id, simulatedNow(clock), clock).catch((err: unknown) => {
        req.log.error({ err, exerciseId: params.id }, 'firing the injects due at the start of the run failed');
      });
      return { run, clock: clockView(clock) };
    },
  });
}
