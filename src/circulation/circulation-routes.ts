import type { Request, RequestHandler } from 'express';
import { principalOf } from '../exercises/exercise-auth';
import type { Admission } from '../exercises/exercise-types';
import type { Routes } from '../kernel/routes';
import { IfMatchHeaders, NoticeIdParams } from '../notices/notice-request-schemas';
import {
  CirculationEventBody,
  CirculationListResponse,
  CirculationParams,
  CirculationRecordResponse,
} from './circulation-schemas';
import type { CirculationService } from './circulation-service';

export function registerCirculationRoutes(
  routes: Routes,
  deps: {
    circulation: CirculationService;
    auth: RequestHandler[];
    /**
     * For a country's event: the token resolved before the route, and what `act` does on other routes
     * (refused to teams while paused, injects due first) done on the clock read with the notice.
     */
    actOnRead: { identify: RequestHandler[]; admission: (req: Request) => Admission };
  },
): void {
  routes.define({
    method: 'get',
    path: '/api/notices/:id/circulation',
    operationId: 'listCirculationRecords',
    summary: 'Circulation records (an ncb other than the requester sees its own only)',
    tags: ['circulation'],
    before: deps.auth,
    params: NoticeIdParams,
    response: CirculationListResponse,
    errors: [404],
    handler: async ({ params, req }) => ({ items: await deps.circulation.list(principalOf(req), params.id) }),
  });

  routes.define({
    method: 'post',
    path: '/api/notices/:id/circulation/:country/events',
    operationId: 'sendCirculationEvent',
    summary: "Send an event to one country's circulation record (that country's ncb)",
    description:
      'ACKNOWLEDGE, REPORT_HIT, PROVISIONAL_ARREST, DECLINE_ACTION, SURRENDER (Red), REPORT_LOCATED (Yellow: the ' +
      'notice moves to located in the same transaction). Refused with 409 EXERCISE_PAUSED while the facilitator ' +
      'has paused the clock.',
    tags: ['circulation'],
    before: deps.actOnRead.identify,
    params: CirculationParams,
    headers: IfMatchHeaders,
    body: CirculationEventBody,
    response: CirculationRecordResponse,
    errors: [403, 404, 409],
    handler: ({ params, body, headers, req }) =>
      deps.circulation.sendEvent(deps.actOnRead.admission(req), params.id, params.country, body, {
        ifMatch: headers['if-match'],
      }),
  });
}
