import type { RequestHandler } from 'express';
import { principalOf } from '../exercises/exercise-auth';
import { ExerciseIdParams } from '../exercises/exercise-schemas';
import type { Routes } from '../kernel/routes';
import {
  CreatePersonBody,
  PersonLinkBody,
  PersonListResponse,
  PersonParams,
  PersonQuery,
  PersonResponse,
} from './person-schemas';
import type { PersonService } from './person-service';

const PAUSED = 'Refused with 409 EXERCISE_PAUSED while the facilitator has paused the clock.';

export function registerPersonRoutes(
  routes: Routes,
  deps: { persons: PersonService; auth: RequestHandler[]; act: RequestHandler[] },
): void {
  const { persons, auth, act } = deps;

  routes.define({
    method: 'post',
    path: '/api/exercises/:id/persons',
    operationId: 'createPerson',
    summary: 'Make a person that links records, notices and hits across countries (an ncb or the gs)',
    description:
      'With a label, the reason, and what to link at once: records the caller owns, notices it requested, hits of ' +
      'its searches (a hit links what it matched too, when no person has that yet); the gs links anything. ' +
      PAUSED,
    tags: ['databases'],
    before: act,
    params: ExerciseIdParams,
    body: CreatePersonBody,
    status: 201,
    response: PersonResponse,
    errors: [403, 404, 409],
    handler: ({ params, body, req }) => persons.create(principalOf(req), params.id, body),
  });

  routes.define({
    method: 'get',
    path: '/api/exercises/:id/persons',
    operationId: 'listPersons',
    summary: 'The persons the caller may see',
    tags: ['databases'],
    before: auth,
    params: ExerciseIdParams,
    query: PersonQuery,
    response: PersonListResponse,
    errors: [404],
    handler: async ({ params, query, req }) => ({
      items: await persons.list(principalOf(req), params.id, query.run),
    }),
  });

  routes.define({
    method: 'get',
    path: '/api/exercises/:id/persons/:personId',
    operationId: 'getPerson',
    summary: 'A person and all that is linked to it that the caller may see, with the links’ history',
    tags: ['databases'],
    before: auth,
    params: PersonParams,
    response: PersonResponse,
    errors: [404],
    handler: ({ params, req }) => persons.get(principalOf(req), params.id, params.personId),
  });

  routes.define({
    method: 'post',
    path: '/api/exercises/:id/persons/:personId/links',
    operationId: 'linkToPerson',
    summary: 'Link a record, notice or hit to the person, with the reason',
    description:
      'By the record’s owner, the notice’s requester, the hit’s searching country, or the gs. 409 ALREADY_LINKED ' +
      'when another person has it. ' +
      PAUSED,
    tags: ['databases'],
    before: act,
    params: PersonParams,
    body: PersonLinkBody,
    response: PersonResponse,
    errors: [403, 404, 409],
    handler: ({ params, body, req }) => persons.link(principalOf(req), params.id, params.personId, body),
  });

  routes.define({
    method: 'post',
    path: '/api/exercises/:id/persons/:personId/unlinks',
    operationId: 'unlinkFromPerson',
    summary: 'Unlink a record, notice or hit from the person, with the reason',
    description: 'By whoever may link it. 409 NOT_LINKED when it is not linked to this person. ' + PAUSED,
    tags: ['databases'],
    before: act,
    params: PersonParams,
    body: PersonLinkBody,
    response: PersonResponse,
    errors: [403, 404, 409],
    handler: ({ params, body, req }) => persons.unlink(principalOf(req), params.id, params.personId, body),
  });
}
