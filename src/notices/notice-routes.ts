import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Request, RequestHandler, Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../http/auth';
import { defineRoute } from '../http/routes';
import { toValidationError } from '../http/validate';
import {
  CirculationEventBody,
  CirculationListResponse,
  CirculationParams,
  CirculationRecordResponse,
  CreateNoticeBody,
  ExerciseIdParams,
  HistoryListResponse,
  IfMatchHeader,
  ListNoticesQuery,
  NoticeEventBody,
  NoticeIdParams,
  NoticeListResponse,
  NoticeResponse,
} from './notice-schemas';
import type { NoticeService } from './notice-service';

const IfMatchHeaders = z.object({
  'if-match': z.string().optional().meta({ description: 'Apply only if the version is still this one (409 otherwise)' }),
});

function ifMatchOf(req: Request): number | undefined {
  const raw = req.get('if-match');
  if (raw === undefined) return undefined;
  const parsed = IfMatchHeader.safeParse(raw.trim());
  if (!parsed.success) throw toValidationError(parsed.error, 'headers.if-match');
  return parsed.data;
}

export function registerNoticeRoutes(
  router: Router,
  registry: OpenAPIRegistry,
  deps: { notices: NoticeService; auth: RequestHandler[] },
): void {
  const { notices, auth } = deps;

  defineRoute(router, registry, {
    method: 'post',
    path: '/api/exercises/:id/notices',
    summary: 'Request a notice (an ncb; the requester is its country)',
    description: 'Creates the notice in `draft`. Compliance checks run on SUBMIT.',
    tags: ['notices'],
    before: auth,
    params: ExerciseIdParams,
    body: CreateNoticeBody,
    status: 201,
    response: NoticeResponse,
    errors: [400, 403, 404, 413],
    handler: ({ params, body, req }) => notices.create(principalOf(req), params.id, body),
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/exercises/:id/notices',
    summary: 'List the notices the caller may see',
    tags: ['notices'],
    before: auth,
    params: ExerciseIdParams,
    query: ListNoticesQuery,
    response: NoticeListResponse,
    errors: [400, 404],
    handler: async ({ params, query, req }) => ({ items: await notices.list(principalOf(req), params.id, query) }),
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/notices/:id',
    summary: 'A notice, with the events this caller may send now',
    tags: ['notices'],
    before: auth,
    params: NoticeIdParams,
    response: NoticeResponse,
    errors: [400, 404],
    handler: ({ params, req }) => notices.get(principalOf(req), params.id),
  });

  defineRoute(router, registry, {
    method: 'post',
    path: '/api/notices/:id/events',
    summary: 'Send an event to a notice',
    description:
      'SUBMIT, START_REVIEW, REQUEST_INFO, PROVIDE_INFO, APPROVE, REFUSE, SUSPEND, RESUME, RENEW, REPORT_LOCATED, WITHDRAW, CANCEL, DELETE. ' +
      'APPROVE publishes and circulates the notice to every other member country; a final state closes every open circulation record.',
    tags: ['notices'],
    before: auth,
    params: NoticeIdParams,
    headers: IfMatchHeaders,
    body: NoticeEventBody,
    response: NoticeResponse,
    errors: [400, 403, 404, 409, 413],
    handler: ({ params, body, req }) => notices.sendEvent(principalOf(req), params.id, body, ifMatchOf(req)),
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/notices/:id/history',
    summary: 'Every event of the notice and its circulation records, in order',
    tags: ['notices'],
    before: auth,
    params: NoticeIdParams,
    response: HistoryListResponse,
    errors: [400, 404],
    handler: async ({ params, req }) => ({ items: await notices.history(principalOf(req), params.id) }),
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/notices/:id/circulation',
    summary: 'Circulation records (an ncb other than the requester sees its own only)',
    tags: ['circulation'],
    before: auth,
    params: NoticeIdParams,
    response: CirculationListResponse,
    errors: [400, 404],
    handler: async ({ params, req }) => ({ items: await notices.circulation(principalOf(req), params.id) }),
  });

  defineRoute(router, registry, {
    method: 'post',
    path: '/api/notices/:id/circulation/:country/events',
    summary: "Send an event to one country's circulation record (that country's ncb)",
    description:
      'ACKNOWLEDGE, REPORT_HIT, PROVISIONAL_ARREST, DECLINE_ACTION, SURRENDER (Red), REPORT_LOCATED (Yellow: the notice moves to located in the same transaction).',
    tags: ['circulation'],
    before: auth,
    params: CirculationParams,
    headers: IfMatchHeaders,
    body: CirculationEventBody,
    response: CirculationRecordResponse,
    errors: [400, 403, 404, 409, 413],
    handler: ({ params, body, req }) =>
      notices.sendCirculationEvent(principalOf(req), params.id, params.country, body, ifMatchOf(req)),
  });
}
