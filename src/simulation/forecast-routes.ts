/** Forecasts from a live exercise over HTTP: the facilitator's and observers' projection of its notices. */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { principalOf } from '../exercises/exercise-auth';
import { ExerciseIdParams } from '../exercises/exercise-schemas';
import type { Routes } from '../kernel/routes';
import type { ForecastService } from './forecast-service';
import { OVERRIDE_PROBLEMS } from './model';
import { SimulationResponse } from './simulation-routes';

const StartForecastBody = z
  .strictObject({
    horizon: z.string().max(40).default('P90D').meta({
      description: 'how far ahead; a 400 says it must be an ISO 8601 duration from P1D to P10Y, such as P90D',
      example: 'P90D',
    }),
    replications: z.int().min(1).max(100).default(20),
    seed: z
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(42),
    overrides: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({
        description:
          'values put over interpol-2024’s, in its shape: `{ "published": { "red": { "hitsPerYear": 0.2 } } }`; ' +
          OVERRIDE_PROBLEMS,
      }),
  })
  .meta({ id: 'StartForecast' });

const ForecastParams = z.strictObject({
  id: z.guid({ error: 'must be an exercise id (UUID)' }),
  forecastId: z.guid({ error: 'must be a forecast id (UUID)' }),
});

export function registerForecastRoutes(
  routes: Routes,
  deps: { forecasts: ForecastService; auth: RequestHandler[] },
): void {
  routes.define({
    method: 'post',
    path: '/api/exercises/:id/forecasts',
    operationId: 'startForecast',
    summary: 'Project the exercise’s notices forward (facilitator and observers)',
    description:
      'From the exercise’s simulated now, the notices the caller may see go on under the rates of interpol-2024 ' +
      '(changed by `overrides`) for the horizon: requests in review meet the General Secretariat’s reviewers, ' +
      'valid notices are hit, withdrawn, renewed or expire. No new request arrives. Answers 202 with the id and ' +
      'a `Location`; the result has the figures of result.json, `redValidAtEnd` being the valid Red notices at ' +
      'the horizon.',
    tags: ['exercises'],
    before: deps.auth,
    params: ExerciseIdParams,
    body: StartForecastBody,
    status: 202,
    response: z.object({ id: z.uuid() }).meta({ id: 'ForecastStarted' }),
    errors: [403, 404],
    handler: async ({ params, body, req, res }) => {
      const { id } = await deps.forecasts.start(principalOf(req), params.id, body);
      res.location(`/api/exercises/${params.id}/forecasts/${id}`);
      return { id };
    },
  });

  routes.define({
    method: 'get',
    path: '/api/exercises/:id/forecasts/:forecastId',
    operationId: 'getForecast',
    summary: 'A forecast: its status, progress and, once done, its figures with their intervals',
    tags: ['exercises'],
    before: deps.auth,
    params: ForecastParams,
    response: SimulationResponse,
    errors: [403, 404],
    handler: async ({ params, req }) =>
      (await deps.forecasts.get(principalOf(req), params.id, params.forecastId)) as never,
  });
}
