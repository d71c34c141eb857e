import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import { z } from 'zod';
import { simulatedNow } from '../exercises/clock';
import type { ExerciseService } from '../exercises/exercise-service';
import { defineRoute } from '../http/routes';
import { ExerciseIdParams } from './notice-schemas';
import type { NoticeService } from './notice-service';
import { PublicExtractResponse } from './public-extract';

const PublicExtractList = z.object({ items: z.array(PublicExtractResponse) }).meta({ id: 'PublicExtractList' });
const PublicNoticeParams = z.strictObject({
  id: z.uuid({ error: 'must be an exercise id (UUID)' }),
  nid: z.uuid({ error: 'must be a notice id (UUID)' }),
});

/** What the public sees without a token: extracts of published notices whose requester consented. */
export function registerPublicRoutes(router: Router, registry: OpenAPIRegistry, deps: { notices: NoticeService; exercises: ExerciseService }): void {
  defineRoute(router, registry, {
    method: 'get',
    path: '/api/public/exercises/:id/notices',
    summary: 'Public extracts of the published notices whose requester consented (no token)',
    tags: ['public'],
    params: ExerciseIdParams,
    response: PublicExtractList,
    errors: [400, 404],
    handler: async ({ params }) => {
      const now = simulatedNow(await deps.exercises.clockOf(params.id));
      return { items: await deps.notices.publicExtracts(params.id, now) };
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/public/exercises/:id/notices/:nid',
    summary: 'One public extract (no token); 404 unless the notice is published with consent',
    tags: ['public'],
    params: PublicNoticeParams,
    response: PublicExtractResponse,
    errors: [400, 404],
    handler: async ({ params }) => {
      const now = simulatedNow(await deps.exercises.clockOf(params.id));
      return deps.notices.publicExtract(params.id, params.nid, now);
    },
  });
}
