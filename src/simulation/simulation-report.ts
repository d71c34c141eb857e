/**
 * A simulation run's report (`report.html`): one self-contained, printable page with no script and no
 * external asset, like the debrief's. The figures beside INTERPOL's published ones with the deviation,
 * every figure with its 95 % interval, and the charts (./simulation-charts.ts) drawn on the server.
 */
import { chartSvg, type ChartSpec } from '../charts/vega-svg';
import { esc } from '../kernel/html';
import { comparePublished, type Comparison } from './calibration';
import { FIGURE_LABELS, figureText } from './figure-labels';
import { FIGURE_NAMES } from './result';
import type { SimulationResult } from './run';
import { backlogSpec, perMonthSpec, reviewDaysSpec, spreadSpec, stockSpec } from './simulation-charts';

const whole = (n: number) => Math.round(n).toLocaleString('en-GB');
const percent = (share: number) => `${share >= 0 ? '+' : '−'}${Math.abs(share * 100).toFixed(1)} %`;

function table(headers: string[], rows: string[][], caption: string): string {
  const head = headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table><caption>${esc(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function verdict(c: Comparison): string {
  if (c.within === null) return '<span class="muted">no target</span>';
  return c.within
    ? '<span class="met">within</span>'
    : `<span class="missed">outside</span> <span class="muted">(±${(c.tolerance! * 100).toFixed(0)} %)</span>`;
}

function comparisonRows(result: SimulationResult): string[][] {
  return comparePublished(result).map((c) => [
    `${esc(c.label)}${c.heldOut ? ' <span class="tag">held out</span>' : ''}`,
    whole(c.published),
    `${esc(whole(c.simulated.mean))} <span class="muted">` +
      `[${esc(whole(Math.max(0, c.simulated.ci95[0])))} – ${esc(whole(c.simulated.ci95[1]))}]</span>`,
    esc(c.compared),
    percent(c.deviation),
    verdict(c),
  ]);
}

function figureRows(result: SimulationResult): string[][] {
  return FIGURE_NAMES.map((name) => {
    const f = result.figures[name];
    return [
      `${esc(FIGURE_LABELS[name])} <span class="code">${esc(name)}</span>`,
      esc(figureText(name, f.mean)),
      // Every figure is a count, a time or a share: an interval below 0 (few replications) reads from 0.
      `${esc(figureText(name, Math.max(0, f.ci95[0])))} – ${esc(figureText(name, f.ci95[1]))}`,
      `${esc(figureText(name, Math.min(...f.values)))} – ${esc(figureText(name, Math.max(...f.values)))}`,
    ];
  });
}

const STYLE = `
  body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1000px; padding: 0 1rem; color: #222; }
  h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ccc; }
  .meta, .muted, figcaption { color: #555; }
  .code { color: #666; font-size: 0.75em; font-family: ui-monospace, monospace; }
  table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; } caption { text-align: left; font-weight: 600; }
  th, td { border-bottom: 1px solid #e3e3e3; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
  .met { color: #006d4f; font-weight: 600; } .missed { color: #b23c00; font-weight: 600; }
  .tag { font-size: 0.75em; border: 1px solid #999; border-radius: 3px; padding: 0 0.25rem; color: #444; }
  figure { margin: 0.75rem 0; } figure svg { display: block; width: 100%; height: auto; }
  @page { size: A4; margin: 12mm; }
  @media print {
    body { margin: 0; max-width: none; padding: 0; font-size: 9.5pt; }
    h2 { break-after: avoid; } figure, tr { break-inside: avoid; } thead { display: table-header-group; }
  }`;

const CALIBRATION_HEADERS = [
  'Published figure',
  'Published',
  'Simulated [95 % interval]',
  'Compared with',
  'Deviation',
  '',
];
const FIGURE_HEADERS = ['Figure', 'Mean', '95 % interval', 'Lowest – highest replication'];

const CAPTIONS = {
  backlog:
    'Requests in review at the General Secretariat, each day (waiting for information included): a queue ' +
    'forms when reviewers are busy, and requests wait for the answers to requests for information.',
  reviewDays: 'How long the requests decided in the period were in review, from submission to decision.',
  perMonth: 'Notices issued and ended per month.',
  stock:
    'Valid notices at the end of each year, from the empty system of the warm-up: an output of the model, ' +
    'never an input.',
  spread: 'Each replication (a dot) against the mean of all: how much one simulated year varies by chance.',
};

export async function renderSimulationReport(result: SimulationResult): Promise<string> {
  const charts: [string, ChartSpec, string][] = [
    ['backlog', backlogSpec(result), CAPTIONS.backlog],
    ['review-days', reviewDaysSpec(result), CAPTIONS.reviewDays],
    ['per-month', perMonthSpec(result), CAPTIONS.perMonth],
    ['stock', stockSpec(result), CAPTIONS.stock],
    ['spread', spreadSpec(result), CAPTIONS.spread],
  ];
  const drawn = await Promise.all(
    charts.map(
      async ([id, spec, caption]) =>
        `<figure>${await chartSvg(spec, { idPrefix: id })}<figcaption>${esc(caption)}</figcaption></figure>`,
    ),
  );
  const end = new Date(Date.parse(result.start));
  end.setUTCFullYear(end.getUTCFullYear() + result.years);
  const t = result.timings;
  const meta =
    `Model ${result.model} · seed ${result.seed} · ${result.replications} replication(s) · ` +
    `simulated ${result.start} to ${end.toISOString().slice(0, 10)} after a warm-up from an empty system`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Simulation: ${esc(result.model)}, seed ${result.seed}</title>
<style>${STYLE}
</style>
</head>
<body>
<h1>Simulation of the notice system</h1>
<p class="meta">${esc(meta)}</p>
<h2>Against INTERPOL’s published figures</h2>
<p>Intervals are 95 % confidence intervals over the replications. A figure is within when the published value
lies inside the interval widened by the figure’s tolerance. Held-out figures were not used to set any parameter:
they test the model.</p>
${table(CALIBRATION_HEADERS, comparisonRows(result), 'Calibration')}
<h2>Charts</h2>
${drawn.join('\n')}
<h2>All figures</h2>
${table(FIGURE_HEADERS, figureRows(result), 'Figures of the simulated period')}
<p class="muted">Run in ${esc(t.wallSeconds.toFixed(1))} s of wall time;
${esc(whole(t.events))} transitions of the machines.</p>
</body>
</html>
`;
}
