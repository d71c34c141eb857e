/**
 * Forecasts from a live exercise (`POST /api/exercises/:id/forecasts`): the notices the caller may see,
 * as they stand at the exercise's simulated now, projected over a horizon with the rates of
 * interpol-2024 (changed by the caller's overrides). The facilitator's and observers' question ("how
 * many of today's notices will still be valid in 90 days?"); stored and read like a simulation.
 * Replications run in this process, each yielding to other requests: an exercise's notices take
 * milliseconds a replication.
 */
import { randomUUID } from 'node:crypto';
import { Duration } from 'luxon';
import type { Logger } from 'pino';
import { simulatedNow } from '../exercises/clock';
import type { ExerciseStore, Principal } from '../exercises/exercise-types';
import { ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors';
import { problemText } from '../kernel/validate';
import type { NoticeContext } from '../notices/notice-machine';
import type { NoticeStore } from '../notices/notice-store-type';
import { forecastReplication, type ForecastSpec } from './forecast';
import { parseModel, shippedModelText } from './model';
import { combine } from './run';
import { simulationView, type SimulationView } from './simulation-service';
import type { SimulationStore } from './simulation-store';

export interface ForecastRequest {
  /** An ISO 8601 duration: `P90D`, `P1Y`. */
  horizon: string;
  replications: number;
  seed: number;
  overrides?: Record<string, unknown> | undefined;
}

export interface ForecastService {
  start(principal: Principal, exerciseId: string, request: ForecastRequest): Promise<{ id: string }>;
  get(principal: Principal, exerciseId: string, id: string): Promise<SimulationView>;
  /** Resolves when every forecast started here has finished. */
  idle(): Promise<void>;
}

const MODEL = 'interpol-2024';
const MAX_HORIZON_DAYS = 3_650;

function horizonDays(horizon: string): number {
  const duration = Duration.fromISO(horizon);
  const days = duration.isValid ? duration.as('days') : Number.NaN;
  if (!Number.isFinite(days) || days < 1 || days > MAX_HORIZON_DAYS) {
    throw ValidationError.of('body.horizon', 'must be an ISO 8601 duration from P1D to P10Y, such as P90D');
  }
  return days;
}

export function createForecastService(deps: {
  exercises: ExerciseStore;
  notices: NoticeStore;
  store: SimulationStore;
  logger: Logger;
  wallNow?: () => Date;
}): ForecastService {
  const wallNow = deps.wallNow ?? (() => new Date());
  let queue: Promise<void> = Promise.resolve();

  async function run(id: string, spec: ForecastSpec, replications: number): Promise<void> {
    const started = performance.now();
    try {
      await deps.store.running(id);
      const results = [];
      const seconds = [];
      for (let i = 0; i < replications; i++) {
        const t = performance.now();
        results.push(forecastReplication(spec, i));
        seconds.push((performance.now() - t) / 1000);
        // The panel's bar moves with each replication, as a simulation's does; a lost write only delays it.
        await deps.store
          .progress(id, i + 1)
          .catch((err: unknown) => deps.logger.warn({ err, id }, 'forecast progress not saved'));
      }
      // The period starts at the exercise's now: its day is the result's start.
      const model = { ...spec.model, start: spec.from.at.slice(0, 10) };
      const result = combine({ model, years: spec.horizonDays / 365.25, seed: spec.seed, modelName: MODEL }, results, {
        wallSeconds: (performance.now() - started) / 1000,
        replicationSeconds: seconds,
      });
      await deps.store.finish(id, { result });
    } catch (err) {
      deps.logger.error({ err, id }, 'forecast failed');
      await deps.store
        .finish(id, { error: err instanceof Error ? err.message : String(err) })
        .catch((e: unknown) => deps.logger.error({ err: e, id }, 'forecast failure not saved'));
    }
  }

  function mayForecast(principal: Principal, exerciseId: string): void {
    if (principal.exerciseId !== exerciseId) throw new NotFoundError('Exercise');
    if (principal.role !== 'facilitator' && principal.role !== 'observer') {
      throw new ForbiddenError('Forecasts are for the facilitator and observers');
    }
  }

  return {
    async start(principal, exerciseId, request) {
      mayForecast(principal, exerciseId);
      const days = horizonDays(request.horizon);
      const parsed = parseModel(shippedModelText(MODEL), request.overrides);
      if (!parsed.ok) {
        // The model is the shipped one: a problem can only come from the overrides.
        const field = (f: string) =>
          f === 'overrides' || f.startsWith('overrides.') ? `body.${f}` : `body.overrides.${f}`;
        const problems = parsed.problems.map((p) => ({ ...p, field: field(p.field) }));
        throw new ValidationError(problems.map(problemText).join('; '), problems);
      }
      const exercise = await deps.exercises.find(exerciseId);
      if (!exercise) throw new NotFoundError('Exercise');
      const at = simulatedNow(exercise.clock, wallNow()).toISOString();
      const reader = { role: principal.role, country: principal.country };
      const stored = await deps.notices.list(exerciseId, { run: exercise.run, reader, limit: 1_000_000, offset: 0 });
      const notices = stored.map((n) => ({
        type: n.type,
        state: n.state,
        context: n.snapshot.context as NoticeContext,
        requestingCountry: n.requestingCountry,
      }));
      const id = randomUUID();
      const { replications, seed } = request;
      await deps.store.create({
        id,
        exerciseId,
        modelName: MODEL,
        request: {
          horizon: request.horizon,
          years: days / 365.25,
          replications,
          seed,
          from: at,
          notices: notices.length,
        },
        replications,
      });
      const spec: ForecastSpec = { model: parsed.model, from: { at, notices }, horizonDays: days, seed };
      queue = queue.then(() => run(id, spec, replications));
      return { id };
    },
    async get(principal, exerciseId, id) {
      mayForecast(principal, exerciseId);
      const row = /^[0-9a-f-]{36}$/i.test(id) ? await deps.store.findForecast(exerciseId, id) : null;
      if (!row) throw new NotFoundError('Forecast');
      return simulationView(row, wallNow().getTime());
    },
    idle: () => queue,
  };
}
