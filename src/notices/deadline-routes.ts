import type { RequestHandler } from 'express';
import { z } from 'zod';
import { principalOf } from '../exercises/exercise-auth';
import { ExerciseIdParams } from '../exercises/exercise-schemas';
import { ForbiddenError, NotFoundError } from '../kernel/errors';
import type { Routes } from '../kernel/routes';
import type { UpcomingDeadlines } from './deadline-list';
import { NOTICE_STATES, NOTICE_TYPES } from './notice-types';

const DeadlinesQuery = z.strictObject({
  // The range as a pattern, as the notice list's `limit`, so that the document says it all.
  limit: z
    .string()
    .regex(/^(?:[1-9]\d?|1\d\d|200)$/, 'must be a whole number from 1 to 200')
    .transform(Number)
    .optional()
    .transform((v) => v ?? 20)
    .meta({ description: 'how many, soonest first: a whole number from 1 to 200; 20 when left out' }),
});

const DeadlineList = z
  .object({
    items: z.array(
      z.object({
        noticeId: z.uuid(),
        noticeType: z.enum(NOTICE_TYPES),
        noticeState: z.enum(NOTICE_STATES),
        subject: z.string().nullable().meta({ description: 'the subject’s name as requested' }),
        event: z.string().meta({ description: 'the event the system sends when it falls due' }),
        country: z.string().nullable().meta({ description: 'a circulation record’s country; null: the notice’s own' }),
        due: z.iso.datetime().meta({ description: 'simulated time it falls due' }),
      }),
    ),
  })
  .meta({ id: 'UpcomingDeadlines' });

export function registerDeadlineRoutes(
  routes: Routes,
  deps: { upcomingDeadlines: UpcomingDeadlines; auth: RequestHandler[] },
): void {
  routes.define({
    method: 'get',
    path: '/api/exercises/:id/deadlines',
    operationId: 'listDeadlines',
    summary: 'The coming timed transitions across the exercise’s notices, soonest first (facilitator and observers)',
    tags: ['exercises'],
    before: deps.auth,
    params: ExerciseIdParams,
    query: DeadlinesQuery,
    response: DeadlineList,
    errors: [403, 404],
    handler: async ({ params, query, req }) => {
      const principal = principalOf(req);
      if (principal.exerciseId !== params.id) throw new NotFoundError('Exercise');
      // Teams see their own notices' deadlines on the notices; the whole exercise's are the watchers'.
      if (principal.role !== 'facilitator' && principal.role !== 'observer') {
        throw new ForbiddenError('Only the facilitator and observers see the deadlines across notices');
      }
      const deadlines = await deps.upcomingDeadlines(params.id, query.limit);
      return {
        items: deadlines.map((d) => ({
          noticeId: d.noticeId,
          noticeType: d.noticeType,
          noticeState: d.noticeState as (typeof NOTICE_STATES)[number],
          subject: d.subject,
          event: d.event,
          country: d.country,
          due: d.dueAt.toISOString(),
        })),
      };
    },
  });
}
