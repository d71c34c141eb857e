import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { RequestHandler, Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../http/auth';
import { defineRoute } from '../http/routes';
import { ExerciseIdParams } from '../notices/notice-schemas';
import { renderReportHtml } from './report-html';
import type { ReportService } from './report-service';

const ReportQuery = z.strictObject({
  format: z.enum(['json', 'html'], { error: 'must be json or html' }).default('json'),
});

const Seconds = z.number().nullable().meta({ description: 'simulated seconds' });

const ExerciseReportResponse = z
  .object({
    exercise: z.object({
      id: z.uuid(),
      name: z.string(),
      title: z.string().nullable(),
      briefing: z.string().nullable(),
      start: z.iso.datetime().nullable(),
      now: z.iso.datetime(),
    }),
    summary: z.object({
      notices: z.int(),
      events: z.int(),
      injects: z.object({ done: z.int(), failed: z.int(), pending: z.int(), skipped: z.int() }),
      score: z.int(),
      maxScore: z.int(),
    }),
    timeline: z.array(
      z.object({
        at: z.iso.datetime(),
        recordedAt: z.iso.datetime(),
        noticeId: z.uuid(),
        notice: z.string().meta({ description: 'the scenario’s key for the notice, or its id' }),
        seq: z.int(),
        type: z.string(),
        actor: z.object({ role: z.string(), country: z.string().optional(), participant: z.string().optional() }),
        from: z.string().nullable(),
        to: z.string(),
        country: z.string().optional(),
      }),
    ),
    notices: z.array(
      z.object({
        id: z.uuid(),
        key: z.string().nullable(),
        type: z.enum(['RED', 'YELLOW']),
        requestingCountry: z.string(),
        state: z.string(),
        createdAt: z.iso.datetime(),
        submittedAt: z.iso.datetime().nullable(),
        publishedAt: z.iso.datetime().nullable(),
        firstHitAt: z.iso.datetime().nullable(),
        firstHitCountry: z.string().nullable(),
        endedAt: z.iso.datetime().nullable(),
        seconds: z.object({ submissionToPublication: Seconds, publicationToFirstHit: Seconds, publicationToEnd: Seconds }),
        records: z.record(z.string(), z.int()),
      }),
    ),
    participants: z.array(
      z.object({
        id: z.uuid(),
        key: z.string().nullable(),
        name: z.string().nullable(),
        role: z.string(),
        country: z.string().nullable(),
        actions: z.int(),
        byType: z.record(z.string(), z.int()),
        responseSeconds: z.object({ count: z.int(), median: Seconds, mean: Seconds, max: Seconds }),
        responses: z.array(
          z.object({ at: z.iso.datetime(), notice: z.string(), type: z.string(), country: z.string().optional(), after: z.string(), seconds: z.number() }),
        ),
      }),
    ),
    expectations: z.array(
      z.object({
        id: z.string(),
        description: z.string(),
        notice: z.string(),
        expects: z.string(),
        score: z.int(),
        outcome: z.enum(['met', 'missed', 'pending']),
        from: z.iso.datetime().nullable(),
        due: z.iso.datetime().nullable(),
        happenedAt: z.iso.datetime().nullable(),
      }),
    ),
    injects: z.array(
      z.object({
        seq: z.int(),
        at: z.iso.datetime(),
        as: z.string().nullable(),
        note: z.string().nullable(),
        does: z.string(),
        status: z.enum(['pending', 'done', 'failed', 'skipped']),
        error: z.object({ status: z.int(), code: z.string(), message: z.string(), details: z.unknown().optional() }).nullable(),
      }),
    ),
  })
  .meta({ id: 'ExerciseReport' });

export function registerReportRoutes(router: Router, registry: OpenAPIRegistry, deps: { reports: ReportService; auth: RequestHandler[] }): void {
  defineRoute(router, registry, {
    method: 'get',
    path: '/api/exercises/:id/report',
    summary: 'The debrief report (facilitator and observers)',
    description:
      'Every event in simulated order; per notice the time from submission to publication, from publication to the first hit or location, and to the end; per participant the actions taken and response times; the scenario’s expectations, met, missed or pending, and the score. `?format=html` gives a self-contained printable page with an SVG timeline.',
    tags: ['exercises'],
    before: deps.auth,
    params: ExerciseIdParams,
    query: ReportQuery,
    response: ExerciseReportResponse,
    formats: { 'text/html': 'the report as a self-contained HTML page (`?format=html`)' },
    errors: [400, 403, 404],
    handler: async ({ params, query, req, res }) => {
      const report = await deps.reports.report(principalOf(req), params.id);
      if (query.format === 'html') {
        res.status(200).type('html').send(renderReportHtml(report));
        return undefined;
      }
      return report;
    },
  });
}
