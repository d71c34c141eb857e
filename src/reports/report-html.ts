import type { ExerciseReport, NoticeFigures, TimelineEntry } from './report-schema';

/**
 * The debrief report as one self-contained, printable HTML page: no script, no external asset;
 * the timeline chart is inline SVG (one lane per notice, its states as bands, each event a mark).
 */

const esc = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Colours by notice state, readable in print and by colour-blind readers (Okabe–Ito based). */
export const STATE_COLOURS: Record<string, string> = {
  draft: '#d9d9d9',
  submitted: '#b3cde3',
  under_review: '#56b4e9',
  info_requested: '#f0e442',
  published: '#009e73',
  suspended: '#e69f00',
  renewal_pending: '#cc79a7',
  located: '#0072b2',
  refused: '#d55e00',
  withdrawn: '#999999',
  cancelled: '#7f4f24',
  expired: '#555555',
  deleted: '#000000',
};

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

const when = (isoTime: string | null): string => (isoTime ? isoTime.replace('T', ' ').replace(/:\d\d\.\d{3}Z$/, 'Z') : '—');

function ticks(from: number, to: number): number[] {
  const span = Math.max(1, to - from);
  if (span > 400 * 86_400e3) {
    // Years: on the first of January, every year or every few.
    const first = new Date(from).getUTCFullYear() + 1;
    const last = new Date(to).getUTCFullYear();
    const every = Math.max(1, Math.ceil((last - first + 1) / 8));
    const out: number[] = [];
    for (let y = first; y <= last; y += every) out.push(Date.UTC(y, 0, 1));
    return out;
  }
  const steps = [60e3, 3_600e3, 6 * 3_600e3, 86_400e3, 7 * 86_400e3, 30 * 86_400e3, 91 * 86_400e3, 365 * 86_400e3];
  const step = steps.find((s) => span / s <= 8) ?? Math.ceil(span / 8 / (365 * 86_400e3)) * 365 * 86_400e3;
  const out: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) out.push(t);
  return out;
}

function tickLabel(t: number, span: number): string {
  const d = new Date(t).toISOString();
  if (span <= 2 * 86_400e3) return d.slice(5, 16).replace('T', ' ');
  if (span <= 400 * 86_400e3) return d.slice(0, 10);
  return d.slice(0, 4);
}

/** The SVG timeline: one lane per notice with its state bands, circulation events as ticks on it. */
export function timelineSvg(report: ExerciseReport): string {
  const lanes = report.notices;
  const events = report.timeline;
  const start = Date.parse(report.exercise.start ?? events[0]?.at ?? report.exercise.now);
  const end = Math.max(Date.parse(report.exercise.now), ...events.map((e) => Date.parse(e.at)), start + 60e3);
  const left = 150;
  const width = 1000;
  const laneHeight = 44;
  const top = 24;
  const height = top + lanes.length * laneHeight + 40;
  const x = (t: number) => left + ((t - start) / (end - start)) * (width - left - 50);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${width} ${height}" width="100%" aria-labelledby="timeline-title">`,
    `<title id="timeline-title">Timeline of ${esc(report.exercise.name)} in simulated time</title>`,
  );
  for (const t of ticks(start, end)) {
    parts.push(
      `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${top - 6}" y2="${height - 30}" stroke="#ddd"/>`,
      `<text x="${x(t).toFixed(1)}" y="${height - 14}" font-size="11" text-anchor="middle">${esc(tickLabel(t, end - start))}</text>`,
    );
  }
  lanes.forEach((notice, i) => {
    const y = top + i * laneHeight;
    const own = events.filter((e) => e.noticeId === notice.id);
    parts.push(`<text x="${left - 8}" y="${y + 17}" font-size="12" text-anchor="end">${esc(laneLabel(notice))}</text>`);
    parts.push(...stateBands(own, x, y, end));
    let lastLabel = { x: -Infinity, text: '' };
    for (const e of own.filter((ev) => ev.country)) {
      const ex = x(Date.parse(e.at)).toFixed(1);
      // One label for a country's events that fall on the same spot.
      const labelled = !(lastLabel.text === e.country && Number(ex) - lastLabel.x < 16);
      if (labelled) lastLabel = { x: Number(ex), text: e.country! };
      parts.push(
        `<line x1="${ex}" x2="${ex}" y1="${y + 20}" y2="${y + 28}" stroke="#333" stroke-width="1.5"><title>${esc(`${when(e.at)} ${e.type} by ${e.country} (${e.from} → ${e.to})`)}</title></line>`,
        ...(labelled ? [`<text x="${ex}" y="${y + 38}" font-size="9" text-anchor="middle">${esc(e.country)}</text>`] : []),
      );
    }
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function laneLabel(notice: NoticeFigures): string {
  return `${notice.key ?? notice.id.slice(0, 8)} · ${notice.type} ${notice.requestingCountry}`;
}

function stateBands(events: TimelineEntry[], x: (t: number) => number, y: number, end: number): string[] {
  const changes = events.filter((e) => !e.country);
  return changes.map((e, i) => {
    const from = Date.parse(e.at);
    const to = i + 1 < changes.length ? Date.parse(changes[i + 1]!.at) : end;
    const w = Math.max(2, x(to) - x(from));
    return `<rect x="${x(from).toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="16" fill="${STATE_COLOURS[e.to] ?? '#ccc'}" stroke="#fff" stroke-width="0.5"><title>${esc(`${e.to} from ${when(e.at)} (${e.type}${e.actor.participant ? ` by ${e.actor.participant}` : ` by ${e.actor.role}`})`)}</title></rect>`;
  });
}

function table(headers: string[], rows: string[][], caption?: string): string {
  return `<table>${caption ? `<caption>${esc(caption)}</caption>` : ''}<thead><tr>${headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

export function renderReportHtml(report: ExerciseReport): string {
  const { exercise, summary } = report;
  const title = exercise.title ?? exercise.name;
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
  .key { display: inline-block; margin-right: 0.75rem; } .key i { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.25rem; vertical-align: -0.1em; }
  .score { font-size: 1.4rem; font-weight: 700; }
  @media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } table, svg { break-inside: avoid; } }
</style>
</head>
<body>
<h1>Debrief: ${esc(title)}</h1>
<p class="meta">Exercise ${esc(exercise.name)} · simulated start ${esc(when(exercise.start))} · simulated now ${esc(when(exercise.now))}</p>
${exercise.briefing ? `<h2>Briefing</h2><div class="briefing">${esc(exercise.briefing)}</div>` : ''}
<h2>Summary</h2>
<p class="score">Score ${summary.score} of ${summary.maxScore}</p>
<p>${summary.notices} notice(s), ${summary.events} event(s); injects: ${summary.injects.done} done, ${summary.injects.failed} failed, ${summary.injects.pending} pending, ${summary.injects.skipped} played by teams.</p>
${report.expectations.length ? table(['Expectation', 'Expects', 'Outcome', 'Due', 'Happened', 'Score'], expectationRows, 'Expectations') : ''}
<h2>Timeline</h2>
<p>${legend}</p>
${timelineSvg(report)}
<h2>Notices</h2>
${table(
  ['Notice', 'State', 'Submitted', 'Submission → publication', 'Publication → first hit', 'Publication → end', 'Records'],
  report.notices.map((n) => [
    esc(laneLabel(n)),
    esc(n.state),
    esc(when(n.submittedAt)),
    humanDuration(n.seconds.submissionToPublication),
    `${humanDuration(n.seconds.publicationToFirstHit)}${n.firstHitCountry ? ` (${esc(n.firstHitCountry)})` : ''}`,
    humanDuration(n.seconds.publicationToEnd),
    esc(Object.entries(n.records).map(([state, count]) => `${state} ${count}`).join(', ')),
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
      esc(Object.entries(p.byType).map(([type, n]) => `${type} ×${n}`).join(', ')),
    ]),
)}
${report.injects.length ? `<h2>Injects</h2>${table(
    ['#', 'At', 'As', 'Does', 'Status'],
    report.injects.map((i) => [
      `${i.seq + 1}`,
      esc(when(i.at)),
      esc(i.as),
      esc(i.note ? `${i.does}: ${i.note}` : i.does),
      esc(i.error ? `${i.status}: ${i.error.code} ${i.error.message}` : i.status),
    ]),
  )}` : ''}
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
