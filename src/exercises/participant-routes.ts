import type { RequestHandler } from 'express';
import { recordAnswer } from '../kernel/idempotency';
import type { Routes } from '../kernel/routes';
import { principalOf } from './exercise-auth';
import {
  AddParticipantBody,
  ExerciseIdParams,
  ParticipantCreated,
  ParticipantList,
  ParticipantParams,
} from './exercise-schemas';
import type { ExerciseService } from './exercise-service';
import { issuedView, participantView } from './participant-views';

/** The facilitator's participants: add (with a name), list, re-issue a lost token, revoke. */
export function registerParticipantRoutes(
  routes: Routes,
  deps: { exercises: ExerciseService; auth: RequestHandler[] },
): void {
  routes.define({
    method: 'post',
    path: '/api/exercises/:id/participants',
    operationId: 'addParticipant',
    summary: 'Add a participant (facilitator only)',
    description:
      '`country` is required for an ncb, and only an ncb has a country. `name` is shown wherever it appears.',
    tags: ['exercises'],
    before: deps.auth,
    params: ExerciseIdParams,
    body: AddParticipantBody,
    status: 201,
    response: ParticipantCreated,
    errors: [403, 404],
    idempotent: true,
    handler: async ({ params, body, req, res, idempotency }) => {
      const record = recordAnswer(idempotency, issuedView);
      const p = await deps.exercises.addParticipant(principalOf(req), params.id, body, record);
      res.setHeader('Cache-Control', 'no-store');
      return issuedView(p);
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
      items: (await deps.exercises.listParticipants(principalOf(req), params.id)).map(participantView),
    }),
  });

  routes.define({
    method: 'post',
    path: '/api/exercises/:id/participants/:pid/token',
    operationId: 'reissueParticipantToken',
    summary: 'Re-issue a lost token (facilitator only): a new token, the old one refused from then on',
    description:
      'The participant keeps its id and history; only its token changes. The facilitator may re-issue its own ' +
      'token: the old one stops working and the answer carries the new one. 404 for a revoked participant.',
    tags: ['exercises'],
    before: deps.auth,
    params: ParticipantParams,
    status: 201,
    response: ParticipantCreated,
    errors: [403, 404],
    handler: async ({ params, req, res }) => {
      const p = await deps.exercises.reissueToken(principalOf(req), params.id, params.pid);
      res.setHeader('Cache-Control', 'no-store');
      return issuedView(p);
    },
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
