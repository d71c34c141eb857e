/**
 * Simulations started through the API: each is validated and stored at once (answered 202), then run on
 * the worker pool (./simulate.ts) one after the other in this process, its progress written to its row
 * and told to whoever watches (the SSE stream). A row is the truth, so any process of the server reads
 * it; a simulation whose process stopped before it finished shows as failed once it has been silent for
 * longer than any replication takes.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { AppError, ValidationError } from '../kernel/errors';
import { problemText } from '../kernel/validate';
import { parseModel, shippedModelText, type Model } from './model';
import type { SimulationResult } from './run';
import type { simulate } from './simulate';
import type { SimulationRow, SimulationStatus, SimulationStore } from './simulation-store';

export interface SimulationRequest {
  /** A shipped model's name, or a model as data. */
  model: string | Record<string, unknown>;
  years: number;
  replications: number;
  seed: number;
  overrides?: Record<string, unknown> | undefined;
}

export interface SimulationView {
  id: string;
  status: SimulationStatus;
  model: string;
  years: number;
  replications: number;
  seed: number;
  progress: { done: number; total: number };
  result: SimulationResult | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** A running simulation silent this long (no replication finished) was interrupted: one takes under a minute. */
const SILENT_MS = 15 * 60_000;
const QUEUED_MS = 24 * 3_600_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SimulationService {
  start(request: SimulationRequest): Promise<{ id: string }>;
  get(id: string, withResult?: boolean): Promise<SimulationView>;
  list(): Promise<SimulationView[]>;
  /** Progress and the end of simulations run in this process: `progress` (id, done, total), `finished` (id). */
  events: EventEmitter;
  /** Resolves when every simulation started here has finished (tests, a stopping server). */
  idle(): Promise<void>;
}

/** A row as the API shows it; one silent for too long (its process stopped) shows as failed. */
export function simulationView(row: SimulationRow, nowMs: number): SimulationView {
  const quiet = nowMs - row.updatedAt.getTime();
  // A queued one waits behind others, which may take hours; a running one is heard from at every replication.
  const silent = (row.status === 'running' && quiet > SILENT_MS) || (row.status === 'queued' && quiet > QUEUED_MS);
  return {
    id: row.id,
    status: silent ? 'failed' : row.status,
    model: row.modelName,
    years: row.request.years,
    replications: row.replications,
    seed: row.request.seed,
    progress: { done: row.done, total: row.replications },
    result: row.result,
    error: silent ? 'interrupted: the server running it stopped before it finished; start it again' : row.error,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

export function createSimulationService(deps: {
  store: SimulationStore;
  run: typeof simulate;
  logger: Logger;
  now?: () => number;
}): SimulationService {
  const events = new EventEmitter().setMaxListeners(0);
  const now = deps.now ?? Date.now;
  // One simulation at a time: each already takes every core.
  let queue: Promise<void> = Promise.resolve();

  function modelOf(request: SimulationRequest): { name: string; model: Model } {
    const shipped = typeof request.model === 'string' ? shippedModelText(request.model) : null;
    if (typeof request.model === 'string' && shipped === null) {
      throw ValidationError.of(
        'body.model',
        `no shipped model ${JSON.stringify(request.model)}: give interpol-2024 or a model`,
      );
    }
    const parsed = parseModel(shipped ?? request.model, request.overrides);
    if (!parsed.ok) {
      const problems = parsed.problems.map((p) => ({
        ...p,
        field:
          p.field === 'overrides' || p.field.startsWith('overrides.') ? `body.${p.field}` : `body.model.${p.field}`,
      }));
      throw new ValidationError(problems.map(problemText).join('; '), problems);
    }
    return { name: typeof request.model === 'string' ? request.model : 'custom', model: parsed.model };
  }

  async function runOne(id: string, spec: Parameters<typeof simulate>[0]): Promise<void> {
    let saved: Promise<void> = Promise.resolve();
    try {
      await deps.store.running(id);
      const result = await deps.run(spec, {
        onProgress: (done, total) => {
          events.emit('progress', id, done, total);
          // In order, and all before the end is written: a late one must not undo it.
          saved = saved.then(() =>
            deps.store
              .progress(id, done)
              .catch((err: unknown) => deps.logger.warn({ err, id }, 'simulation progress not saved')),
          );
        },
      });
      await saved;
      await deps.store.finish(id, { result });
    } catch (err) {
      deps.logger.error({ err, id }, 'simulation failed');
      await deps.store
        .finish(id, { error: err instanceof Error ? err.message : String(err) })
        .catch((e: unknown) => deps.logger.error({ err: e, id }, 'simulation failure not saved'));
    } finally {
      events.emit('finished', id);
    }
  }

  return {
    events,
    async start(request) {
      const { name, model } = modelOf(request);
      const id = randomUUID();
      const { years, replications, seed } = request;
      await deps.store.create({ id, modelName: name, request: { years, replications, seed, model }, replications });
      const spec = { model, modelName: name, years, replications, seed };
      queue = queue.then(() => runOne(id, spec));
      return { id };
    },
    async get(id, withResult = true) {
      const row = UUID.test(id) ? await deps.store.find(id, withResult) : null;
      if (!row) throw new AppError('NOT_FOUND', `no simulation ${id}`);
      return simulationView(row, now());
    },
    async list() {
      return (await deps.store.list(50)).map((row) => simulationView(row, now()));
    },
    idle: () => queue,
  };
}
