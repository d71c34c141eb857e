/** The debrief's SVG timeline: one lane per notice with its states as bands, and a mark per circulation event. */
import { el, esc, when } from './report-markup';
import type { ExerciseReport, NoticeFigures, TimelineEntry } from './report-schema';

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
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${width} ${height}" width="100%"` +
      ' aria-labelledby="timeline-title">',
    `<title id="timeline-title">Timeline of ${esc(report.exercise.name)} in simulated time</title>`,
  );
  for (const t of ticks(start, end)) {
    const tx = x(t).toFixed(1);
    parts.push(
      el('line', { x1: tx, x2: tx, y1: top - 6, y2: height - 30, stroke: '#ddd' }),
      el('text', { x: tx, y: height - 14, 'font-size': 11, 'text-anchor': 'middle' }, esc(tickLabel(t, end - start))),
    );
  }
  lanes.forEach((notice, i) => {
    const y = top + i * laneHeight;
    const own = events.filter((e) => e.noticeId === notice.id);
    parts.push(el('text', { x: left - 8, y: y + 17, 'font-size': 12, 'text-anchor': 'end' }, esc(laneLabel(notice))));
    parts.push(...stateBands(own, x, y, end));
    let lastLabel = { x: -Infinity, text: '' };
    for (const e of own.filter((ev) => ev.country)) {
      const ex = x(Date.parse(e.at)).toFixed(1);
      // One label for a country's events that fall on the same spot.
      const labelled = !(lastLabel.text === e.country && Number(ex) - lastLabel.x < 16);
      if (labelled) lastLabel = { x: Number(ex), text: e.country! };
      const tip = `${when(e.at)} ${e.type} by ${e.country} (${e.from} → ${e.to})`;
      parts.push(
        el(
          'line',
          { x1: ex, x2: ex, y1: y + 20, y2: y + 28, stroke: '#333', 'stroke-width': 1.5 },
          el('title', {}, esc(tip)),
        ),
        ...(labelled
          ? [el('text', { x: ex, y: y + 38, 'font-size': 9, 'text-anchor': 'middle' }, esc(e.country))]
          : []),
      );
    }
  });
  parts.push('</svg>');
  return parts.join('\n');
}

export function laneLabel(notice: NoticeFigures): string {
  return `${notice.key ?? notice.id.slice(0, 8)} · ${notice.type} ${notice.requestingCountry}`;
}

function stateBands(events: TimelineEntry[], x: (t: number) => number, y: number, end: number): string[] {
  const changes = events.filter((e) => !e.country);
  return changes.map((e, i) => {
    const from = Date.parse(e.at);
    const to = i + 1 < changes.length ? Date.parse(changes[i + 1]!.at) : end;
    const w = Math.max(2, x(to) - x(from));
    const tip = `${e.to} from ${when(e.at)} (${e.type} by ${e.actor.participant ?? e.actor.role})`;
    const band = { x: x(from).toFixed(1), y: y + 4, width: w.toFixed(1), height: 16 };
    const fill = { fill: STATE_COLOURS[e.to] ?? '#ccc', stroke: '#fff', 'stroke-width': 0.5 };
    return el('rect', { ...band, ...fill }, el('title', {}, esc(tip)));
  });
}
