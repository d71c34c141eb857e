import { countryName } from '../countries/member-countries';
import { eventLabel, labelOf } from '../kernel/labels';
import { aggregateSections } from './report-aggregates-html';
import { esc, table, when, worded } from './report-markup';
import { humanDuration, responsesSvg } from './report-response-chart';
import type { ExerciseReport, TimelineEntry } from './report-schema';
import { laneLabel, timelineSvgs } from './report-timeline';
import { responseRuleRows } from './response-rules';

/**
 * The debrief report as one self-contained, printable HTML page (A4): no script, no external asset;
 * the charts are inline SVG drawn on the server. Every piece of data is escaped: names and what teams
 * typed show as text.
 */

export { humanDuration };

const EVENT_HEADERS = ['#', 'Simulated time', 'Notice', 'Event', 'By', 'What they wrote', 'Response time', 'From → to'];
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

/** What was typed with an event, one field a line. */
const typedCell = (e: TimelineEntry) =>
  e.typed.map((t) => `<div><span class="field">${esc(t.label)}:</span> ${esc(t.text)}</div>`).join('');

function eventRows(report: ExerciseReport): string[][] {
  const number = new Map(report.timeline.map((e, i) => [`${e.notice}#${e.seq}`, i + 1]));
  const responses = new Map(
    report.participants.flatMap((p) => p.responses.map((r) => [`${r.notice}#${r.seq}`, r] as const)),
  );
  return report.timeline.map((e, i) => {
    const r = responses.get(`${e.notice}#${e.seq}`);
    const after = r && number.get(`${r.notice}#${r.after.seq}`);
    const prompt = r
      ? `${esc(humanDuration(r.seconds))} after ${after ? `${after} ` : ''}${esc(eventLabel(r.after.type))}` +
        `${r.after.country ? ` (${esc(r.after.country)})` : ''}`
      : '';
    return [
      `${i + 1}`,
      esc(when(e.at)),
      esc(e.notice),
      worded(`${eventLabel(e.type)}${e.country ? ` (${e.country} record)` : ''}`, e.type),
      esc(e.actor.name),
      typedCell(e),
      prompt,
      esc(`${e.from ? labelOf(e.country ? 'circulationStates' : 'noticeStates', e.from) : '—'} → `) +
        esc(labelOf(e.country ? 'circulationStates' : 'noticeStates', e.to)),
    ];
  });
}

const STYLE = `
  body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #222; }
  h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ccc; }
  .meta { color: #555; } .briefing { white-space: pre-wrap; background: #f6f6f6; padding: 0.75rem; }
  table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; } caption { text-align: left; font-weight: 600; }
  th, td { border-bottom: 1px solid #e3e3e3; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
  .outcome { font-weight: 600; } .met { color: #006d4f; } .missed { color: #b23c00; } .pending { color: #7a6a00; }
  .code { color: #666; font-size: 0.75em; font-family: ui-monospace, monospace; } .field { color: #555; }
  .score { font-size: 1.4rem; font-weight: 700; }
  figure { margin: 0.75rem 0; } figure svg { display: block; width: 100%; height: auto; }
  figcaption { color: #555; font-size: 0.9em; }
  @page { size: A4; margin: 12mm; }
  @media print {
    body { margin: 0; max-width: none; padding: 0; font-size: 9.5pt; }
    h2 { break-after: avoid; } figure, tr { break-inside: avoid; } thead { display: table-header-group; }
  }`;

export async function renderReportHtml(report: ExerciseReport): Promise<string> {
  const { exercise, summary } = report;
  const title = exercise.title ?? exercise.name;
  const meta = `Exercise ${exercise.name} · simulated start ${when(exercise.start)} · now ${when(exercise.now)}`;
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
<style>${STYLE}
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
${report.aggregates ? await aggregateSections(report) : await detailSections(report)}
</body>
</html>
`;
}

const figure = (svg: string, caption: string) =>
  svg ? `<figure>${svg}<figcaption>${esc(caption)}</figcaption></figure>` : '';

/** A class's debrief: the timeline, response times, each participant, notice, inject and event. */
async function detailSections(report: ExerciseReport): Promise<string> {
  const charts = await timelineSvgs(report);
  const responses = await responsesSvg(report);
  return `<h2>Timeline</h2>
${figure(charts.states, 'The notices’ states in simulated time.')}
${figure(charts.events, 'Each participant’s events; the numbers are those of the Events table below.')}
<h2>Response times</h2>
${figure(responses, 'Each timed action (a dot) and each participant’s median (a bar).')}
${table(
  ['Action', 'Timed from'],
  responseRuleRows().map((r) => [esc(r.actions), esc(r.from)]),
  'How response times are measured',
)}
${table(
  ['Participant', 'Role', 'Actions', 'Median response', 'Slowest response', 'What'],
  report.participants
    .filter((p) => p.actions > 0 || p.role !== 'facilitator')
    .map((p) => [
      esc(p.label),
      esc(`${labelOf('roles', p.role)}${p.country ? ` ${p.country}` : ''}`),
      `${p.actions}`,
      humanDuration(p.responseSeconds.median),
      humanDuration(p.responseSeconds.max),
      esc(
        Object.entries(p.byType)
          .map(([type, n]) => `${eventLabel(type)} ×${n}`)
          .join(', '),
      ),
    ]),
  'Participants',
)}
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
    worded(labelOf('noticeStates', n.state), n.state),
    esc(when(n.submittedAt)),
    humanDuration(n.seconds.submissionToPublication),
    `${humanDuration(n.seconds.publicationToFirstHit)}${n.firstHitCountry ? ` (${esc(n.firstHitCountry)})` : ''}`,
    humanDuration(n.seconds.publicationToEnd),
    esc(
      Object.entries(n.records)
        .map(([state, count]) => `${labelOf('circulationStates', state)} ${count}`)
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
${databasesSection(report)}
${messagesSection(report)}
<h2>Events</h2>
${table(EVENT_HEADERS, eventRows(report))}`;
}

const FOLLOW_UP_WORDS = {
  REPORT_HIT: 'reported on a record',
  LINK: 'linked to a person',
  REQUEST: 'a notice requested',
};

/** The searches and hits, and what followed each hit. */
function databasesSection({ databases }: ExerciseReport): string {
  if (!databases || databases.searches === 0) return '';
  const who = (a: { role: string; country?: string | undefined }) =>
    a.country ? countryName(a.country) : labelOf('roles', a.role);
  return `<h2>Searches and hits</h2>
<p>${esc(
    `${databases.searches} search(es), ${databases.hits} hit(s); median time from a hit to the action that ` +
      `followed it: ${humanDuration(databases.medianSecondsToAction)}`,
  )}</p>
${table(
  ['Searcher', 'Searches', 'Hits'],
  databases.byParticipant.map((p) => [esc(who(p)), `${p.searches}`, `${p.hits}`]),
  'Searches by participant',
)}
${table(
  ['Hit at', 'Searcher', 'Matched', 'Owner', 'Followed by', 'After'],
  databases.hitList.map((h) => [
    esc(when(h.at)),
    esc(who(h.searcher)),
    esc(labelOf('recordKinds', h.kind)),
    esc(countryName(h.ownerCountry)),
    esc(h.followedBy ? FOLLOW_UP_WORDS[h.followedBy] : 'nothing yet'),
    humanDuration(h.seconds),
  ]),
  'Each hit and the action that followed it',
)}`;
}

/** The teams' messages: each team's answers, and how long its first answer took. */
function messagesSection({ messages }: ExerciseReport): string {
  if (!messages || messages.messages === 0) return '';
  const team = (address: string) =>
    /^[A-Z]{2}$/.test(address) ? `${countryName(address)} NCB` : labelOf('roles', address);
  return `<h2>Messages</h2>
<p>${esc(
    `${messages.messages} message(s) in ${messages.threads} thread(s), ${messages.fromSystem} of them from the ` +
      'system (told, prompted). A first answer is the team’s first later message in the same thread.',
  )}</p>
${table(
  ['Team', 'Sent', 'Received', 'Answered', 'Unanswered', 'Median time to first answer', 'Longest'],
  messages.byAddress.map((a) => [
    esc(team(a.address)),
    `${a.sent}`,
    `${a.received}`,
    `${a.answered}`,
    `${a.unanswered}`,
    humanDuration(a.firstAnswerSeconds.median),
    humanDuration(a.firstAnswerSeconds.max),
  ]),
  'Messages by team',
)}`;
}
