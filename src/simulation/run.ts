/**
 * A simulation run: replications of one model, each on its own seeded streams, combined into the
 * result whose names are fixed (result.json). A replication's streams depend only on the seed and its
 * number, so replications give the same figures whether they run here, on worker threads or elsewhere.
 */
import { runReplication, type ReplicationResult } from './engine';
import type { Model } from './model';
import { streamAt } from '../kernel/random';
import type { SimObserver } from './sim-state';
import { summarise, summariseReplications, type Figure, type FigureName } from './result';

/** Streams per replication: arrivals, review, life. */
const STREAMS = 3;

export interface RunSpec {
  model: Model;
  years: number;
  seed: number;
}

export function replicate(spec: RunSpec, replication: number, log?: SimObserver): ReplicationResult {
  const base = replication * STREAMS;
  return runReplication({
    ...(log && { log }),
    model: spec.model,
    years: spec.years,
    random: {
      arrivals: streamAt(spec.seed, base),
      review: streamAt(spec.seed, base + 1),
      life: streamAt(spec.seed, base + 2),
    },
  });
}

export interface SimulationResult {
  seed: number;
  years: number;
  replications: number;
  model: string;
  /** The first day of the simulated period (after warm-up), YYYY-MM-DD. */
  start: string;
  figures: Record<FigureName, Figure>;
  /** Valid notices at the end of each simulated year: the means, then each as a figure (interval, values). */
  stockByYear: Record<string, { red: number; yellow: number; figures: { red: Figure; yellow: Figure } }>;
  /** Monthly and daily series of the period, the mean over the replications. */
  series: Omit<ReplicationResult['series'], 'months'> & { months: string[] };
  timings: { wallSeconds: number; replicationSeconds: number[]; events: number };
}

const meanOf = (rows: number[][]): number[] =>
  (rows[0] ?? []).map((_, i) => rows.reduce((sum, row) => sum + (row[i] ?? 0), 0) / rows.length);

/** Combines the replications' results (in replication order) into the run's result. */
export function combine(
  spec: RunSpec & { modelName: string },
  results: readonly ReplicationResult[],
  timings: { wallSeconds: number; replicationSeconds: number[] },
): SimulationResult {
  const stockByYear: SimulationResult['stockByYear'] = {};
  for (const year of Object.keys(results[0]!.stockByYear)) {
    const red = summarise(results.map((r) => r.stockByYear[year]!.red));
    const yellow = summarise(results.map((r) => r.stockByYear[year]!.yellow));
    stockByYear[year] = { red: red.mean, yellow: yellow.mean, figures: { red, yellow } };
  }
  const s = results.map((r) => r.series);
  return {
    seed: spec.seed,
    years: spec.years,
    replications: results.length,
    model: spec.modelName,
    start: spec.model.start,
    figures: summariseReplications(results.map((r) => r.figures)),
    stockByYear,
    series: {
      months: results[0]!.series.months,
      redIssued: meanOf(s.map((x) => x.redIssued)),
      yellowIssued: meanOf(s.map((x) => x.yellowIssued)),
      ended: meanOf(s.map((x) => x.ended)),
      validRed: meanOf(s.map((x) => x.validRed)),
      validYellow: meanOf(s.map((x) => x.validYellow)),
      backlogDaily: meanOf(s.map((x) => x.backlogDaily)),
      reviewDaysHistogram: meanOf(s.map((x) => x.reviewDaysHistogram)),
    },
    timings: { ...timings, events: results.reduce((sum, r) => sum + r.events, 0) },
  };
}
