/**
 * Response times per participant, drawn with the project's chart module: a dot for each timed action
 * (coloured by the action, in words) and a bar with its printed value for the participant's median, on a
 * scale that keeps minutes and weeks readable on one axis.
 */
import { chartSvg, type ChartSpec } from '../charts/vega-svg';
import { eventLabel } from '../kernel/labels';
import type { ExerciseReport } from './report-schema';

/** Axis marks in minutes, with their words. */
const TICKS: [number, string][] = [
  [0, '0'],
  [1, '1 min'],
  [10, '10 min'],
  [60, '1 h'],
  [360, '6 h'],
  [1_440, '1 day'],
  [10_080, '1 week'],
  [43_200, '30 days'],
  [525_600, '1 year'],
];

/** A duration in simulated seconds as days, hours and minutes. */
export function humanDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds === 0) return '0';
  const sign = seconds < 0 ? '−' : '';
  let s = Math.abs(seconds);
  const parts: string[] = [];
  const units: [string, number][] = [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
  ];
  for (const [unit, size] of units) {
    const n = Math.floor(s / size);
    if (n) parts.push(`${n}${unit}`);
    s -= n * size;
  }
  if (s && !parts.length) parts.push(`${s}s`);
  return sign + parts.slice(0, 2).join(' ');
}

export function responsesChartSpec(report: ExerciseReport): ChartSpec | null {
  const timed = report.participants.filter((p) => p.responses.length > 0);
  if (!timed.length) return null;
  const points = timed.flatMap((p) =>
    p.responses.map((r) => ({ who: p.label, minutes: Math.max(0, r.seconds) / 60, action: eventLabel(r.type) })),
  );
  const medians = timed.map((p) => ({
    who: p.label,
    minutes: Math.max(0, p.responseSeconds.median ?? 0) / 60,
    text: `median ${humanDuration(p.responseSeconds.median)}`,
  }));
  const longest = Math.max(...points.map((p) => p.minutes), 1);
  const ticks = TICKS.filter(([m], i) => m <= longest || (i > 0 && TICKS[i - 1]![0] < longest));
  const words = ticks.reduceRight((rest, [m, w]) => `datum.value === ${m} ? '${w}' : ${rest}`, "''");
  const x = {
    field: 'minutes',
    type: 'quantitative',
    title: 'Response time, from the event that prompted it (simulated)',
    scale: { type: 'symlog', constant: 1, domain: [0, ticks[ticks.length - 1]![0]], nice: false },
    axis: { values: ticks.map(([m]) => m), labelExpr: words, grid: true },
  };
  const y = { field: 'who', type: 'nominal', title: null, sort: timed.map((p) => p.label) };
  return {
    description: `Response times per participant in ${report.exercise.name}`,
    width: 560,
    height: { step: 34 },
    layer: [
      {
        data: { values: medians },
        mark: { type: 'tick', color: '#222', thickness: 3, size: 22 },
        encoding: { x, y },
      },
      {
        data: { values: medians },
        mark: { type: 'text', align: 'left', dx: 6, dy: -11, fontSize: 10 },
        encoding: { x, y, text: { field: 'text' } },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 55, opacity: 0.85 },
        encoding: { x, y, color: { field: 'action', type: 'nominal', title: 'Action', scale: { scheme: 'dark2' } } },
      },
    ],
  };
}

export async function responsesSvg(report: ExerciseReport): Promise<string> {
  const spec = responsesChartSpec(report);
  return spec ? chartSvg(spec, { idPrefix: 'responses' }) : '';
}
