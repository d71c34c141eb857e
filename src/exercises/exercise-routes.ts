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


const ParticipantResponse = z
  .object({
    id: z.uuid(),
    role: z.enum(ROLES),
    country: z.string().optional(),
    createdAt: z.iso.datetime(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Participant', description: 'A participant; its token is never shown again' });
const ParticipantList = z.object({ items: z.array(ParticipantResponse) }).meta({ id: 'ParticipantList' });
const ParticipantParams = z.strictObject({
  id: z.uuid({ error: 'must be an exercise id (UUID)' }),
  pid: z.uuid({ error: 'must be a participant id (UUID)' }),
});

export function registerExerciseRoutes(
  router: Router,
  registry: OpenAPIRegistry,
  deps: { exercises: ExerciseService; auth: RequestHandler[]; admin: RequestHandler[] },
): void {
  defineRoute(router, registry, {
    method: 'post',
    path: '/api/exercises',
    summary: 'Create an exercise and its facilitator token',
    description: 'When the server has an ADMIN_TOKEN, this needs `Authorization: Bearer <ADMIN_TOKEN>`.',
    tags: ['exercises'],
    before: deps.admin,
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
    before: deps.auth,
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

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/exercises/:id/participants',
    summary: 'List the participants (facilitator only; tokens are never shown)',
    tags: ['exercises'],
    before: deps.auth,
    params: ExerciseIdParams,
    response: ParticipantList,
    errors: [400, 403, 404],
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

  defineRoute(router, registry, {
    method: 'delete',
    path: '/api/exercises/:id/participants/:pid',
    summary: 'Revoke a participant (facilitator only): its token is refused from then on',
    tags: ['exercises'],
    before: deps.auth,
    params: ParticipantParams,
    status: 204,
    errors: [400, 403, 404],
    handler: ({ params, req }) => deps.exercises.revokeParticipant(principalOf(req), params.id, params.pid),
  });
}
