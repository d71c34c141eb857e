import type { RequestHandler } from 'express';
import { principalOf } from '../exercises/exercise-auth';
import { ExerciseIdParams } from '../exercises/exercise-schemas';
import type { Routes } from '../kernel/routes';
import { IfMatchHeaders } from '../notices/notice-request-schemas';
import {
  CreateRecordBody,
  ImportRecordsBody,
  ImportRecordsResponse,
  ListRecordsQuery,
  RecordHistoryResponse,
  RecordIdParams,
  RecordListResponse,
  RecordResponse,
  UpdateRecordBody,
} from './record-schemas';
import { contributorsOnly, readImportBody } from './record-import';
import type { RecordService } from './record-service';
import { HitListResponse, ListHitsQuery, SearchBody, SearchResponse } from './search-schemas';
import type { SearchService } from './search-service';

export function registerRecordRoutes(
  routes: Routes,
  deps: {
    records: RecordService;
    auth: RequestHandler[];
    /** Authentication for the routes that change something: refused to teams while paused. */
    act: RequestHandler[];
  },
): void {
  const { records, auth, act } = deps;

  routes.define({
    method: 'post',
    path: '/api/exercises/:id/records',
    operationId: 'createRecord',
    summary: 'Contribute a database record (an ncb; the owner is its country)',
    description:
      'One of the kinds nominal, fingerprints, dna, sltd (a stolen or lost travel document) and smv (a stolen ' +
      'motor vehicle), with that kind’s fields; `recipients` restricts it to the countries named. Refused with ' +
      '409 EXERCISE_PAUSED while the facilitator has paused the clock.',
    tags: ['databases'],
    before: act,
    params: ExerciseIdParams,
    body: CreateRecordBody,
    status: 201,
    response: RecordResponse,
    errors: [403, 404, 409],
    handler: ({ params, body, req }) => records.create(principalOf(req), params.id, body),
  });

  routes.define({
    method: 'post',
    path: '/api/exercises/:id/records/import',
    operationId: 'importRecords',
    summary: 'Contribute many database records at once (an ncb), all or none',
    description:
      'A JSON array (application/json) or CSV with a header row (text/csv), up to 50 MB; the CSV is parsed as a ' +
      'stream. Every record is checked first: one bad record refuses the whole import with a 400 naming each bad ' +
      'one, and nothing is written. Refused with 409 EXERCISE_PAUSED while the facilitator has paused the clock.',
    tags: ['databases'],
    before: [...act, contributorsOnly, readImportBody],
    params: ExerciseIdParams,
    body: ImportRecordsBody,
    status: 201,
    response: ImportRecordsResponse,
    errors: [403, 404, 409],
    handler: ({ params, body, req }) => records.importRecords(principalOf(req), params.id, body),
  });

  routes.define({
    method: 'get',
    path: '/api/exercises/:id/records',
    operationId: 'listRecords',
    summary: 'List the database records the caller may see',
    tags: ['databases'],
    before: auth,
    params: ExerciseIdParams,
    query: ListRecordsQuery,
    response: RecordListResponse,
    errors: [404],
    handler: async ({ params, query, req }) => ({ items: await records.list(principalOf(req), params.id, query) }),
  });

  routes.define({
    method: 'get',
    path: '/api/records/:id',
    operationId: 'getRecord',
    summary: 'A database record (404 for whoever may not see it)',
    tags: ['databases'],
    before: auth,
    params: RecordIdParams,
    response: RecordResponse,
    errors: [404],
    handler: ({ params, req }) => records.get(principalOf(req), params.id),
  });

  routes.define({
    method: 'patch',
    path: '/api/records/:id',
    operationId: 'updateRecord',
    summary: 'Change fields of a database record (its owner only: 403 for others who see it)',
    tags: ['databases'],
    before: act,
    params: RecordIdParams,
    headers: IfMatchHeaders,
    body: UpdateRecordBody,
    response: RecordResponse,
    errors: [403, 404, 409],
    handler: ({ params, body, headers, req }) => records.update(principalOf(req), params.id, body, headers['if-match']),
  });

  routes.define({
    method: 'delete',
    path: '/api/records/:id',
    operationId: 'deleteRecord',
    summary: 'Delete a database record (its owner only); its history stays',
    tags: ['databases'],
    before: act,
    params: RecordIdParams,
    headers: IfMatchHeaders,
    status: 204,
    errors: [403, 404, 409],
    handler: ({ params, headers, req }) => records.remove(principalOf(req), params.id, headers['if-match']),
  });

  routes.define({
    method: 'get',
    path: '/api/records/:id/history',
    operationId: 'getRecordHistory',
    summary: 'Every change of a database record, in order',
    tags: ['databases'],
    before: auth,
    params: RecordIdParams,
    response: RecordHistoryResponse,
    errors: [404],
    handler: async ({ params, req }) => ({
      items: (await records.history(principalOf(req), params.id)).map((e) => ({
        seq: e.seq,
        type: e.type,
        actor: e.actor,
        at: e.at.toISOString(),
        recordedAt: e.recordedAt.toISOString(),
        payload: e.payload,
      })),
    }),
  });
}

export function registerSearchRoutes(
  routes: Routes,
  deps: { searches: SearchService; auth: RequestHandler[]; act: RequestHandler[] },
): void {
  const { searches, auth, act } = deps;

  routes.define({
    method: 'post',
    path: '/api/exercises/:id/searches',
    operationId: 'search',
    summary: 'Search the databases (a team: an ncb, the gs, the ccf)',
    description:
      'By name and date of birth (fuzzy: accents, scripts, order and typos), a print or DNA template, a document ' +
      'number and issuing country, a VIN, or a plate and its country (exact, without case, spaces or dashes), over ' +
      'the records the searcher may see. Each result at or above the threshold is a hit, recorded, and its record’s ' +
      'owner is told. Refused with 409 EXERCISE_PAUSED while the facilitator has paused the clock.',
    tags: ['databases'],
    before: act,
    params: ExerciseIdParams,
    body: SearchBody,
    response: SearchResponse,
    errors: [403, 404, 409],
    handler: ({ params, body, req }) => searches.search(principalOf(req), params.id, body),
  });

  routes.define({
    method: 'get',
    path: '/api/exercises/:id/hits',
    operationId: 'listHits',
    summary: 'The hits the caller may see: its country’s searches’ and those on its records (all, for other roles)',
    tags: ['databases'],
    before: auth,
    params: ExerciseIdParams,
    query: ListHitsQuery,
    response: HitListResponse,
    errors: [404],
    handler: async ({ params, query, req }) => ({ items: await searches.hits(principalOf(req), params.id, query) }),
  });
}
