/**
 * The debrief's timeline, drawn with the project's chart module (Vega-Lite to SVG): the notices' states
 * as bands, and one row per participant with a numbered mark for each event it caused. Every mark has a
 * printed label, "6 Hit reported (FR): Identified at Nice airport", placed in the first lane of its row
 * where it overlaps no other label, so events minutes apart on a month's scale both stay legible.
 */
import { chartSvg, type ChartSpec } from '../charts/vega-svg';
import { eventLabel, labelOf } from '../kernel/labels';
import type { ExerciseReport, NoticeFigures, TimelineEntry } from './report-schema';
import { shortText } from './report-text';

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

/** Plot width in SVG pixels; the page scales the drawing to its width. */
const WIDTH = 760;
const FONT = 10;
/** A generous width per character at FONT, so a label never runs into the next in print. */
const CHAR = 0.62 * FONT;
const LANE = 13;
const ROW_HEAD = 30;
const LABEL_CHARS = 60;

export function laneLabel(notice: Pick<NoticeFigures, 'key' | 'id' | 'type' | 'requestingCountry'>): string {
  return `${notice.key ?? notice.id.slice(0, 8)} · ${notice.type} ${notice.requestingCountry}`;
}

/** The time span drawn: the scenario's start (or the first event) to now, with a little room at each end. */
function span(report: ExerciseReport): [number, number] {
  const times = report.timeline.map((e) => Date.parse(e.at));
  const start = Date.parse(report.exercise.start ?? report.timeline[0]?.at ?? report.exercise.now);
  const end = Math.max(Date.parse(report.exercise.now), ...times, start + 60e3);
  const pad = (end - start) * 0.02;
  return [start - pad, end + pad];
}

function timeAxis([from, to]: [number, number], orient: 'top' | 'bottom') {
  const days = (to - from) / 86_400e3;
  const format = days <= 2 ? '%d %b %H:%M' : days <= 400 ? '%d %b' : '%Y';
  return {
    field: 't',
    type: 'temporal',
    title: 'Simulated time (UTC)',
    scale: { type: 'utc', domainMin: from, domainMax: to, nice: false },
    axis: { orient, format, labelOverlap: true, grid: true, tickCount: 8 },
  };
}

/** The text printed beside an event's mark: its number, the event in words, the record, what was typed. */
export function eventCaption(e: TimelineEntry, n: number): string {
  const head = `${n} ${eventLabel(e.type, 'done')}${e.country ? ` (${e.country})` : ''}`;
  const said = shortText(e.typed, Math.max(8, LABEL_CHARS - head.length - 2));
  return said ? `${head}: ${said}` : head;
}

interface Placed {
  t: number;
  n: number;
  caption: string;
  notice: string;
  row: string;
  py: number;
  ly: number;
  align: 'left' | 'right';
}

/** Lays each row's labels out in lanes: a label takes the first lane where it overlaps no other. */
function layout(report: ExerciseReport, [from, to]: [number, number]) {
  const px = (t: number) => ((t - from) / (to - from)) * WIDTH;
  const notices = new Map(report.notices.map((n) => [n.id, laneLabel(n)]));
  const rows = new Map<string, { title: string; events: { e: TimelineEntry; n: number }[] }>();
  const order = report.participants.map((p) => p.key ?? p.id);
  report.timeline.forEach((e, i) => {
    const key = e.actor.participant ?? `${e.actor.role}:${e.actor.country ?? ''}`;
    if (!rows.has(key)) rows.set(key, { title: e.actor.name, events: [] });
    rows.get(key)!.events.push({ e, n: i + 1 });
  });
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  const sorted = [...rows.entries()].sort(([a], [b]) => rank(a) - rank(b));
  const marks: Placed[] = [];
  const heads: { title: string; y: number }[] = [];
  let top = 0;
  for (const [, row] of sorted) {
    const lanes: [number, number][][] = [];
    const placed = row.events.map(({ e, n }) => {
      const t = Date.parse(e.at);
      const x = px(t);
      const caption = eventCaption(e, n);
      const width = caption.length * CHAR + 6;
      const align: Placed['align'] = x + width > WIDTH && x - width >= 0 ? 'right' : 'left';
      const box: [number, number] = align === 'left' ? [x, x + width] : [x - width, x];
      let lane = lanes.findIndex((taken) => taken.every(([a, b]) => box[1] + 4 <= a || b + 4 <= box[0]));
      if (lane < 0) lane = lanes.push([]) - 1;
      lanes[lane]!.push(box);
      return { t, n, caption, notice: notices.get(e.noticeId) ?? e.notice, row: row.title, align, lane };
    });
    heads.push({ title: row.title, y: top + 12 });
    for (const p of placed) marks.push({ ...p, py: top + 22, ly: top + ROW_HEAD + 8 + p.lane * LANE });
    top += ROW_HEAD + Math.max(1, lanes.length) * LANE + 10;
  }
  return { marks, heads, height: Math.max(top, 40) };
}

/** One row per participant, a numbered and labelled mark per event; colour tells the notice. */
export function eventsChartSpec(report: ExerciseReport): ChartSpec {
  const domain = span(report);
  const { marks, heads, height } = layout(report, domain);
  const x = timeAxis(domain, 'top');
  const y = (field: string) => ({ field, type: 'quantitative', scale: { domain: [0, height], range: [0, height] } });
  const noAxisY = (field: string) => ({ ...y(field), axis: null });
  const label = (align: 'left' | 'right') => ({
    transform: [{ filter: `datum.align === '${align}'` }],
    mark: { type: 'text', align, baseline: 'middle', dx: align === 'left' ? 2 : -2, fontSize: FONT },
    encoding: { x, y: noAxisY('ly'), text: { field: 'caption' } },
  });
  return {
    description: `Events of ${report.exercise.name} by participant, in simulated time`,
    width: WIDTH,
    height,
    layer: [
      {
        data: { values: heads },
        mark: { type: 'text', align: 'left', baseline: 'middle', fontWeight: 'bold', fontSize: 11 },
        encoding: { x: { value: 0 }, y: noAxisY('y'), text: { field: 'title' } },
      },
      {
        data: { values: heads.map((h) => ({ y: h.y + 10 })) },
        mark: { type: 'rule', color: '#bbb', strokeDash: [2, 2] },
        encoding: { x: { value: 0 }, x2: { value: WIDTH }, y: noAxisY('y') },
      },
      {
        data: { values: marks },
        layer: [
          {
            mark: { type: 'rule', color: '#999', strokeWidth: 0.75 },
            encoding: { x, y: noAxisY('py'), y2: { field: 'ly' } },
          },
          {
            mark: { type: 'point', filled: true, size: 45, opacity: 1 },
            encoding: {
              x,
              y: noAxisY('py'),
              color: { field: 'notice', type: 'nominal', title: 'Notice', scale: { scheme: 'dark2' } },
            },
          },
          label('left'),
          label('right'),
        ],
      },
    ],
  };
}

/** The notices' states over time, as bands, coloured as STATE_COLOURS and named in words. */
export function statesChartSpec(report: ExerciseReport): ChartSpec {
  const domain = span(report);
  const bands = report.notices.flatMap((n) => {
    const changes = report.timeline.filter((e) => e.noticeId === n.id && !e.country);
    return changes.map((e, i) => ({
      notice: laneLabel(n),
      t: Date.parse(e.at),
      t2: i + 1 < changes.length ? Date.parse(changes[i + 1]!.at) : domain[1],
      state: labelOf('noticeStates', e.to),
    }));
  });
  const states = Object.keys(STATE_COLOURS).filter((s) => report.timeline.some((e) => !e.country && e.to === s));
  return {
    description: `States of the notices of ${report.exercise.name}, in simulated time`,
    width: WIDTH,
    height: { step: 22 },
    data: { values: bands },
    mark: { type: 'bar', stroke: 'white', strokeWidth: 0.5 },
    encoding: {
      x: timeAxis(domain, 'bottom'),
      x2: { field: 't2' },
      y: { field: 'notice', type: 'nominal', title: null, sort: report.notices.map(laneLabel) },
      color: {
        field: 'state',
        type: 'nominal',
        title: 'State',
        scale: { domain: states.map((s) => labelOf('noticeStates', s)), range: states.map((s) => STATE_COLOURS[s]) },
      },
    },
  };
}

/** Both timeline charts as SVG. */
export async function timelineSvgs(report: ExerciseReport): Promise<{ states: string; events: string }> {
  if (!report.timeline.length) return { states: '', events: '' };
  return {
    states: await chartSvg(statesChartSpec(report), { idPrefix: 'states' }),
    events: await chartSvg(eventsChartSpec(report), { idPrefix: 'events' }),
  };
}
