/**
 * The debrief: what happened in an exercise, in simulated order, and how fast. Built from the
 * history alone (plus the scenario's expectations), so it says only what the record shows.
 */
import type { Participant } from '../exercises/exercise-types';
import type { HistoryEntry, StoredNotice } from '../notices/notice-store-type';
import { REFUSAL_GROUNDS, isFinalNoticeState, type RefusalGround } from '../notices/notice-types';
import type { StoredInject } from '../scenarios/inject-store';
import type { Scenario } from '../scenarios/scenario-schema';
import { labelOf } from '../kernel/labels';
import { expectationOutcome } from './report-expectations';
import { messageFiguresOf, type ReportMessage } from './report-messages';
import { countryName, participantName, typedText } from './report-text';
import { participantFigures } from './report-participants';
import type { ExerciseReport, InjectOutcome, NoticeFigures, Refusals, TimelineEntry } from './report-schema';

export type { ExerciseReport } from './report-schema';

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
  /** The run's messages in the order sent; left out where messages are not kept (the report says null). */
  messages?: ReportMessage[] | undefined;
}

type Entry = HistoryEntry & { noticeId: string };

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
const seconds = (from: Date | null, to: Date | null): number | null =>
  from && to ? Math.round((to.getTime() - from.getTime()) / 1000) : null;

/** Simulated order: time, then within a notice its history order. */
function bySimulatedTime(a: Entry, b: Entry): number {
  if (a.at.getTime() !== b.at.getTime()) return a.at.getTime() - b.at.getTime();
  if (a.noticeId === b.noticeId) return a.seq - b.seq;
  return a.recordedAt.getTime() - b.recordedAt.getTime() || a.noticeId.localeCompare(b.noticeId);
}

export function buildExerciseReport(input: ReportInput): ExerciseReport {
  const { scenario } = input.exercise;
  const participants = new Map(input.participants.map((p) => [p.id, p]));
  const label = (noticeId: string) => input.noticeKeys.get(noticeId) ?? noticeId;
  const history = [...input.history].sort(bySimulatedTime);
  const byNotice = new Map<string, Entry[]>();
  for (const entry of history) byNotice.set(entry.noticeId, [...(byNotice.get(entry.noticeId) ?? []), entry]);
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
      actor: { ...h.actor, ...(who && { participant: who.key ?? who.id }), name: actorName(h.actor, who) },
      from: h.from,
      to: h.to,
      ...(h.country && { country: h.country }),
      typed: typedText(h.payload),
    };
  });

  const notices = input.notices.map((n) =>
    noticeFigures(n, byNotice.get(n.id) ?? [], input.noticeKeys.get(n.id) ?? null, input.records.get(n.id) ?? {}),
  );
  const expectations = scenario
    ? scenario.expectations.map((e) =>
        expectationOutcome(e, {
          scenario,
          now: input.now,
          notices: input.notices,
          noticeKeys: input.noticeKeys,
          byNotice,
          messages: input.messages ?? [],
          failedMessages: new Set(
            input.injects.flatMap((i) => (i.status === 'failed' && i.action.message ? [i.action.message.key] : [])),
          ),
        }),
      )
    : [];
  const count = (status: StoredInject['status']) => input.injects.filter((i) => i.status === status).length;
  const noticeById = new Map(input.notices.map((n) => [n.id, n]));

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
      refusals: refusals(history),
      score: expectations.filter((e) => e.outcome === 'met').reduce((sum, e) => sum + e.score, 0),
      maxScore: expectations.reduce((sum, e) => sum + e.score, 0),
    },
    timeline,
    notices,
    participants: inScenarioOrder(input.participants, scenario).map((p) =>
      participantFigures(p, history, byNotice, noticeById, label),
    ),
    expectations,
    injects: input.injects.map(injectOutcome),
    aggregates: null,
    databases: null,
    messages: input.messages ? messageFiguresOf(input.messages) : null,
  };
}

/** Who acted, in words: the participant's name, or (an event with no participant) its role and country. */
function actorName(actor: HistoryEntry['actor'], who: Participant | undefined): string {
  if (who) return participantName(who);
  const role = labelOf('roles', actor.role);
  return actor.country ? `${role} (${countryName(actor.country)})` : role;
}

/** Refusals by ground, from the REFUSE events' grounds, and those that followed an unanswered request. */
function refusals(history: Entry[]): Refusals {
  const byGround = Object.fromEntries(REFUSAL_GROUNDS.map((g) => [g, 0])) as Record<RefusalGround, number>;
  let total = 0;
  let unanswered = 0;
  for (const h of history) {
    if (h.country !== null || h.to !== 'refused') continue;
    total += 1;
    if (h.type === 'INFO_TIMEOUT') unanswered += 1;
    const grounds = Array.isArray(h.payload.grounds) ? (h.payload.grounds as RefusalGround[]) : [];
    for (const g of grounds) if (g in byGround) byGround[g] += 1;
  }
  return { total, byGround, unanswered };
}

const circulationWords = (c: NonNullable<StoredInject['action']['circulation']>) =>
  `${c.event.type} on ${c.notice} (${c.country} record)`;

function injectOutcome(i: StoredInject): InjectOutcome {
  const { action } = i;
  const does = action.create
    ? `create ${action.create.request.type} notice ${action.create.notice}`
    : action.event
      ? `${action.event.event.type} on ${action.event.notice}`
      : action.search
        ? `${action.search.query.kind} search ${action.search.key}`
        : action.person
          ? `person ${action.person.key}`
          : action.message
            ? `message ${action.message.key} to ${action.message.to?.join(', ') ?? 'the sender replied to'}`
            : circulationWords(action.circulation!);
  return {
    seq: i.seq,
    at: i.at.toISOString(),
    as: i.participant.key,
    note: action.note ?? null,
    does,
    status: i.status,
    error: i.error,
  };
}

/** The scenario's participants as its file lists them, then the others (the facilitator, any added later). */
function inScenarioOrder(participants: Participant[], scenario: Scenario | null): Participant[] {
  const order = new Map((scenario?.participants ?? []).map((p, i) => [p.key, i]));
  const rank = (p: Participant) => (p.key !== null && order.has(p.key) ? order.get(p.key)! : order.size);
  return participants
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i)
    .map(({ p }) => p);
}

function noticeFigures(
  notice: StoredNotice,
  entries: HistoryEntry[],
  key: string | null,
  records: Record<string, number>,
): NoticeFigures {
  const first = (test: (e: HistoryEntry) => boolean) => entries.find(test) ?? null;
  const submitted = first((e) => e.country === null && e.type === 'SUBMIT');
  const published = first((e) => e.country === null && e.type === 'APPROVE');
  // A hit or location on a record; or a location the requester reported on the notice itself.
  const hit = first((e) => e.type === 'REPORT_HIT' || e.type === 'REPORT_LOCATED');
  const ended = first((e) => e.country === null && isFinalNoticeState(e.to));
  const hitCountry =
    hit && (hit.country ?? (typeof hit.payload.country === 'string' ? hit.payload.country : hit.actor.country));
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
    firstHitCountry: hitCountry ?? null,
    endedAt: iso(ended?.at),
    seconds: {
      submissionToPublication: seconds(submitted?.at ?? null, published?.at ?? null),
      publicationToFirstHit: seconds(published?.at ?? null, hit?.at ?? null),
      publicationToEnd: seconds(published?.at ?? null, ended?.at ?? null),
    },
    records,
  };
}
