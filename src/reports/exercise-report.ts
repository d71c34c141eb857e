import { addIsoDuration } from '../exercises/clock';
import type { Participant } from '../exercises/exercise-types';
import type { HistoryEntry, StoredNotice } from '../notices/notice-store-type';
import { FINAL_NOTICE_STATES, type Actor } from '../notices/notice-types';
import type { InjectError, StoredInject } from '../scenarios/inject-store';
import type { Scenario, ScenarioExpectation } from '../scenarios/scenario-schema';

/**
 * The debrief: what happened in an exercise, in simulated order, and how fast. Built from the
 * history alone (plus the scenario's expectations), so it says only what the record shows.
 * Durations are in simulated seconds.
 */
export interface ExerciseReport {
  exercise: { id: string; name: string; title: string | null; briefing: string | null; start: string | null; now: string };
  summary: {
    notices: number;
    events: number;
    injects: Record<'done' | 'failed' | 'pending' | 'skipped', number>;
    score: number;
    maxScore: number;
  };
  timeline: TimelineEntry[];
  notices: NoticeFigures[];
  participants: ParticipantFigures[];
  expectations: ExpectationOutcome[];
  injects: InjectOutcome[];
}

export interface TimelineEntry {
  at: string;
  recordedAt: string;
  noticeId: string;
  notice: string;
  seq: number;
  type: string;
  actor: Actor & { participant?: string };
  from: string | null;
  to: string;
  country?: string;
}

export interface NoticeFigures {
  id: string;
  key: string | null;
  type: 'RED' | 'YELLOW';
  requestingCountry: string;
  state: string;
  createdAt: string;
  submittedAt: string | null;
  publishedAt: string | null;
  /** First hit (Red) or location (Yellow) reported by any country. */
  firstHitAt: string | null;
  firstHitCountry: string | null;
  endedAt: string | null;
  seconds: { submissionToPublication: number | null; publicationToFirstHit: number | null; publicationToEnd: number | null };
  /** Circulation records by state. */
  records: Record<string, number>;
}

export interface ParticipantFigures {
  id: string;
  key: string | null;
  name: string | null;
  role: string;
  country: string | null;
  actions: number;
  byType: Record<string, number>;
  /**
   * Response time of each action: simulated time since the latest earlier event on the same notice
   * that someone else caused and this participant could see. A first action (CREATE) has none.
   */
  responseSeconds: { count: number; median: number | null; mean: number | null; max: number | null };
  responses: { at: string; notice: string; type: string; country?: string; after: string; seconds: number }[];
}

export interface ExpectationOutcome {
  id: string;
  description: string;
  notice: string;
  expects: string;
  score: number;
  outcome: 'met' | 'missed' | 'pending';
  /** Start of the window, once the reference point has happened. */
  from: string | null;
  /** End of the window. */
  due: string | null;
  /** When the expected state or event happened (in the window or after it). */
  happenedAt: string | null;
}

export interface InjectOutcome {
  seq: number;
  at: string;
  as: string | null;
  note: string | null;
  does: string;
  status: StoredInject['status'];
  error: InjectError | null;
}

export interface ReportInput {
  exercise: { id: string; name: string; scenario: Scenario | null };
  /** The exercise's simulated now. */
  now: Date;
  participants: Participant[];
  notices: StoredNotice[];
  /** Every history entry of the exercise's notices. */
  history: (HistoryEntry & { noticeId: string })[];
  injects: StoredInject[];
  /** Notice id to the scenario's local key. */
  noticeKeys: Map<string, string>;
  /** Notice id to its circulation records counted by state. */
  records: Map<string, Record<string, number>>;
}

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
const seconds = (from: Date | null, to: Date | null): number | null => (from && to ? Math.round((to.getTime() - from.getTime()) / 1000) : null);

/** Simulated order: time, then within a notice its history order. */
function bySimulatedTime(a: HistoryEntry & { noticeId: string }, b: HistoryEntry & { noticeId: string }): number {
  return a.at.getTime() - b.at.getTime() || (a.noticeId === b.noticeId ? a.seq - b.seq : a.recordedAt.getTime() - b.recordedAt.getTime() || a.noticeId.localeCompare(b.noticeId));
}

export function buildExerciseReport(input: ReportInput): ExerciseReport {
  const { scenario } = input.exercise;
  const participants = new Map(input.participants.map((p) => [p.id, p]));
  const label = (noticeId: string) => input.noticeKeys.get(noticeId) ?? noticeId;
  const history = [...input.history].sort(bySimulatedTime);
  const byNotice = new Map<string, (HistoryEntry & { noticeId: string })[]>();
  for (const entry of history) {
    const list = byNotice.get(entry.noticeId) ?? [];
    list.push(entry);
    byNotice.set(entry.noticeId, list);
  }
  for (const list of byNotice.values()) list.sort((a, b) => a.seq - b.seq);

  const timeline: TimelineEntry[] = history.map((h) => {
    const who = h.participantId ? participants.get(h.participantId) : undefined;
    return {
      at: h.at.toISOString(),
      recordedAt: h.recordedAt.toISOString(),
      noticeId: h.noticeId,
      notice: label(h.noticeId),
      seq: h.seq,
      type: h.type,
      actor: { ...h.actor, ...(who && { participant: who.key ?? who.id }) },
      from: h.from,
      to: h.to,
      ...(h.country && { country: h.country }),
    };
  });

  const notices = input.notices.map((n) => noticeFigures(n, byNotice.get(n.id) ?? [], input.noticeKeys.get(n.id) ?? null, input.records.get(n.id) ?? {}));
  const expectations = (scenario?.expectations ?? []).map((e) => expectationOutcome(e, scenario!, input, byNotice));
  const injects = input.injects.map((i): InjectOutcome => {
    const action = i.action;
    const does = action.create
      ? `create ${action.create.request.type} notice ${action.create.notice}`
      : action.event
        ? `${action.event.event.type} on ${action.event.notice}`
        : `${action.circulation!.event.type} on ${action.circulation!.notice} (${action.circulation!.country} record)`;
    return { seq: i.seq, at: i.at.toISOString(), as: i.participant.key, note: action.note ?? null, does, status: i.status, error: i.error };
  });
  const count = (status: StoredInject['status']) => input.injects.filter((i) => i.status === status).length;

  return {
    exercise: {
      id: input.exercise.id,
      name: input.exercise.name,
      title: scenario?.title ?? null,
      briefing: scenario?.briefing ?? null,
      start: scenario ? new Date(scenario.start).toISOString() : null,
      now: input.now.toISOString(),
    },
    summary: {
      notices: input.notices.length,
      events: history.length,
      injects: { done: count('done'), failed: count('failed'), pending: count('pending'), skipped: count('skipped') },
      score: expectations.filter((e) => e.outcome === 'met').reduce((sum, e) => sum + e.score, 0),
      maxScore: expectations.reduce((sum, e) => sum + e.score, 0),
    },
    timeline,
    notices,
    participants: inScenarioOrder(input.participants, scenario).map((p) => participantFigures(p, history, byNotice, input.notices, label)),
    expectations,
    injects,
  };
}

/** The scenario's participants as its file lists them, then the others (the facilitator, any added later). */
function inScenarioOrder(participants: Participant[], scenario: Scenario | null): Participant[] {
  const order = new Map((scenario?.participants ?? []).map((p, i) => [p.key, i]));
  const rank = (p: Participant) => (p.key !== null && order.has(p.key) ? order.get(p.key)! : order.size);
  return participants.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i).map(({ p }) => p);
}

function noticeFigures(notice: StoredNotice, entries: HistoryEntry[], key: string | null, records: Record<string, number>): NoticeFigures {
  const onNotice = entries.filter((e) => e.country === null);
  const first = (test: (e: HistoryEntry) => boolean) => entries.find(test) ?? null;
  const submitted = first((e) => e.country === null && e.type === 'SUBMIT');
  const published = first((e) => e.country === null && e.to === 'published' && e.from !== 'renewal_pending' && e.from !== 'suspended');
  // A hit or location on a record; or a location the requester reported on the notice itself.
  const hit = first((e) => e.type === 'REPORT_HIT' || e.type === 'REPORT_LOCATED');
  const ended = onNotice.find((e) => FINAL_NOTICE_STATES.includes(e.to as never)) ?? null;
  return {
    id: notice.id,
    key,
    type: notice.type,
    requestingCountry: notice.requestingCountry,
    state: notice.state,
    createdAt: iso(entries[0]?.at ?? notice.createdAt)!,
    submittedAt: iso(submitted?.at),
    publishedAt: iso(published?.at),
    firstHitAt: iso(hit?.at),
    firstHitCountry: hit ? (hit.country ?? (typeof hit.payload.country === 'string' ? hit.payload.country : (hit.actor.country ?? null))) : null,
    endedAt: iso(ended?.at),
    seconds: {
      submissionToPublication: seconds(submitted?.at ?? null, published?.at ?? null),
      publicationToFirstHit: seconds(published?.at ?? null, hit?.at ?? null),
      publicationToEnd: seconds(published?.at ?? null, ended?.at ?? null),
    },
    records,
  };
}

function participantFigures(
  participant: Participant,
  history: (HistoryEntry & { noticeId: string })[],
  byNotice: Map<string, (HistoryEntry & { noticeId: string })[]>,
  notices: StoredNotice[],
  label: (noticeId: string) => string,
): ParticipantFigures {
  const requester = new Map(notices.map((n) => [n.id, n.requestingCountry]));
  // A location reported on a record also moves the notice: one action, two history rows; count the record's.
  const own = history.filter((h) => h.participantId === participant.id && !(h.country === null && typeof h.payload.country === 'string'));
  const byType: Record<string, number> = {};
  for (const h of own) byType[h.type] = (byType[h.type] ?? 0) + 1;
  // What a receiving ncb sees of a notice: the notice's own events and its own record's.
  const sees = (h: HistoryEntry, noticeId: string) =>
    participant.role !== 'ncb' || requester.get(noticeId) === participant.country || h.country === null || h.country === participant.country;
  const responses: ParticipantFigures['responses'] = [];
  for (const action of own) {
    const earlier = (byNotice.get(action.noticeId) ?? []).filter((h) => h.seq < action.seq);
    const cause = earlier.reverse().find((h) => h.participantId !== participant.id && sees(h, action.noticeId));
    if (!cause) continue;
    responses.push({
      at: action.at.toISOString(),
      notice: label(action.noticeId),
      type: action.type,
      ...(action.country && { country: action.country }),
      after: cause.type,
      seconds: Math.round((action.at.getTime() - cause.at.getTime()) / 1000),
    });
  }
  const times = responses.map((r) => r.seconds).sort((a, b) => a - b);
  const median = times.length ? (times.length % 2 ? times[(times.length - 1) / 2]! : (times[times.length / 2 - 1]! + times[times.length / 2]!) / 2) : null;
  return {
    id: participant.id,
    key: participant.key,
    name: participant.name,
    role: participant.role,
    country: participant.country,
    actions: own.length,
    byType,
    responseSeconds: {
      count: times.length,
      median,
      mean: times.length ? Math.round(times.reduce((a, b) => a + b, 0) / times.length) : null,
      max: times.length ? times[times.length - 1]! : null,
    },
    responses,
  };
}

function expectationOutcome(
  expectation: ScenarioExpectation,
  scenario: Scenario,
  input: ReportInput,
  byNotice: Map<string, (HistoryEntry & { noticeId: string })[]>,
): ExpectationOutcome {
  const noticeOf = (key: string) => [...input.noticeKeys].find(([, k]) => k === key)?.[0];
  const entriesOf = (key: string) => {
    const id = noticeOf(key);
    return id ? (byNotice.get(id) ?? []) : [];
  };
  const entries = entriesOf(expectation.notice);
  const notice = input.notices.find((n) => n.id === noticeOf(expectation.notice));
  const expects = expectation.reaches
    ? `${expectation.notice} reaches ${expectation.reaches}`
    : `${expectation.happens!.type}${expectation.happens!.country ? ` by ${expectation.happens!.country}` : ''} on ${expectation.notice}`;
  const base = { id: expectation.id, description: expectation.description, notice: expectation.notice, expects, score: expectation.score };

  const reference =
    expectation.from === 'start'
      ? new Date(scenario.start)
      : (entriesOf(expectation.from.notice).find((e) => e.type === (expectation.from as { event: string }).event)?.at ?? null);
  // A notice in a final state can no longer move: what has not happened to it by now never will.
  const ended = (n: StoredNotice | undefined) => n !== undefined && FINAL_NOTICE_STATES.includes(n.state as never);
  const settled = ended(notice);
  if (!reference) {
    const referenceNotice = expectation.from === 'start' ? undefined : input.notices.find((n) => n.id === noticeOf((expectation.from as { notice: string }).notice));
    return { ...base, outcome: ended(referenceNotice) ? 'missed' : 'pending', from: null, due: null, happenedAt: null };
  }
  const due = addIsoDuration(reference, expectation.within);
  const matches = (e: HistoryEntry) =>
    expectation.reaches
      ? e.country === null && e.to === expectation.reaches
      : e.type === expectation.happens!.type && (expectation.happens!.country === undefined || e.country === expectation.happens!.country);
  const happened = entries.find((e) => e.at.getTime() >= reference.getTime() && matches(e)) ?? null;
  const outcome = happened
    ? happened.at.getTime() <= due.getTime()
      ? 'met'
      : 'missed'
    : input.now.getTime() > due.getTime() || settled
      ? 'missed'
      : 'pending';
  return { ...base, outcome, from: reference.toISOString(), due: due.toISOString(), happenedAt: iso(happened?.at) };
}
