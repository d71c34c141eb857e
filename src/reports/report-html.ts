import { el, esc, when } from './report-markup';
import type { ExerciseReport } from './report-schema';
import { STATE_COLOURS, laneLabel, timelineSvg } from './report-timeline';

/**
 * The debrief report as one self-contained, printable HTML page: no script, no external asset;
 * the timeline chart is inline SVG (one lane per notice, its states as bands, each event a mark).
 */

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

function table(headers: string[], rows: string[][], caption?: string): string {
  const head = `<thead><tr>${headers.map((h) => el('th', { scope: 'col' }, esc(h))).join('')}</tr></thead>`;
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('');
  return `<table>${caption ? `<caption>${esc(caption)}</caption>` : ''}${head}<tbody>${body}</tbody></table>`;
}

const EXPECTATION_HEADERS = ['Expectation', 'Expects', 'Outcome', 'Due', 'Happened', 'Score'];

function counts({ summary }: ExerciseReport): string {
  const { done, failed, pending, skipped } = summary.injects;
  return (
    `${summary.notices} notice(s), ${summary.events} event(s); ` +
    `injects: ${done} done, ${failed} failed, ${pending} pending, ${skipped} played by teams.`
  );
}

/** Refusals by ground, as INTERPOL reports them (Art. 2, Art. 3, …). */
function refusalLine(refusals: ExerciseReport['summary']['refusals']): string {
  if (refusals.total === 0) return 'No request was refused.';
  const grounds = Object.entries(refusals.byGround)
    .filter(([, n]) => n > 0)
    .map(([ground, n]) => `${ground} ${n}`);
  const unanswered = refusals.unanswered ? [`unanswered request for information ${refusals.unanswered}`] : [];
  return `Refused: ${refusals.total} (${[...grounds, ...unanswered].join(', ')}).`;
}

export function renderReportHtml(report: ExerciseReport): string {
  const { exercise, summary } = report;
  const title = exercise.title ?? exercise.name;
  const meta = `Exercise ${exercise.name} · simulated start ${when(exercise.start)} · now ${when(exercise.now)}`;
  const legend = Object.entries(STATE_COLOURS)
    .filter(([state]) => report.timeline.some((e) => !e.country && e.to === state))
    .map(([state, colour]) => `<span class="key"><i style="background:${colour}"></i>${esc(state)}</span>`)
    .join(' ');
  const expectationRows = report.expectations.map((e) => [
    esc(e.description),
    esc(e.expects),
    `<span class="outcome ${e.outcome}">${e.outcome}</span>`,
    esc(when(e.due)),
    esc(when(e.happenedAt)),
    e.outcome === 'met' ? `${e.score}` : `0 / ${e.score}`,
  ]);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Debrief: ${esc(title)}</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #222; }
  h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ccc; }
  .meta { color: #555; } .briefing { white-space: pre-wrap; background: #f6f6f6; padding: 0.75rem; }
  table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; } caption { text-align: left; font-weight: 600; }
  th, td { border-bottom: 1px solid #e3e3e3; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
  .outcome { font-weight: 600; } .met { color: #006d4f; } .missed { color: #b23c00; } .pending { color: #7a6a00; }
  .key { display: inline-block; margin-right: 0.75rem; }
  .key i { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.25rem; vertical-align: -0.1em; }
  .score { font-size: 1.4rem; font-weight: 700; }
  @media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } table, svg { break-inside: avoid; } }
</style>
</head>
<body>
<h1>Debrief: ${esc(title)}</h1>
<p class="meta">${esc(meta)}</p>
${exercise.briefing ? `<h2>Briefing</h2><div class="briefing">${esc(exercise.briefing)}</div>` : ''}
<h2>Summary</h2>
<p class="score">Score ${summary.score} of ${summary.maxScore}</p>
<p>${esc(counts(report))}</p>
<p>${esc(refusalLine(summary.refusals))}</p>
${report.expectations.length ? table(EXPECTATION_HEADERS, expectationRows, 'Expectations') : ''}
<h2>Timeline</h2>
<p>${legend}</p>
${timelineSvg(report)}
<h2>Notices</h2>
${table(
  [
    'Notice',
    'State',
    'Submitted',
    'Submission → publication',
    'Publication → first hit',
    'Publication → end',
    'Records',
  ],
  report.notices.map((n) => [
    esc(laneLabel(n)),
    esc(n.state),
    esc(when(n.submittedAt)),
    humanDuration(n.seconds.submissionToPublication),
    `${humanDuration(n.seconds.publicationToFirstHit)}${n.firstHitCountry ? ` (${esc(n.firstHitCountry)})` : ''}`,
    humanDuration(n.seconds.publicationToEnd),
    esc(
      Object.entries(n.records)
        .map(([state, count]) => `${state} ${count}`)
        .join(', '),
    ),
  ]),
)}
<h2>Participants</h2>
${table(
  ['Participant', 'Role', 'Actions', 'Median response', 'Slowest response', 'What'],
  report.participants
    .filter((p) => p.actions > 0 || p.role !== 'facilitator')
    .map((p) => [
      esc(p.name ?? p.key ?? p.id.slice(0, 8)),
      esc(`${p.role}${p.country ? ` ${p.country}` : ''}`),
      `${p.actions}`,
      humanDuration(p.responseSeconds.median),
      humanDuration(p.responseSeconds.max),
      esc(
        Object.entries(p.byType)
          .map(([type, n]) => `${type} ×${n}`)
          .join(', '),
      ),
    ]),
)}
${
  report.injects.length
    ? `<h2>Injects</h2>${table(
        ['#', 'At', 'As', 'Does', 'Status'],
        report.injects.map((i) => [
          `${i.seq + 1}`,
          esc(when(i.at)),
          esc(i.as),
          esc(i.note ? `${i.does}: ${i.note}` : i.does),
          esc(i.error ? `${i.status}: ${i.error.code} ${i.error.message}` : i.status),
        ]),
      )}`
    : ''
}
<h2>Events</h2>
${table(
  ['Simulated time', 'Notice', 'Event', 'By', 'From → to'],
  report.timeline.map((e) => [
    esc(when(e.at)),
    esc(e.notice),
    esc(`${e.type}${e.country ? ` (${e.country} record)` : ''}`),
    esc(e.actor.participant ?? `${e.actor.role}${e.actor.country ? ` ${e.actor.country}` : ''}`),
    esc(`${e.from ?? '—'} → ${e.to}`),
  ]),
)}
</body>
</html>
`;
}
