import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Routes } from '../kernel/routes';
import { principalOf } from './exercise-auth';
import { ClockResponse, clockView, MeResponse } from './exercise-schemas';
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
  deps: { exercises: ExerciseService; auth: RequestHandler[]; admin: RequestHandler[] },
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
        exercise: { id: exercise.id, name: exercise.name, title: exercise.title },
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
}
