import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { RequestHandler, Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../http/auth';
import { defineRoute } from '../http/routes';
import { ExerciseIdParams, MemberCountry, storableText } from '../notices/notice-schemas';
import { ROLES } from '../notices/notice-types';
import type { ExerciseService } from './exercise-service';
import { PARTICIPANT_ROLES } from './exercise-types';

export const CreateExerciseBody = z.strictObject({ name: storableText(200) }).meta({ id: 'CreateExercise' });
const ExerciseCreated = z
  .object({ id: z.uuid(), name: z.string(), facilitatorToken: z.string().meta({ description: 'shown once; only its hash is stored' }) })
  .meta({ id: 'ExerciseCreated' });

export const AddParticipantBody = z
  .strictObject({ role: z.enum(PARTICIPANT_ROLES), country: MemberCountry.optional() })
  .meta({ id: 'AddParticipant', description: '`country` is required for an `ncb` and refused for other roles' });
const ParticipantCreated = z
  .object({ id: z.uuid(), role: z.enum(ROLES), country: z.string().optional(), token: z.string() })
  .meta({ id: 'ParticipantCreated' });


export function registerExerciseRoutes(
  router: Router,
  registry: OpenAPIRegistry,
  deps: { exercises: ExerciseService; auth: RequestHandler },
): void {
  defineRoute(router, registry, {
    method: 'post',
    path: '/api/exercises',
    summary: 'Create an exercise and its facilitator token',
    tags: ['exercises'],
    body: CreateExerciseBody,
    status: 201,
    response: ExerciseCreated,
    errors: [400, 413],
    handler: ({ body }) => deps.exercises.create(body.name),
  });

  defineRoute(router, registry, {
    method: 'post',
    path: '/api/exercises/:id/participants',
    summary: 'Add a participant (facilitator only)',
    tags: ['exercises'],
    before: [deps.auth],
    params: ExerciseIdParams,
    body: AddParticipantBody,
    status: 201,
    response: ParticipantCreated,
    errors: [400, 403, 404, 413],
    handler: async ({ params, body, req }) => {
      const p = await deps.exercises.addParticipant(principalOf(req), params.id, body);
      return { id: p.id, role: p.role, ...(p.country && { country: p.country }), token: p.token };
    },
  });
}
