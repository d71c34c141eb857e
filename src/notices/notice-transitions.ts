/**
 * The one path by which a notice changes state: evaluate the event on the stored snapshot (pure,
 * through the machine), let the effects of other modules do their part in the same transaction
 * (circulation opens and closes records), then write the new snapshot, its derived columns and
 * deadlines, and the history entry, guarded by the version.
 */
import type { StateValue } from 'xstate';
import type { Actor } from '../exercises/exercise-types';
import {
  ChecksFailedError,
  ForbiddenError,
  InvalidTransitionError,
  StaleVersionError,
  ValidationError,
} from '../kernel/errors';
import { allowedEventsFor, evaluateEvent, persistSnapshot, restoreSnapshot } from '../kernel/machine-evaluation';
import { approvalRefusal } from './approval-refusal';
import { failingBlockingChecks, runChecks } from './compliance-checks';
import { NOTICE_ROLE_GUARDS, noticeMachineFor, type NoticeContext, type NoticeEvent } from './notice-machine';
import type { NewHistoryEntry, NoticeTx, NoticeWrite, StoredNotice } from './notice-store-type';
import { NOTICE_USER_EVENTS } from './notice-types';
import { recipientsOf, refuseOwnCountry } from './notice-visibility';
import { subjectKeysOf } from './subject-keys';

const NOTICE_GUARDS = { roleGuards: NOTICE_ROLE_GUARDS };

export interface NoticeSnapshot {
  value: StateValue;
  context: NoticeContext;
}

/** A transition about to be written: the notice as it is, the snapshot it moves to, and why. */
export interface TransitionStep {
  notice: StoredNotice;
  next: NoticeSnapshot;
  event: NoticeEvent;
  participantId: string | null;
}

/**
 * What another module does when a notice moves, in the same transaction, before the notice's own
 * write: fields for the transition's history payload, and history entries it wrote itself.
 */
export type TransitionEffect = (
  tx: NoticeTx,
  step: TransitionStep,
) => Promise<{ payload?: Record<string, unknown>; entries?: NewHistoryEntry[] }>;

/** A change that has been written: the notice after it, and its history entries in the order written. */
export interface Applied {
  notice: StoredNotice;
  entries: NewHistoryEntry[];
}

export const contextOf = (notice: Pick<StoredNotice, 'snapshot'>): NoticeContext =>
  notice.snapshot.context as NoticeContext;

const sameDeadlines = (a: NoticeContext, b: NoticeContext) =>
  JSON.stringify(a.deadlines) === JSON.stringify(b.deadlines);

/** The columns derived from a snapshot, written with it so queries need not parse JSON. */
export function deriveWrite(next: NoticeSnapshot, before?: NoticeContext): NoticeWrite {
  const { context } = next;
  return {
    state: String(next.value),
    snapshot: persistSnapshot(next),
    publishedAt: context.publishedAt ? new Date(context.publishedAt) : null,
    expiresAt: context.expiresAt ? new Date(context.expiresAt) : null,
    subject: subjectKeysOf(context.request),
    recipients: context.request.recipients ?? null,
    deadlines:
      before && sameDeadlines(before, context)
        ? undefined
        : context.deadlines.map((d) => ({ event: d.event, dueAt: new Date(d.at) })),
  };
}

/** Events this actor may send to the notice now (by role and state; a failing check does not remove one). */
export function allowedNoticeEvents(notice: StoredNotice, actor: Actor): string[] {
  const machine = noticeMachineFor(notice.type);
  return allowedEventsFor(machine, restoreSnapshot(machine, notice.snapshot), actor, NOTICE_USER_EVENTS, NOTICE_GUARDS);
}

/** The payload of an event as the history keeps it: what was sent, minus the type. */
export function payloadOf(body: { type: string }): Record<string, unknown> {
  const { type: _type, ...payload } = body;
  return payload;
}

type EventMeta = { participantId: string | null; payload: Record<string, unknown> };

/** A transition judged without the lock and without writing anything: what `planAlone` gives. */
export interface PlannedTransition {
  write: NoticeWrite;
  entry: NewHistoryEntry;
}

export interface NoticeTransitions {
  /** Applies `event` to the locked notice in `tx`, or throws the 403/409 that says why not. */
  apply(tx: NoticeTx, notice: StoredNotice, event: NoticeEvent, meta: EventMeta): Promise<Applied>;
  /**
   * The same judgement as `apply` (the machine, the checks, the other modules' effects), on the notice as
   * read, writing nothing: the write and the history entry `apply` would make, for the store to make in
   * one statement (notice-changes.ts, `runOnNotice`). Null when an effect has something to do in the
   * transaction (a record to close or move): such a change needs the lock. Throws the same refusals.
   */
  planAlone(notice: StoredNotice, event: NoticeEvent, meta: EventMeta): Promise<PlannedTransition | null>;
}

/**
 * The transaction an effect sees when a change is planned without one: any use of it means the effect
 * has work to do in the database, so the plan stops there (NEEDS_LOCK) and the change takes the locked path.
 */
const NEEDS_LOCK = Symbol('needs the lock');
const NO_TX = new Proxy({} as NoticeTx, {
  get() {
    throw NEEDS_LOCK;
  },
});

export function createNoticeTransitions(effects: readonly TransitionEffect[] = []): NoticeTransitions {
  /** The machine's judgement, the history entry, and the effects' part (in `tx`): everything but the notice's write. */
  async function judge(tx: NoticeTx, notice: StoredNotice, event: NoticeEvent, meta: EventMeta) {
    const machine = noticeMachineFor(notice.type);
    if (event.type === 'UPDATE_DRAFT')
      refuseOwnCountry(event.request, notice.requestingCountry, 'body.request.recipients');
    const outcome = evaluateEvent(machine, restoreSnapshot(machine, notice.snapshot), event, NOTICE_GUARDS);
    if (!outcome.ok) {
      if (outcome.reason === 'invalid_state') {
        throw new InvalidTransitionError(event.type, notice.state, allowedNoticeEvents(notice, event.actor));
      }
      if (outcome.reason === 'forbidden') throw new ForbiddenError(outcome.message);
      if (event.type === 'UPDATE_DRAFT') {
        throw ValidationError.of('request.type', `must be the type of this notice (${notice.type})`);
      }
      // The only other guard on a notice is APPROVE's compliance checks.
      const approval = event.type === 'APPROVE' ? event : undefined;
      const failing = runChecks(contextOf(notice).request, approval).filter((c) => c.blocking && !c.passed);
      const refusal = approvalRefusal(failing);
      throw new ChecksFailedError(refusal.failingChecks, refusal.message, { fields: refusal.fields });
    }
    const next = outcome.next as NoticeSnapshot;
    const entry: NewHistoryEntry = {
      type: event.type,
      actor: event.actor,
      participantId: meta.participantId,
      from: notice.state,
      to: String(next.value),
      country: null,
      at: new Date(event.at),
      payload: { ...meta.payload },
    };
    if (event.type === 'SUBMIT' || event.type === 'PROVIDE_INFO' || event.type === 'APPROVE') {
      entry.payload.failingChecks = failingBlockingChecks(next.context.checks);
    }
    if (event.type === 'APPROVE') entry.payload.recipientCount = recipientsOf(notice).length;
    const before: NewHistoryEntry[] = [];
    for (const effect of effects) {
      const done = await effect(tx, { notice, next, event, participantId: meta.participantId });
      Object.assign(entry.payload, done.payload);
      before.push(...(done.entries ?? []));
    }
    return { write: deriveWrite(next, contextOf(notice)), entry, before };
  }

  return {
    async apply(tx, notice, event, meta) {
      const { write, entry, before } = await judge(tx, notice, event, meta);
      const written = await tx.update(notice.id, notice.version, write, entry);
      if (!written) throw new StaleVersionError();
      return { notice: written, entries: [...before, entry] };
    },

    async planAlone(notice, event, meta) {
      try {
        const { write, entry, before } = await judge(NO_TX, notice, event, meta);
        // An effect that wrote entries of its own would have used the transaction; none did.
        return before.length ? null : { write, entry };
      } catch (error) {
        if (error === NEEDS_LOCK) return null;
        throw error;
      }
    },
  };
}
