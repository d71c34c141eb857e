import { z } from 'zod';
import { simulatedNow } from '../exercises/clock';
import { ExerciseIdParams } from '../exercises/exercise-schemas';
import type { ExerciseService } from '../exercises/exercise-service';
import { RunQueryField } from '../exercises/runs';
import type { Routes } from '../kernel/routes';
import { PublicExtractList, PublicExtractResponse } from './notice-response-schemas';
import type { NoticeService } from './notice-service';

const PublicNoticeParams = z.strictObject({
  id: z.guid({ error: 'must be an exercise id (UUID)' }),
  nid: z.guid({ error: 'must be a notice id (UUID)' }),
});

/** What the public sees without a token: extracts of published notices whose requester consented. */
export function registerPublicRoutes(
  routes: Routes,
  deps: { notices: NoticeService; exercises: ExerciseService },
): void {
  routes.define({
    method: 'get',
    path: '/api/public/exercises/:id/notices',
    operationId: 'listPublicExtracts',
    summary: 'Public extracts of the published notices whose requester consented (no token)',
    tags: ['public'],
    params: ExerciseIdParams,
    query: z.strictObject({ run: RunQueryField }),
    response: PublicExtractList,
    errors: [404],
    handler: async ({ params, query }) => {
      const now = simulatedNow(await deps.exercises.clockOf(params.id));
      const run = await deps.exercises.runOf(params.id, query.run);
      return { items: await deps.notices.publicExtracts(params.id, now, run) };
    },
  });

  routes.define({
    method: 'get',
    path: '/api/public/exercises/:id/notices/:nid',
    operationId: 'getPublicExtract',
    summary: 'One public extract (no token); 404 unless the notice is published with consent',
    tags: ['public'],
    params: PublicNoticeParams,
    response: PublicExtractResponse,
    errors: [404],
    handler: async ({ params }) => {
      const now = simulatedNow(await deps.exercises.clockOf(params.id));
      return deps.notices.publicExtract(params.id, params.nid, now);
    },
  });
}
