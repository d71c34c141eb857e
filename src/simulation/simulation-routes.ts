/**
 * The world simulation over HTTP: start one (202 at once), follow its progress (JSON or Server-Sent
 * Events), read its result (result.json's shape) and its report. Administrators only when the server has
 * an ADMIN_TOKEN, as creating an exercise is; open otherwise.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { AppError } from '../kernel/errors';
import type { Routes } from '../kernel/routes';
import { OVERRIDE_PROBLEMS, SHIPPED_MODELS, modelJsonSchema } from './model';
import type { SimulationService, SimulationView } from './simulation-service';
import { renderSimulationReport } from './simulation-report';

const StartSimulationBody = z
  .strictObject({
    model: z
      .union([z.string().max(100), z.record(z.string(), z.unknown())])
      .default('interpol-2024')
      .meta({
        description:
          `a shipped model's name (${SHIPPED_MODELS.join(', ')}), ` +
          'or a model as JSON (GET /api/simulations/schema)',
      }),
    years: z.int().min(1).max(5).default(1).meta({ description: 'years simulated after the warm-up' }),
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
          'values put over the model’s, in its shape: `{ "review": { "reviewers": 42 } }`; ' + OVERRIDE_PROBLEMS,
      }),
  })
  .meta({ id: 'StartSimulation' });

const Started = z.object({ id: z.uuid() }).meta({ id: 'SimulationStarted' });

export const SimulationResponse = z
  .object({
    id: z.string(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    model: z.string(),
    years: z.number().meta({ description: 'years simulated (a forecast: its horizon in years)' }),
    replications: z.int(),
    seed: z.int(),
    progress: z.object({ done: z.int(), total: z.int() }),
    result: z
      .record(z.string(), z.unknown())
      .nullable()
      .meta({ description: 'result.json once done: seed, years, replications, model, figures, stockByYear, timings' }),
    error: z.string().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'Simulation' });

const SimulationList = z.object({ items: z.array(SimulationResponse) }).meta({ id: 'SimulationList' });
const IdParams = z.strictObject({ id: z.guid({ error: 'must be a simulation id (UUID)' }) });

const asResponse = (v: SimulationView) => v as unknown as z.infer<typeof SimulationResponse>;

export function registerSimulationRoutes(
  routes: Routes,
  deps: { simulations: SimulationService; admin: RequestHandler[] },
): void {
  routes.define({
    method: 'post',
    path: '/api/simulations',
    operationId: 'startSimulation',
    summary: 'Start a simulation of the notice system (admin)',
    description:
      'Validates the model (a 400 names each bad field) and answers 202 with the id and a `Location` at once; ' +
      'the replications then run on the server’s worker threads, one simulation after another. Follow it at ' +
      '`GET /api/simulations/:id` or its `/stream`.',
    tags: ['simulations'],
    before: deps.admin,
    body: StartSimulationBody,
    status: 202,
    response: Started,
    errors: [],
    handler: async ({ body, res }) => {
      const { id } = await deps.simulations.start(body);
      res.location(`/api/simulations/${id}`);
      return { id };
    },
  });

  routes.define({
    method: 'get',
    path: '/api/simulations',
    operationId: 'listSimulations',
    summary: 'The latest simulations, newest first, without their results (admin)',
    tags: ['simulations'],
    before: deps.admin,
    response: SimulationList,
    errors: [],
    handler: async () => ({ items: (await deps.simulations.list()).map(asResponse) }),
  });

  routes.define({
    method: 'get',
    path: '/api/simulations/schema',
    operationId: 'getSimulationModelSchema',
    summary: 'The JSON Schema of a simulation model (simulations/model.schema.json)',
    tags: ['simulations'],
    response: z.record(z.string(), z.unknown()),
    errors: [],
    handler: async () => modelJsonSchema(),
  });

  routes.define({
    method: 'get',
    path: '/api/simulations/:id',
    operationId: 'getSimulation',
    summary: 'A simulation: its status, progress and, once done, its result (admin)',
    tags: ['simulations'],
    before: deps.admin,
    params: IdParams,
    response: SimulationResponse,
    errors: [404],
    handler: async ({ params }) => asResponse(await deps.simulations.get(params.id)),
  });

  routes.define({
    method: 'get',
    path: '/api/simulations/:id/report',
    operationId: 'getSimulationReport',
    summary: 'A finished simulation’s report: a self-contained, printable HTML page (admin)',
    tags: ['simulations'],
    before: deps.admin,
    params: IdParams,
    response: z.string(),
    responseMedia: 'text/html',
    errors: [404, 409],
    handler: async ({ params, res }) => {
      const simulation = await deps.simulations.get(params.id);
      if (!simulation.result) {
        const message = `The simulation is ${simulation.status}: its report comes when it is done`;
        throw new AppError('SIMULATION_NOT_DONE', message, { status: simulation.status });
      }
      res
        .status(200)
        .type('html')
        .send(await renderSimulationReport(simulation.result as never));
      return undefined;
    },
  });

  routes.define({
    method: 'get',
    path: '/api/simulations/:id/stream',
    operationId: 'streamSimulation',
    summary: 'A simulation’s progress as Server-Sent Events (admin)',
    description:
      '`event: progress` with `{ done, total }` as each replication finishes, then `event: done` or ' +
      '`event: failed` with the simulation (without its result), and the stream ends. A simulation run by ' +
      'another process of the server is followed by reading its row each second.',
    tags: ['simulations'],
    before: deps.admin,
    params: IdParams,
    response: z.string(),
    responseMedia: 'text/event-stream',
    errors: [404],
    handler: async ({ params, req, res }) => {
      let last = await deps.simulations.get(params.id, false);
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
      });
      const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      send('progress', last.progress);
      let closed = false;
      let wake: (() => void) | null = null;
      const onEvent = (id: string) => {
        if (id === params.id) wake?.();
      };
      deps.simulations.events.on('progress', onEvent);
      deps.simulations.events.on('finished', onEvent);
      req.on('close', () => {
        closed = true;
        wake?.();
      });
      try {
        while (!closed && (last.status === 'queued' || last.status === 'running')) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, 1000).unref();
          });
          wake = null;
          if (closed) break;
          const now = await deps.simulations.get(params.id, false);
          if (now.progress.done !== last.progress.done) send('progress', now.progress);
          last = now;
        }
        if (!closed) send(last.status === 'done' ? 'done' : 'failed', last);
      } finally {
        deps.simulations.events.off('progress', onEvent);
        deps.simulations.events.off('finished', onEvent);
        res.end();
      }
      return undefined;
    },
  });
}
