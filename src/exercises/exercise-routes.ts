import type { RequestHandler } from 'express';
import type { Routes } from '../kernel/routes';
import { principalOf } from './exercise-auth';
import {
  AddParticipantBody,
  ExerciseIdParams,
  MeResponse,
  ParticipantCreated,
  ParticipantList,
  ParticipantParams,
} from './exercise-schemas';
import type { ExerciseService } from './exercise-service';

export function registerExerciseRoutes(
  routes: Routes,
  deps: { exercises: ExerciseService; auth: RequestHandler[] },
): void {
  routes.define({
    method: 'get',
    path: '/api/me',
    operationId: 'getMe',
    summary: 'Who the token is: role, country, and its exercise',
    tags: ['exercises'],
    before: deps.auth,
    response: MeResponse,
    errors: [],
    handler: async ({ req }) => {
      const principal = principalOf(req);
      const exercise = await deps.exercises.find(principal.exerciseId);
      return {
        participantId: principal.participantId,
        role: principal.role,
        ...(principal.country && { country: principal.country }),
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
    method: 'post',
    path: '/api/exercises/:id/participants',
    operationId: 'addParticipant',
    summary: 'Add a participant (facilitator only)',
    description: '`country` is required for an ncb, and only an ncb has a country.',
    tags: ['exercises'],
    before: deps.auth,
    params: ExerciseIdParams,
    body: AddParticipantBody,
    status: 201,
    response: ParticipantCreated,
    errors: [403, 404],
    handler: async ({ params, body, req }) => {
      const p = await deps.exercises.addParticipant(principalOf(req), params.id, body);
      return { id: p.id, role: p.role, ...(p.country && { country: p.country }), token: p.token };
    },
  });

  routes.define({
    method: 'get',
    path: '/api/exercises/:id/participants',
    operationId: 'listParticipants',
    summary: 'List the participants (facilitator only; tokens are never shown)',
    tags: ['exercises'],
    before: deps.auth,
    params: ExerciseIdParams,
    response: ParticipantList,
    errors: [403, 404],
    handler: async ({ params, req }) => ({
      items: (await deps.exercises.listParticipants(principalOf(req), params.id)).map((p) => ({
        id: p.id,
        role: p.role,
        ...(p.country && { country: p.country }),
        createdAt: p.createdAt.toISOString(),
        revokedAt: p.revokedAt?.toISOString() ?? null,
      })),
    }),
  });

  routes.define({
    method: 'delete',
    path: '/api/exercises/:id/participants/:pid',
    operationId: 'revokeParticipant',
    summary: 'Revoke a participant (facilitator only): its token is refused from then on',
    tags: ['exercises'],
    before: deps.auth,
    params: ParticipantParams,
    status: 204,
    errors: [403, 404],
    handler: ({ params, req }) => deps.exercises.revokeParticipant(principalOf(req), params.id, params.pid),
  });
}
