import { initialTransition, transition, type SnapshotFrom } from 'xstate';
import { addDays, addMonths, addYears } from '../../src/notices/deadline-config';
import { applyRequestChanges } from '../../src/notices/request-changes';
import {
  createNoticeMachine,
  noticeMachineFor,
  redNoticeMachine,
  yellowNoticeMachine,
  type NoticeEvent,
  type NoticeInput,
  type NoticeMachine,
} from '../../src/notices/notice-machine';
import type { Actor } from '../../src/exercises/exercise-types';
import type { NoticeRequest } from '../../src/notices/notice-types';
import { CCF, FACILITATOR, GS, OBSERVER, OTHER_NCB, OWNER, SYSTEM, T0, redRequest, yellowRequest } from './notice-fixtures';

type Snapshot = SnapshotFrom<NoticeMachine>;

function start(machine: NoticeMachine, request: NoticeRequest): Snapshot {
  const input: NoticeInput = { requestingCountry: 'RS', request };
  return initialTransition(machine, input)[0];
}

function send(machine: NoticeMachine, snapshot: Snapshot, ...events: NoticeEvent[]): Snapshot {
  return events.reduce((current, event) => transition(machine, current, event)[0], snapshot);
}

const submit: NoticeEvent = { type: 'SUBMIT', actor: OWNER, at: T0 };
const startReview: NoticeEvent = { type: 'START_REVIEW', actor: GS, at: T0 };
const approve = (at = T0, extra: Partial<{ article3Cleared: boolean; particularImportance: boolean }> = {}): NoticeEvent => ({
  type: 'APPROVE',
  actor: GS,
  at,
  article3Cleared: true,
  ...extra,
});

function underReview(machine: NoticeMachine, request: NoticeRequest): Snapshot {
  return send(machine, start(machine, request), submit, startReview);
}

function published(machine = redNoticeMachine, request: NoticeRequest = redRequest(), at = T0): Snapshot {
  return send(machine, underReview(machine, request), approve(at));
}

describe('notice machine instances', () => {
  it('exposes one machine per type', () => {
    expect(redNoticeMachine.id).toBe('notice-red');
    expect(yellowNoticeMachine.id).toBe('notice-yellow');
    expect(noticeMachineFor('RED')).toBe(redNoticeMachine);
    expect(noticeMachineFor('YELLOW')).toBe(yellowNoticeMachine);
  });

  it('starts in draft with the context built from the input', () => {
    const snapshot = start(yellowNoticeMachine, yellowRequest());
    expect(snapshot.value).toBe('draft');
    expect(snapshot.context).toEqual({
      type: 'YELLOW',
      requestingCountry: 'RS',
      request: yellowRequest(),
      checks: [],
      publishedAt: null,
      expiresAt: null,
      deadlines: [],
      pendingQuestion: null,
    });
  });
});

describe('compliance checks in the lifecycle', () => {
  const lowPenalty = redRequest({ offence: { ...redRequest().offence, maxPenaltyYears: 1 } });

  it('records the checks on SUBMIT without blocking it', () => {
    const snapshot = send(redNoticeMachine, start(redNoticeMachine, lowPenalty), submit);
    expect(snapshot.value).toBe('submitted');
    expect(snapshot.context.checks.find((c) => c.id === 'RED-PENALTY-THRESHOLD')?.passed).toBe(false);
  });

  it('refuses APPROVE while RED-PENALTY-THRESHOLD fails', () => {
    const before = underReview(redNoticeMachine, lowPenalty);
    expect(before.can(approve())).toBe(false);
    const after = send(redNoticeMachine, before, approve());
    expect(after.value).toBe('under_review');
    expect(after.context.publishedAt).toBeNull();
  });

  it('publishes below the penalty threshold when the GS finds particular importance, storing the approval checks', () => {
    const snapshot = send(redNoticeMachine, underReview(redNoticeMachine, lowPenalty), approve(T0, { particularImportance: true }));
    expect(snapshot.value).toBe('published');
    const threshold = snapshot.context.checks.find((c) => c.id === 'RED-PENALTY-THRESHOLD');
    expect(threshold).toMatchObject({ passed: true, message: expect.stringMatching(/particular importance/) });
    expect(snapshot.context.checks.find((c) => c.id === 'RED-ARTICLE-3')?.message).toMatch(/GS found no/);
  });

  it('refuses APPROVE unless the GS clears Article 3', () => {
    const snapshot = send(redNoticeMachine, underReview(redNoticeMachine, redRequest()), approve(T0, { article3Cleared: false }));
    expect(snapshot.value).toBe('under_review');
  });

  it('publishes a request with a declared Article 3 concern once the GS clears it', () => {
    const request = redRequest({ article3Concern: true });
    const submitted = send(redNoticeMachine, start(redNoticeMachine, request), submit);
    expect(submitted.context.checks.find((c) => c.id === 'RED-ARTICLE-3')?.passed).toBe(false);
    expect(send(redNoticeMachine, submitted, startReview, approve()).value).toBe('published');
  });

  it('refuses APPROVE of a Yellow notice for an adult without consent', () => {
    const adult = yellowRequest({ subject: { ...yellowRequest().subject, dateOfBirth: '1990-01-01' } });
    expect(send(yellowNoticeMachine, underReview(yellowNoticeMachine, adult), approve()).value).toBe('under_review');
  });

  it('applies PROVIDE_INFO changes, re-runs the checks and clears the question and its deadline', () => {
    const asked = send(redNoticeMachine, underReview(redNoticeMachine, lowPenalty), {
      type: 'REQUEST_INFO',
      actor: GS,
      at: T0,
      question: 'What is the maximum penalty?',
    });
    expect(asked.context.pendingQuestion).toBe('What is the maximum penalty?');
    const answered = send(redNoticeMachine, asked, {
      type: 'PROVIDE_INFO',
      actor: OWNER,
      at: addDays(T0, 3),
      answer: 'Up to 8 years',
      changes: { offence: { maxPenaltyYears: 8 }, subject: { description: 'scar on the left hand' } },
    });
    expect(answered.value).toBe('under_review');
    expect(answered.context.pendingQuestion).toBeNull();
    expect(answered.context.deadlines).toEqual([]);
    expect(answered.context.request).toMatchObject({
      offence: { maxPenaltyYears: 8, category: 'armed_robbery' },
      subject: { familyName: 'Petrovic', description: 'scar on the left hand' },
    });
    expect(answered.context.checks.every((c) => c.passed)).toBe(true);
    expect(send(redNoticeMachine, answered, approve()).value).toBe('published');
  });
});

describe('applyRequestChanges', () => {
  it('merges object fields shallowly and ignores keys of the other notice type', () => {
    const merged = applyRequestChanges(yellowRequest(), {
      adultConsent: true,
      disappearance: { place: 'Subotica' },
      offence: { maxPenaltyYears: 3 },
    });
    expect(merged).toMatchObject({ adultConsent: true, disappearance: { place: 'Subotica', country: 'RS' } });
    expect(merged).not.toHaveProperty('offence');
  });
});

describe('deadlines kept as data', () => {
  it('sets an INFO_TIMEOUT 60 days after REQUEST_INFO', () => {
    const at = '2024-04-01T08:00:00.000Z';
    const snapshot = send(redNoticeMachine, underReview(redNoticeMachine, redRequest()), { type: 'REQUEST_INFO', actor: GS, at, question: 'Why?' });
    expect(snapshot.context.deadlines).toEqual([{ event: 'INFO_TIMEOUT', at: '2024-05-31T08:00:00.000Z' }]);
    expect(send(redNoticeMachine, snapshot, { type: 'INFO_TIMEOUT', actor: SYSTEM, at: '2024-05-31T08:00:00.000Z' }).value).toBe('refused');
  });

  it('publishes with expiresAt exactly 5 years after publishedAt and the renewal window 6 months before', () => {
    const snapshot = published(redNoticeMachine, redRequest(), '2024-03-15T09:30:00Z');
    expect(snapshot.context.publishedAt).toBe('2024-03-15T09:30:00.000Z');
    expect(snapshot.context.expiresAt).toBe('2029-03-15T09:30:00.000Z');
    expect(snapshot.context.deadlines).toEqual([{ event: 'OPEN_RENEWAL', at: '2028-09-15T09:30:00.000Z' }]);
  });

  it('schedules the suspension lapse 6 months after SUSPEND and restores the renewal deadline on RESUME', () => {
    const suspendedAt = '2025-01-10T00:00:00.000Z';
    const suspended = send(redNoticeMachine, published(), { type: 'SUSPEND', actor: OWNER, at: suspendedAt, reason: 'Operation' });
    expect(suspended.context.deadlines).toEqual([{ event: 'LAPSE_SUSPENSION', at: '2025-07-10T00:00:00.000Z' }]);
    const resumed = send(redNoticeMachine, suspended, { type: 'RESUME', actor: OWNER, at: '2025-02-01T00:00:00.000Z' });
    expect(resumed.value).toBe('published');
    expect(resumed.context.deadlines).toEqual([{ event: 'OPEN_RENEWAL', at: '2028-09-15T09:30:00.000Z' }]);
    const lapsed = send(redNoticeMachine, suspended, { type: 'LAPSE_SUSPENSION', actor: SYSTEM, at: '2025-07-10T00:00:00.000Z' });
    expect(lapsed.value).toBe('withdrawn');
    expect(lapsed.context.deadlines).toEqual([]);
  });

  it('sets EXPIRE at expiresAt when the renewal window opens', () => {
    const pending = send(redNoticeMachine, published(), { type: 'OPEN_RENEWAL', actor: SYSTEM, at: '2028-09-15T09:30:00.000Z' });
    expect(pending.value).toBe('renewal_pending');
    expect(pending.context.deadlines).toEqual([{ event: 'EXPIRE', at: '2029-03-15T09:30:00.000Z' }]);
    const expired = send(redNoticeMachine, pending, { type: 'EXPIRE', actor: SYSTEM, at: '2029-03-15T09:30:00.000Z' });
    expect(expired.value).toBe('expired');
    expect(expired.status).toBe('done');
    expect(expired.context.deadlines).toEqual([]);
  });

  it('moves expiry 5 years on from the old expiry on RENEW, whenever it is renewed', () => {
    const pending = send(redNoticeMachine, published(), { type: 'OPEN_RENEWAL', actor: SYSTEM, at: '2028-09-15T09:30:00.000Z' });
    const renewed = send(redNoticeMachine, pending, { type: 'RENEW', actor: OWNER, at: '2028-10-02T12:00:00.000Z', reason: 'Still at large' });
    expect(renewed.value).toBe('published');
    expect(renewed.context.publishedAt).toBe(T0);
    expect(renewed.context.expiresAt).toBe('2034-03-15T09:30:00.000Z');
    expect(renewed.context.deadlines).toEqual([{ event: 'OPEN_RENEWAL', at: '2033-09-15T09:30:00.000Z' }]);
  });

  it('keeps a located Yellow notice valid until its expiry, which then fires from located', () => {
    const located = send(yellowNoticeMachine, published(yellowNoticeMachine, yellowRequest()), {
      type: 'REPORT_LOCATED',
      actor: OTHER_NCB,
      at: addDays(T0, 10),
      details: 'Found in Monaco',
    });
    expect(located.value).toBe('located');
    expect(located.status).toBe('active');
    expect(located.context.deadlines).toEqual([{ event: 'EXPIRE', at: located.context.expiresAt }]);
    const expired = send(yellowNoticeMachine, located, { type: 'EXPIRE', actor: SYSTEM, at: located.context.expiresAt! });
    expect(expired.value).toBe('expired');
    expect(send(yellowNoticeMachine, located, { type: 'WITHDRAW', actor: OWNER, at: addDays(T0, 11), reason: 'Home' }).value).toBe(
      'withdrawn',
    );
  });

  it('lets a Yellow notice be located while the renewal question is open', () => {
    const pending = send(yellowNoticeMachine, published(yellowNoticeMachine, yellowRequest()), {
      type: 'OPEN_RENEWAL',
      actor: SYSTEM,
      at: '2028-09-15T09:30:00.000Z',
    });
    expect(pending.value).toBe('renewal_pending');
    const located = send(yellowNoticeMachine, pending, { type: 'REPORT_LOCATED', actor: OTHER_NCB, at: '2028-10-01T00:00:00.000Z' });
    expect(located.value).toBe('located');
    expect(located.context.deadlines).toEqual([{ event: 'EXPIRE', at: pending.context.expiresAt }]);
  });

  it('takes its durations from the config it is built with', () => {
    const machine = createNoticeMachine('RED', { validityYears: 1, renewalWindowMonths: 2, suspensionMaxMonths: 1, infoAnswerDays: 10 });
    const snapshot = published(machine);
    expect(snapshot.context.expiresAt).toBe(addYears(T0, 1));
    expect(snapshot.context.deadlines).toEqual([{ event: 'OPEN_RENEWAL', at: addMonths(addYears(T0, 1), -2) }]);
  });
});

describe('role guards', () => {
  const all: Actor[] = [OWNER, OTHER_NCB, GS, CCF, SYSTEM, FACILITATOR, OBSERVER, { role: 'ncb' }];
  const label = (actor: Actor) => (actor.country ? `${actor.role} ${actor.country}` : actor.role);

  // event, the state it is sent in, and the only actors that may send it there.
  const cases: Array<[NoticeEvent['type'], () => Snapshot, (at: string, actor: Actor) => NoticeEvent, Actor[]]> = [
    ['SUBMIT', () => start(redNoticeMachine, redRequest()), (at, actor) => ({ type: 'SUBMIT', actor, at }), [OWNER]],
    ['START_REVIEW', () => send(redNoticeMachine, start(redNoticeMachine, redRequest()), submit), (at, actor) => ({ type: 'START_REVIEW', actor, at }), [GS]],
    ['APPROVE', () => underReview(redNoticeMachine, redRequest()), (at, actor) => ({ type: 'APPROVE', actor, at, article3Cleared: true }), [GS]],
    ['REFUSE', () => underReview(redNoticeMachine, redRequest()), (at, actor) => ({ type: 'REFUSE', actor, at, reason: 'x', grounds: ['OTHER'] }), [GS]],
    ['SUSPEND', () => published(), (at, actor) => ({ type: 'SUSPEND', actor, at, reason: 'x' }), [OWNER]],
    ['WITHDRAW', () => published(), (at, actor) => ({ type: 'WITHDRAW', actor, at, reason: 'x' }), [OWNER]],
    ['CANCEL', () => published(), (at, actor) => ({ type: 'CANCEL', actor, at, reason: 'x' }), [GS]],
    ['DELETE', () => published(), (at, actor) => ({ type: 'DELETE', actor, at, decisionRef: 'x' }), [CCF]],
    ['OPEN_RENEWAL', () => published(), (at, actor) => ({ type: 'OPEN_RENEWAL', actor, at }), [SYSTEM]],
    [
      'REPORT_LOCATED',
      () => published(yellowNoticeMachine, yellowRequest()),
      (at, actor) => ({ type: 'REPORT_LOCATED', actor, at }),
      [OWNER, OTHER_NCB],
    ],
  ];

  it.each(cases)('lets only the right actors send %s', (_type, arrange, make, allowed) => {
    const snapshot = arrange();
    for (const actor of all) {
      const may = allowed.includes(actor);
      expect({ actor: label(actor), can: snapshot.can(make(T0, actor)) }).toEqual({ actor: label(actor), can: may });
    }
  });

  it('refuses a deadline event from anyone but the system', () => {
    const pending = send(redNoticeMachine, published(), { type: 'OPEN_RENEWAL', actor: SYSTEM, at: T0 });
    for (const actor of [GS, OWNER, FACILITATOR]) {
      expect(send(redNoticeMachine, pending, { type: 'EXPIRE', actor, at: T0 }).value).toBe('renewal_pending');
    }
  });

  it("does not let another country's NCB withdraw, suspend or renew the notice", () => {
    const snapshot = published();
    expect(send(redNoticeMachine, snapshot, { type: 'WITHDRAW', actor: OTHER_NCB, at: T0, reason: 'x' }).value).toBe('published');
    expect(send(redNoticeMachine, snapshot, { type: 'SUSPEND', actor: OTHER_NCB, at: T0, reason: 'x' }).value).toBe('published');
    const pending = send(redNoticeMachine, snapshot, { type: 'OPEN_RENEWAL', actor: SYSTEM, at: T0 });
    expect(send(redNoticeMachine, pending, { type: 'RENEW', actor: OTHER_NCB, at: T0, reason: 'x' }).value).toBe('renewal_pending');
  });

  it('has no REPORT_LOCATED on a Red notice at all', () => {
    expect(published().can({ type: 'REPORT_LOCATED', actor: OTHER_NCB, at: T0 })).toBe(false);
    expect(Object.keys(redNoticeMachine.states)).not.toContain('located');
  });
});
