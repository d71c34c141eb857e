/** Whether a scenario's expectations were met: from the history alone. */
import { addIsoDuration } from '../exercises/clock';
import type { HistoryEntry, StoredNotice } from '../notices/notice-store-type';
import { isFinalNoticeState } from '../notices/notice-types';
import type { Scenario, ScenarioExpectation } from '../scenarios/scenario-schema';
import type { ExpectationOutcome } from './report-schema';
import { firstAnswer, type ReportMessage } from './report-messages';

export interface ExpectationInput {
  scenario: Scenario;
  /** The exercise's simulated now. */
  now: Date;
  notices: StoredNotice[];
  /** Notice id to the scenario's local key. */
  noticeKeys: Map<string, string>;
  /** Each notice's history in its own order. */
  byNotice: Map<string, HistoryEntry[]>;
  /** The run's messages, in the order they were sent. */
  messages: readonly ReportMessage[];
  /** The keys of message injects that failed: their answers will never come. */
  failedMessages?: ReadonlySet<string> | undefined;
}

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

function describe(expectation: ScenarioExpectation): string {
  if (expectation.answered) {
    const { message, by } = expectation.answered;
    return `message ${message} answered${by ? ` by ${by}` : ''}`;
  }
  if (expectation.reaches) return `${expectation.notice} reaches ${expectation.reaches}`;
  const { type, country } = expectation.happens!;
  return `${type}${country ? ` by ${country}` : ''} on ${expectation.notice}`;
}

/**
 * Met when the expected state or event happened within its window; missed when it happened late, the
 * window passed, or the notice ended without it (or without the reference point); pending otherwise.
 */
export function expectationOutcome(expectation: ScenarioExpectation, input: ExpectationInput): ExpectationOutcome {
  if (expectation.answered) return answerOutcome(expectation, expectation.answered, input);
  const noticeKey = expectation.notice ?? '';
  const noticeOf = (key: string) => [...input.noticeKeys].find(([, k]) => k === key)?.[0];
  const entriesOf = (key: string) => {
    const id = noticeOf(key);
    return id ? (input.byNotice.get(id) ?? []) : [];
  };
  const noticeByKey = (key: string) => input.notices.find((n) => n.id === noticeOf(key));
  const entries = entriesOf(noticeKey);
  const base = {
    id: expectation.id,
    description: expectation.description,
    notice: noticeKey,
    expects: describe(expectation),
    score: expectation.score,
  };
  const { from } = expectation;
  const reference =
    from === 'start'
      ? new Date(input.scenario.start)
      : (entriesOf(from.notice).find((e) => e.type === from.event)?.at ?? null);
  // A notice in a final state can no longer move: what has not happened to it by now never will.
  const ended = (n: StoredNotice | undefined) => n !== undefined && isFinalNoticeState(n.state);
  if (!reference) {
    const referenceEnded = from !== 'start' && ended(noticeByKey(from.notice));
    return { ...base, outcome: referenceEnded ? 'missed' : 'pending', from: null, due: null, happenedAt: null };
  }
  const due = addIsoDuration(reference, expectation.within);
  const matches = (e: HistoryEntry) =>
    expectation.reaches
      ? e.country === null && e.to === expectation.reaches
      : e.type === expectation.happens!.type &&
        (expectation.happens!.country === undefined || e.country === expectation.happens!.country);
  const happened = entries.find((e) => e.at.getTime() >= reference.getTime() && matches(e)) ?? null;
  const late = input.now.getTime() > due.getTime() || ended(noticeByKey(noticeKey));
  const outcome = happened ? (happened.at.getTime() <= due.getTime() ? 'met' : 'missed') : late ? 'missed' : 'pending';
  return { ...base, outcome, from: reference.toISOString(), due: due.toISOString(), happenedAt: iso(happened?.at) };
}

/**
 * An expected answer: met when the message's thread has an answer (from `by`, or any recipient) within
 * the window from the message's sending; missed when it came late or the window passed; pending while
 * the message has not been sent or the window is open.
 */
function answerOutcome(
  expectation: ScenarioExpectation,
  answered: { message: string; by?: string | undefined },
  input: ExpectationInput,
): ExpectationOutcome {
  const base = {
    id: expectation.id,
    description: expectation.description,
    notice: null,
    message: answered.message,
    expects: describe(expectation),
    score: expectation.score,
  };
  const message = input.messages.find((m) => m.scenarioKey === answered.message);
  if (!message) {
    const failed = input.failedMessages?.has(answered.message) ?? false;
    return { ...base, outcome: failed ? 'missed' : 'pending', from: null, due: null, happenedAt: null };
  }
  const due = addIsoDuration(message.at, expectation.within);
  const answer = firstAnswer(input.messages, message, answered.by);
  const outcome = answer
    ? answer.at.getTime() <= due.getTime()
      ? 'met'
      : 'missed'
    : input.now.getTime() > due.getTime()
      ? 'missed'
      : 'pending';
  return { ...base, outcome, from: message.at.toISOString(), due: due.toISOString(), happenedAt: iso(answer?.at) };
}
