import { initialTransition, transition, type SnapshotFrom } from 'xstate';
import {
  CIRCULATION_ROLE_GUARDS,
  CIRCULATION_STATE_GUARDS,
  circulationMachine,
  type CirculationEvent,
} from '../../src/circulation/circulation-machine';
import { allowedEventsFor, evaluateEvent, persistSnapshot, restoreSnapshot } from '../../src/kernel/machine-evaluation';
import {
  NOTICE_ROLE_GUARDS,
  createNoticeMachine,
  redNoticeMachine,
  yellowNoticeMachine,
  type NoticeEvent,
  type NoticeMachine,
} from '../../src/notices/notice-machine';
import type { Actor } from '../../src/exercises/exercise-types';
import { NOTICE_EVENT_TYPES, type NoticeRequest } from '../../src/notices/notice-types';
import { CCF, GS, OTHER_NCB, OWNER, SYSTEM, T0, redRequest, yellowRequest } from './notice-fixtures';

const noticeGuards = { roleGuards: NOTICE_ROLE_GUARDS };

function noticeAt(machine: NoticeMachine, request: NoticeRequest, ...events: NoticeEvent[]): SnapshotFrom<NoticeMachine> {
  return events.reduce(
    (snapshot, event) => transition(machine, snapshot, event)[0],
    initialTransition(machine, { requestingCountry: 'RS', request })[0],
  );
}

const submit: NoticeEvent = { type: 'SUBMIT', actor: OWNER, at: T0 };
const startReview: NoticeEvent = { type: 'START_REVIEW', actor: GS, at: T0 };
const approve: NoticeEvent = { type: 'APPROVE', actor: GS, at: T0, article3Cleared: true };
const lowPenalty = redRequest({ offence: { ...redRequest().offence, maxPenaltyYears: 1 } });

describe('persistSnapshot / restoreSnapshot', () => {
  it('round-trips a snapshot through JSON and carries on from it', () => {
    const published = noticeAt(redNoticeMachine, redRequest(), submit, startReview, approve);
    const persisted = JSON.parse(JSON.stringify(persistSnapshot(published))) as ReturnType<typeof persistSnapshot>;
    expect(Object.keys(persisted).sort()).toEqual(['context', 'value']);
    const restored = restoreSnapshot(redNoticeMachine, persisted);
    expect(restored.value).toBe('published');
    expect(restored.context).toEqual(published.context);
    const result = evaluateEvent(redNoticeMachine, restored, { type: 'SUSPEND', actor: OWNER, at: T0, reason: 'x' }, noticeGuards);
    expect(result.ok && result.next.value).toBe('suspended');
  });

  it('restores a final state as done', () => {
    const withdrawn = noticeAt(redNoticeMachine, redRequest(), submit, { type: 'WITHDRAW', actor: OWNER, at: T0, reason: 'x' });
    expect(restoreSnapshot(redNoticeMachine, persistSnapshot(withdrawn)).status).toBe('done');
  });
});

describe('evaluateEvent', () => {
  it('returns the next snapshot without touching the one it was given', () => {
    const draft = noticeAt(redNoticeMachine, redRequest());
    const result = evaluateEvent(redNoticeMachine, draft, submit, noticeGuards);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.next.value).toBe('submitted');
    expect(result.next.context.checks).toHaveLength(5);
    expect(draft.value).toBe('draft');
    expect(draft.context.checks).toEqual([]);
  });

  it('answers invalid_state with the event types the state accepts, whoever sends them', () => {
    const published = noticeAt(redNoticeMachine, redRequest(), submit, startReview, approve);
    const result = evaluateEvent(redNoticeMachine, published, { type: 'START_REVIEW', actor: GS, at: T0 }, noticeGuards);
    expect(result.ok).toBe(false);
    if (result.ok || result.reason !== 'invalid_state') throw new Error(JSON.stringify(result));
    expect([...result.allowed].sort()).toEqual(['CANCEL', 'DELETE', 'OPEN_RENEWAL', 'SUSPEND', 'WITHDRAW']);
  });

  it('answers invalid_state for REPORT_LOCATED on a Red notice, and with nothing allowed in a final state', () => {
    const published = noticeAt(redNoticeMachine, redRequest(), submit, startReview, approve);
    expect(evaluateEvent(redNoticeMachine, published, { type: 'REPORT_LOCATED', actor: OTHER_NCB, at: T0 }, noticeGuards)).toMatchObject({
      ok: false,
      reason: 'invalid_state',
    });
    const refused = noticeAt(redNoticeMachine, redRequest(), submit, startReview, { type: 'REFUSE', actor: GS, at: T0, reason: 'x', grounds: ['OTHER'] });
    expect(evaluateEvent(redNoticeMachine, refused, approve, noticeGuards)).toEqual({ ok: false, reason: 'invalid_state', allowed: [] });
  });

  it('answers forbidden when the state accepts the event but not from this actor', () => {
    const published = noticeAt(redNoticeMachine, redRequest(), submit, startReview, approve);
    const result = evaluateEvent(redNoticeMachine, published, { type: 'WITHDRAW', actor: OTHER_NCB, at: T0, reason: 'x' }, noticeGuards);
    expect(result).toEqual({ ok: false, reason: 'forbidden', message: expect.stringMatching(/ncb MC may not send WITHDRAW/) });
    expect(evaluateEvent(redNoticeMachine, published, { type: 'OPEN_RENEWAL', actor: GS, at: T0 }, noticeGuards)).toMatchObject({
      reason: 'forbidden',
    });
  });

  it('answers forbidden before looking at the checks when the wrong role approves', () => {
    const review = noticeAt(redNoticeMachine, lowPenalty, submit, startReview);
    expect(evaluateEvent(redNoticeMachine, review, { ...approve, actor: OWNER }, noticeGuards)).toMatchObject({ reason: 'forbidden' });
  });

  it('answers guard_failed when the GS approves while RED-PENALTY-THRESHOLD fails', () => {
    const review = noticeAt(redNoticeMachine, lowPenalty, submit, startReview);
    expect(evaluateEvent(redNoticeMachine, review, approve, noticeGuards)).toEqual({ ok: false, reason: 'guard_failed' });
  });

  it('treats every guard as non-role when none is named a role guard', () => {
    const published = noticeAt(redNoticeMachine, redRequest(), submit, startReview, approve);
    expect(evaluateEvent(redNoticeMachine, published, { type: 'WITHDRAW', actor: OTHER_NCB, at: T0, reason: 'x' }, { roleGuards: [] })).toEqual({
      ok: false,
      reason: 'guard_failed',
    });
  });

  it('builds the permissive machines once per machine and classification', () => {
    const machine = createNoticeMachine('RED');
    const provide = jest.spyOn(machine, 'provide');
    const draft = noticeAt(machine, redRequest());
    for (let i = 0; i < 3; i += 1) {
      evaluateEvent(machine, draft, submit, noticeGuards);
      allowedEventsFor(machine, draft, OWNER, NOTICE_EVENT_TYPES, noticeGuards);
    }
    expect(provide).toHaveBeenCalledTimes(2);
  });

  describe('on circulation records', () => {
    const circulationGuards = { roleGuards: CIRCULATION_ROLE_GUARDS, stateGuards: CIRCULATION_STATE_GUARDS };
    const monaco: Actor = { role: 'ncb', country: 'MC' };
    const received = (noticeType: 'RED' | 'YELLOW') => initialTransition(circulationMachine, { noticeType, country: 'MC' })[0];
    const hit: CirculationEvent = { type: 'REPORT_HIT', actor: monaco, at: T0, noticeState: 'published', details: 'x' };

    it('answers invalid_state for a Red-only event on a Yellow record, listing what the record accepts', () => {
      const result = evaluateEvent(circulationMachine, received('YELLOW'), hit, circulationGuards);
      expect(result.ok).toBe(false);
      if (result.ok || result.reason !== 'invalid_state') throw new Error(JSON.stringify(result));
      expect([...result.allowed].sort()).toEqual(['ACKNOWLEDGE', 'CLOSE', 'REPORT_LOCATED']);
    });

    it('answers forbidden to another country and guard_failed while the notice is not active', () => {
      expect(evaluateEvent(circulationMachine, received('RED'), { ...hit, actor: { role: 'ncb', country: 'FR' } }, circulationGuards)).toMatchObject({
        reason: 'forbidden',
      });
      expect(evaluateEvent(circulationMachine, received('RED'), { ...hit, noticeState: 'suspended' }, circulationGuards)).toEqual({
        ok: false,
        reason: 'guard_failed',
      });
      const result = evaluateEvent(circulationMachine, received('RED'), hit, circulationGuards);
      expect(result.ok && result.next.value).toBe('hit');
    });
  });
});

describe('allowedEventsFor', () => {
  const review = noticeAt(redNoticeMachine, lowPenalty, submit, startReview);
  const published = noticeAt(redNoticeMachine, redRequest(), submit, startReview, approve);
  const list = (snapshot: SnapshotFrom<NoticeMachine>, actor: Actor, machine = redNoticeMachine) =>
    allowedEventsFor(machine, snapshot, actor, NOTICE_EVENT_TYPES, noticeGuards);

  it('lists APPROVE for the GS under review even while a check fails', () => {
    expect(list(review, GS)).toEqual(['REQUEST_INFO', 'APPROVE', 'REFUSE', 'CANCEL']);
  });

  it('lists per role what each may send on a published notice', () => {
    expect(list(published, OWNER)).toEqual(['SUSPEND', 'WITHDRAW']);
    expect(list(published, GS)).toEqual(['CANCEL']);
    expect(list(published, CCF)).toEqual(['DELETE']);
    expect(list(published, SYSTEM)).toEqual(['OPEN_RENEWAL']);
    expect(list(published, OTHER_NCB)).toEqual([]);
    expect(list(published, { role: 'observer' })).toEqual([]);
  });

  it('lists REPORT_LOCATED for any NCB on a published Yellow notice', () => {
    const yellow = noticeAt(yellowNoticeMachine, yellowRequest(), submit, startReview, approve);
    expect(list(yellow, OTHER_NCB, yellowNoticeMachine)).toEqual(['REPORT_LOCATED']);
    expect(list(yellow, OWNER, yellowNoticeMachine)).toEqual(['SUSPEND', 'REPORT_LOCATED', 'WITHDRAW']);
  });

  it('lists nothing in a final state', () => {
    const withdrawn = noticeAt(redNoticeMachine, redRequest(), submit, { type: 'WITHDRAW', actor: OWNER, at: T0, reason: 'x' });
    for (const actor of [OWNER, GS, CCF, SYSTEM]) expect(list(withdrawn, actor)).toEqual([]);
  });
});
