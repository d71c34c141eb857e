/**
 * A large exercise's debrief page (report-aggregates.ts counts it): the notices by state, the events of
 * each month and the time from submission to publication as distributions, and the circulation records
 * acted on, where a class's debrief draws a lane per notice and lists every event.
 */
import { chartSvg, type ChartSpec } from '../charts/vega-svg';
import { eventLabel, labelOf } from '../kernel/labels';
import { esc, table, worded } from './report-markup';
import { humanDuration } from './report-response-chart';
import type { ExerciseReport, ReportAggregates } from './report-schema';

/** Events shown by name in the monthly chart; the rest are counted together. */
const NAMED_EVENTS = 8;

function eventsByMonthSpec(a: ReportAggregates): ChartSpec | null {
  if (!a.eventsByMonth.length) return null;
  const totals = new Map<string, number>();
  for (const row of a.eventsByMonth) totals.set(row.type, (totals.get(row.type) ?? 0) + row.count);
  const named = new Set(
    [...totals]
      .sort((x, y) => y[1] - x[1])
      .slice(0, NAMED_EVENTS)
      .map(([type]) => type),
  );
  const values = a.eventsByMonth.map((row) => ({
    month: row.month,
    event: named.has(row.type) ? eventLabel(row.type) : 'Other events',
    count: row.count,
  }));
  return {
    width: 560,
    height: 220,
    data: { values },
    mark: 'bar',
    encoding: {
      x: { field: 'month', type: 'ordinal', title: 'Simulated month' },
      y: { field: 'count', type: 'quantitative', aggregate: 'sum', title: 'Events' },
      color: { field: 'event', type: 'nominal', title: 'Event' },
    },
  };
}

function reviewDaysSpec(a: ReportAggregates): ChartSpec | null {
  const { days } = a.submissionToPublication;
  if (!days.some((n) => n > 0)) return null;
  const last = days.length - 1;
  const values = days.map((count, day) => ({ day: day === last ? `${last}+` : String(day), count }));
  return {
    width: 560,
    height: 180,
    data: { values },
    mark: 'bar',
    encoding: {
      x: { field: 'day', type: 'ordinal', sort: null, title: 'Whole days from submission to publication' },
      y: { field: 'count', type: 'quantitative', title: 'Notices published' },
    },
  };
}

const figure = async (spec: ChartSpec | null, id: string, caption: string) =>
  spec ? `<figure>${await chartSvg(spec, { idPrefix: id })}<figcaption>${esc(caption)}</figcaption></figure>` : '';

export async function aggregateSections(report: ExerciseReport): Promise<string> {
  const a = report.aggregates!;
  const states = [...new Set(a.byState.map((row) => row.state))].sort();
  const count = (type: 'RED' | 'YELLOW', state: string) =>
    a.byState.find((row) => row.type === type && row.state === state)?.count ?? 0;
  const review = a.submissionToPublication;
  return `<h2>At this scale</h2>
<p>${esc(
    `${report.summary.notices.toLocaleString('en-GB')} notices: more than ${a.above}, so the debrief shows totals ` +
      'and distributions rather than a lane and a row for each notice and every event.',
  )}</p>
<h2>Notices by state</h2>
${table(
  ['State', 'Red', 'Yellow'],
  states.map((state) => [
    worded(labelOf('noticeStates', state), state),
    count('RED', state).toLocaleString('en-GB'),
    count('YELLOW', state).toLocaleString('en-GB'),
  ]),
)}
<h2>Events by month</h2>
${await figure(eventsByMonthSpec(a), 'by-month', 'History entries of each simulated month, by event.')}
<h2>From submission to publication</h2>
<p>${esc(
    `${review.count.toLocaleString('en-GB')} notices published: median ${humanDuration(review.p50)}, ` +
      `mean ${humanDuration(review.mean === null ? null : Math.round(review.mean))}, ` +
      `95th percentile ${humanDuration(review.p95)}.`,
  )}</p>
${await figure(reviewDaysSpec(a), 'review-days', 'Notices by whole days from submission to publication.')}
<h2>Circulation records acted on</h2>
${table(
  ['State', 'Records'],
  Object.entries(a.recordsByState).map(([state, n]) => [
    worded(labelOf('circulationStates', state), state),
    n.toLocaleString('en-GB'),
  ]),
  'A recipient country that did nothing with a notice has no record of its own.',
)}`;
}
