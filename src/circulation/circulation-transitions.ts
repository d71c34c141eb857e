/**
 * The one path by which a circulation record moves: evaluate the event on the record's state through
 * the circulation machine (pure), then write the record and its history entry, guarded by its version.
 */
import type { Actor } from '../exercises/exercise-types';
import { AppError, ForbiddenError, InvalidTransitionError, StaleVersionError } from '../kernel/errors';
import { allowedEventsFor, evaluateEvent, restoreSnapshot } from '../kernel/machine-evaluation';
import type { NewHistoryEntry, NoticeTx, StoredNotice, StoredRecord } from '../notices/notice-store-type';
import { payloadOf } from '../notices/notice-transitions';
import type { NoticeState } from '../notices/notice-types';
import {
  CIRCULATION_EVENT_TYPES,
  CIRCULATION_ROLE_GUARDS,
  CIRCULATION_STATE_GUARDS,
  circulationGuardFailure,
  circulationMachine,
  type CirculationEvent,
} from './circulation-machine';
import type { CirculationEventInput } from './circulation-schemas';

const GUARDS = { roleGuards: CIRCULATION_ROLE_GUARDS, stateGuards: CIRCULATION_STATE_GUARDS };
const USER_EVENTS = CIRCULATION_EVENT_TYPES.filter((t) => t !== 'CLOSE' && t !== 'RELEASE');

/** An event a record takes: a participant's, or the system's release when its deadline falls due. */
export type RecordEventBody = CirculationEventInput | { type: 'RELEASE' };

const snapshotOf = (notice: StoredNotice, record: StoredRecord) =>
  restoreSnapshot(circulationMachine, {
    value: record.state,
    context: { noticeType: notice.type, country: record.country, requestingCountry: notice.requestingCountry },
  });

/** A record's move as it will be written: the state it goes to, and its history entry. */
export interface RecordMove {
  to: string;
  entry: NewHistoryEntry;
}

/**
 * Evaluates an event on a record (pure: nothing is written); returns the move, or throws the
 * 403/409 that explains the refusal.
 */
export function planRecordMove(
  notice: StoredNotice,
  record: StoredRecord,
  who: { actor: Actor; participantId: string | null },
  body: RecordEventBody,
  at: Date,
): RecordMove {
  const snapshot = snapshotOf(notice, record);
  const event = {
    ...body,
    actor: who.actor,
    at: at.toISOString(),
    noticeState: notice.state as NoticeState,
  } as CirculationEvent;
  const outcome = evaluateEvent(circulationMachine, snapshot, event, GUARDS);
  if (!outcome.ok) {
    if (outcome.reason === 'invalid_state') {
      const allowed = allowedEventsFor(circulationMachine, snapshot, who.actor, USER_EVENTS, GUARDS);
      throw new InvalidTransitionError(body.type, record.state, allowed);
    }
    if (outcome.reason === 'forbidden') throw new ForbiddenError(outcome.message);
    throw new AppError('NOTICE_NOT_ACTIVE', circulationGuardFailure(event) ?? `${body.type} is not allowed now`, {
      noticeState: notice.state,
    });
  }
  const to = String(outcome.next.value);
  return {
    to,
    entry: {
      type: body.type,
      actor: who.actor,
      participantId: who.participantId,
      from: record.state,
      to,
      country: record.country,
      at,
      payload: payloadOf(body),
    },
  };
}

/** Whether the record would take the event now (for moves that follow from another, such as a notice's location). */
export function recordTakes(
  notice: StoredNotice,
  record: StoredRecord,
  actor: Actor,
  body: RecordEventBody,
  at: Date,
): boolean {
  const event = { ...body, actor, at: at.toISOString(), noticeState: notice.state as NoticeState } as CirculationEvent;
  return snapshotOf(notice, record).can(event);
}

/** Writes a planned move; a record changed meanwhile is a 409. */
export async function writeRecordMove(tx: NoticeTx, record: StoredRecord, move: RecordMove): Promise<StoredRecord> {
  if (!(await tx.writeRecordEvent(record, move.to, move.entry))) {
    throw new StaleVersionError('The circulation record was changed by another request; reload it and try again');
  }
  return movedRecord(record, move);
}

/** The record as a move leaves it. */
export const movedRecord = (record: StoredRecord, move: RecordMove): StoredRecord => ({
  ...record,
  state: move.to,
  version: record.version + 1,
  updatedAt: move.entry.at,
});
