import type { Request, RequestHandler } from 'express';
import { principalOf } from '../exercises/exercise-auth';
import { ExerciseIdParams } from '../exercises/exercise-schemas';
import type { Admission } from '../exercises/exercise-types';
import { recordAnswer } from '../kernel/idempotency';
import type { Routes } from '../kernel/routes';
import {
  CreateNoticeBody,
  IfMatchHeaders,
  ListNoticesQuery,
  NoticeEventBody,
  NoticeIdParams,
} from './notice-request-schemas';
import { HistoryListResponse, NoticeListResponse, NoticeResponse } from './notice-response-schemas';
import type { NoticeService } from './notice-service';
import { NOTICE_USER_EVENTS } from './notice-types';

export function registerNoticeRoutes(
  routes: Routes,
  deps: {
    notices: NoticeService;
    auth: RequestHandler[];
    /** Authentication for the routes that change something: refused to teams while paused. */
    act: RequestHandler[];
    /** The same, in two steps around the route's first read, which brings the clock. */
    actOnRead: { identify: RequestHandler[]; admission: (req: Request) => Admission };
  },
): void {
  const { notices, auth, act, actOnRead } = deps;

  routes.define({
    method: 'post',
    path: '/api/exercises/:id/notices',
    operationId: 'createNotice',
    summary: 'Request a notice (an ncb; the requester is its country)',
    description:
      'Creates the notice in `draft`, whatever it lacks: the compliance checks run on SUBMIT and name each ' +
      'missing field. Refused with 409 EXERCISE_PAUSED while the facilitator has paused the clock.',
    tags: ['notices'],
    before: act,
    params: ExerciseIdParams,
    body: CreateNoticeBody,
    status: 201,
    response: NoticeResponse,
    errors: [403, 404, 409],
    idempotent: true,
    handler: ({ params, body, req, idempotency }) =>
      notices.create(principalOf(req), params.id, body, { record: recordAnswer(idempotency) }),
  });

  routes.define({
    method: 'get',
    path: '/api/exercises/:id/notices',
    operationId: 'listNotices',
    summary: 'List the notices the caller may see',
    tags: ['notices'],
    before: auth,
    params: ExerciseIdParams,
    query: ListNoticesQuery,
    response: NoticeListResponse,
    errors: [404],
    handler: async ({ params, query, req }) => ({ items: await notices.list(principalOf(req), params.id, query) }),
  });

  routes.define({
    method: 'get',
    path: '/api/notices/:id',
    operationId: 'getNotice',
    summary: 'A notice, with the events this caller may send now',
    tags: ['notices'],
    before: auth,
    params: NoticeIdParams,
    response: NoticeResponse,
    errors: [404],
    handler: ({ params, req }) => notices.get(principalOf(req), params.id),
  });

  routes.define({
    method: 'post',
    path: '/api/notices/:id/events',
    operationId: 'sendNoticeEvent',
    summary: 'Send an event to a notice',
    description:
      `${NOTICE_USER_EVENTS.join(', ')}. APPROVE publishes and circulates the notice to its recipients (every ` +
      'other member country); a final state closes every open circulation record. A team (ncb, gs, ccf) is ' +
      'refused with 409 EXERCISE_PAUSED while the facilitator has paused the clock.',
    tags: ['notices'],
    before: actOnRead.identify,
    params: NoticeIdParams,
    headers: IfMatchHeaders,
    body: NoticeEventBody,
    response: NoticeResponse,
    errors: [403, 404, 409],
    handler: ({ params, body, headers, req }) =>
      notices.sendEvent(actOnRead.admission(req), params.id, body, { ifMatch: headers['if-match'] }),
  });

  routes.define({
    method: 'get',
    path: '/api/notices/:id/history',
    operationId: 'getNoticeHistory',
    summary:
      'Every event of the notice and its circulation records, in order (an ncb that received it: its own record’s)',
    tags: ['notices'],
    before: auth,
    params: NoticeIdParams,
    response: HistoryListResponse,
    errors: [404],
    handler: async ({ params, req }) => ({ items: await notices.history(principalOf(req), params.id) }),
  });
}
