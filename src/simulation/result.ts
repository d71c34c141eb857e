/**
 * What a simulation answers (`result.json`), whose names other tools read and so never change: each
 * figure over the replications as its mean, a 95 % confidence interval (Student's t over the
 * replications' values, as Law and Kelton's method of independent replications gives it) and the
 * values themselves, in replication order.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** The figures every result carries, for the simulated period after warm-up (issue 15's list). */
export const FIGURE_NAMES = [
  'redIssued',
  'yellowIssued',
  'redRefused',
  'yellowRefused',
  'redRefusedBySystem',
  'yellowRefusedBySystem',
  'refusedArticle2',
  'refusedArticle3',
  'redCancelled',
  'yellowCancelled',
  'redWithdrawn',
  'redExpired',
  'redDeleted',
  'redValidAtStart',
  'redValidAtEnd',
  'yellowValidAtStart',
  'yellowValidAtEnd',
  'yellowLocated',
  'noticeHits',
  'databaseHits',
  'provisionalArrests',
  'surrenders',
  'reviewsCompleted',
  'reviewDaysMean',
  'reviewDaysP50',
  'reviewDaysP95',
  'gsBacklogMean',
  'gsBacklogAtEnd',
  'gsUtilisation',
] as const;
export type FigureName = (typeof FIGURE_NAMES)[number];

export interface Figure {
  mean: number;
  /** The 95 % confidence interval of the mean; the mean itself twice for a single replication. */
  ci95: [number, number];
  values: number[];
}

/** One figure over the replications' values (at least one, all finite). */
export function summarise(values: readonly number[]): Figure {
  if (!values.length) throw new RangeError('a figure needs at least one replication');
  if (!values.every(Number.isFinite)) throw new RangeError('a figure’s values must be finite numbers');
  const n = values.length;
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  if (n === 1) return { mean, ci95: [mean, mean], values: [...values] };
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1);
  const half = tQuantile(0.975, n - 1) * Math.sqrt(variance / n);
  return { mean, ci95: [mean - half, mean + half], values: [...values] };
}

/** Every figure of the run: each replication gives one value of each (a missing one is an error). */
export function summariseReplications(replications: readonly Record<FigureName, number>[]): Record<FigureName, Figure> {
  return Object.fromEntries(
    FIGURE_NAMES.map((name) => [
      name,
      summarise(
        replications.map((figures, i) => {
          const value = figures[name];
          if (value === undefined) throw new RangeError(`replication ${i + 1} has no figure ${name}`);
          return value;
        }),
      ),
    ]),
  ) as Record<FigureName, Figure>;
}
