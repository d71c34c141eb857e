import type { RequestHandler } from 'express';
import { z } from 'zod';
import { principalOf } from '../exercises/exercise-auth';
import { ExerciseIdParams } from '../exercises/exercise-schemas';
import { RunQueryField } from '../exercises/runs';
import type { Routes } from '../kernel/routes';
import { renderReportHtml } from './report-html';
import { ExerciseReportResponse } from './report-schema';
import type { ReportService } from './report-service';

const ReportQuery = z.strictObject({
  format: z.enum(['json', 'html'], { error: 'must be json or html' }).default('json'),
  run: RunQueryField,
});

export function registerReportRoutes(routes: Routes, deps: { reports: ReportService; auth: RequestHandler[] }): void {
  routes.define({
    method: 'get',
    path: '/api/exercises/:id/report',
    operationId: 'getExerciseReport',
    summary: 'The debrief report (facilitator and observers)',
    description:
      'Every event in simulated order, with what was typed; per notice the time from submission to publication, ' +
      'from publication to the first hit or location, and to the end; per participant the actions taken and each ' +
      'one’s response time from the event that prompted it (the response rules); refusals by ground; the ' +
      'scenario’s expectations, met, missed or pending, and the score; the searches and hits; the messages, and each ' +
      'team’s time to a first answer. `?format=html` gives a self-contained ' +
      'printable page with its charts as SVG. It tells the current run; `?run=N` an earlier one.',
    tags: ['exercises'],
    before: deps.auth,
    params: ExerciseIdParams,
    query: ReportQuery,
    response: ExerciseReportResponse,
    formats: { 'text/html': 'the report as a self-contained HTML page (`?format=html`)' },
    errors: [403, 404],
    handler: async ({ params, query, req, res }) => {
      const report = await deps.reports.report(principalOf(req), params.id, query.run);
      if (query.format === 'html') {
        res
          .status(200)
          .type('html')
          .send(await renderReportHtml(report));
        return undefined;
      }
      return report;
    },
  });
}
