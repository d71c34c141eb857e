/**
 * The simulation report's charts as Vega-Lite specifications, drawn by the project's chart module
 * (src/charts/vega-svg.ts, as the debrief's are): the backlog over time, the review-time distribution,
 * issued and ended per month, the valid stock over time, and the spread of the replications.
 */
import type { ChartSpec } from '../charts/vega-svg';
import { FIGURE_LABELS } from './figure-labels';
import type { FigureName } from './result';
import type { SimulationResult } from './run';

const WIDTH = 620;
const DAY = 86_400_000;

const dayOf = (start: string, i: number) => new Date(Date.parse(start) + i * DAY).toISOString().slice(0, 10);

export function backlogSpec(result: SimulationResult): ChartSpec {
  const values = result.series.backlogDaily.map((n, i) => ({ day: dayOf(result.start, i), n }));
  return {
    description: 'Requests in review at the General Secretariat, each day (mean of the replications)',
    width: WIDTH,
    height: 180,
    data: { values },
    mark: { type: 'line', color: '#1f5f8b' },
    encoding: {
      x: { field: 'day', type: 'temporal', title: null, axis: { format: '%b %Y' } },
      y: { field: 'n', type: 'quantitative', title: 'Requests in review' },
    },
  };
}

export function reviewDaysSpec(result: SimulationResult): ChartSpec {
  const histogram = result.series.reviewDaysHistogram;
  const values = histogram.map((n, d) => ({ days: d === histogram.length - 1 ? `${d}+` : String(d), n }));
  return {
    description: 'Days from submission to decision, requests decided in the period',
    width: WIDTH,
    height: 180,
    data: { values },
    mark: { type: 'bar', color: '#1f5f8b' },
    encoding: {
      x: {
        field: 'days',
        type: 'ordinal',
        sort: null,
        title: 'Days in review (whole days)',
        axis: { labelAngle: 0, labelExpr: "datum.index % 5 === 0 || indexof(datum.value, '+') > 0 ? datum.value : ''" },
      },
      y: { field: 'n', type: 'quantitative', title: 'Requests decided' },
    },
  };
}

export function perMonthSpec(result: SimulationResult): ChartSpec {
  const { months, redIssued, yellowIssued, ended } = result.series;
  const values = months.flatMap((month, i) => [
    { month, what: 'Red notices issued', n: redIssued[i] },
    { month, what: 'Yellow notices issued', n: yellowIssued[i] },
    { month, what: 'Notices ended (no longer valid)', n: ended[i] },
  ]);
  return {
    description: 'Notices issued and ended per month (mean of the replications)',
    width: WIDTH,
    height: 200,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'month', type: 'temporal', timeUnit: 'yearmonth', title: null, axis: { format: '%b %Y' } },
      y: { field: 'n', type: 'quantitative', title: 'Per month' },
      color: {
        field: 'what',
        type: 'nominal',
        title: null,
        scale: {
          domain: ['Red notices issued', 'Yellow notices issued', 'Notices ended (no longer valid)'],
          range: ['#b2182b', '#d8a100', '#555'],
        },
      },
    },
  };
}

/** The valid stock at the end of every year since the empty system of the warm-up, with its interval. */
export function stockSpec(result: SimulationResult): ChartSpec {
  const values = Object.entries(result.stockByYear).flatMap(([year, s]) => [
    { year, what: 'Red', n: s.red, lo: s.figures.red.ci95[0], hi: s.figures.red.ci95[1] },
    { year, what: 'Yellow', n: s.yellow, lo: s.figures.yellow.ci95[0], hi: s.figures.yellow.ci95[1] },
  ]);
  const x = { field: 'year', type: 'ordinal', title: 'End of year', axis: { labelAngle: 0 } };
  const color = {
    field: 'what',
    type: 'nominal',
    title: 'Valid notices',
    scale: { domain: ['Red', 'Yellow'], range: ['#b2182b', '#d8a100'] },
  };
  return {
    description: 'Valid notices at the end of each year, warm-up included (mean and 95 % interval)',
    width: WIDTH,
    height: 220,
    data: { values },
    layer: [
      {
        mark: { type: 'area', opacity: 0.2 },
        encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color },
      },
      {
        mark: { type: 'line', point: true },
        encoding: { x, y: { field: 'n', type: 'quantitative', title: 'Valid' }, color },
      },
    ],
  };
}

const SPREAD: FigureName[] = [
  'redIssued',
  'yellowIssued',
  'redRefused',
  'redValidAtStart',
  'redValidAtEnd',
  'yellowValidAtStart',
  'noticeHits',
  'reviewDaysMean',
  'gsBacklogMean',
  'gsUtilisation',
];

/** Each replication's value of the main figures, as its distance from their mean. */
export function spreadSpec(result: SimulationResult): ChartSpec {
  const values = SPREAD.flatMap((name) => {
    const figure = result.figures[name];
    return figure.values.map((v, i) => ({
      figure: FIGURE_LABELS[name],
      replication: i + 1,
      off: figure.mean === 0 ? 0 : (v - figure.mean) / figure.mean,
    }));
  });
  return {
    description: 'Each replication against the mean of all, per figure',
    width: WIDTH - 200,
    height: { step: 22 },
    data: { values },
    mark: { type: 'circle', size: 40, opacity: 0.7, color: '#1f5f8b' },
    encoding: {
      x: { field: 'off', type: 'quantitative', title: 'Replication against the mean', axis: { format: '+.0%' } },
      y: { field: 'figure', type: 'nominal', title: null, sort: SPREAD.map((n) => FIGURE_LABELS[n]) },
      tooltip: [{ field: 'replication' }, { field: 'off', format: '+.1%' }],
    },
  };
}
