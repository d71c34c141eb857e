/** Each result figure in words, for the report and the dashboard (the names themselves are result.json's). */
import type { FigureName } from './result';

export const FIGURE_LABELS: Record<FigureName, string> = {
  redIssued: 'Red notices issued',
  yellowIssued: 'Yellow notices issued',
  redRefused: 'Red requests refused by the GS',
  yellowRefused: 'Yellow requests refused by the GS',
  redRefusedBySystem: 'Red requests refused unanswered (system)',
  yellowRefusedBySystem: 'Yellow requests refused unanswered (system)',
  refusedArticle2: 'Requests refused on Article 2',
  refusedArticle3: 'Requests refused on Article 3',
  redCancelled: 'Red notices cancelled',
  yellowCancelled: 'Yellow notices cancelled',
  redWithdrawn: 'Red notices withdrawn',
  redExpired: 'Red notices expired',
  redDeleted: 'Red notices deleted (CCF)',
  redValidAtStart: 'Valid Red notices at the start',
  redValidAtEnd: 'Valid Red notices at the end',
  yellowValidAtStart: 'Valid Yellow notices at the start',
  yellowValidAtEnd: 'Valid Yellow notices at the end',
  yellowLocated: 'Missing persons located (Yellow)',
  noticeHits: 'Hits reported on notices',
  databaseHits: 'Positive database searches',
  provisionalArrests: 'Provisional arrests',
  surrenders: 'Surrenders',
  reviewsCompleted: 'Reviews completed',
  reviewDaysMean: 'Days in review, mean',
  reviewDaysP50: 'Days in review, median',
  reviewDaysP95: 'Days in review, 95th percentile',
  gsBacklogMean: 'Requests in review, time average',
  gsBacklogAtEnd: 'Requests in review at the end',
  gsUtilisation: 'Reviewers’ utilisation',
};

/** Figures that are shares or averages rather than counts, shown with decimals. */
export const FRACTIONAL: ReadonlySet<FigureName> = new Set([
  'reviewDaysMean',
  'reviewDaysP50',
  'reviewDaysP95',
  'gsBacklogMean',
  'gsUtilisation',
]);

/** A figure's value as read in a table: counts whole with thousands separated, shares as percentages. */
export function figureText(name: FigureName, value: number): string {
  if (name === 'gsUtilisation') return `${(value * 100).toFixed(1)} %`;
  if (FRACTIONAL.has(name))
    return value.toLocaleString('en-GB', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  return Math.round(value).toLocaleString('en-GB');
}
