/**
 * How a change to a notice runs: under the notice's row lock, after the deadlines that fell due before
 * it, and announced once it has committed. Every writer of a notice (its events, its records'
 * events, the clock's deadlines) goes through here.
 */
import { autocommitWrite } from '../db/transaction';
import { simulatedNow } from '../exercises/clock';
import type { Admission, Principal } from '../exercises/exercise-types';
import { EarlierRunError } from '../exercises/runs';
import { NotFoundError } from '../kernel/errors';
import { catchUp, dueDeadlines, fireDueDeadlines, type RecordDeadlineFiring } from './notice-deadlines';
import type {
  LockedNotice,
  NewHistoryEntry,
  NoticeStore,
  NoticeTx,
  StoredNotice,
  StoredRecord,
} from './notice-store-type';
import { isOfEndedRun } from './notice-presenter';
import type { Applied, NoticeTransitions, PlannedTransition } from './notice-transitions';

/**
 * Where a change comes from when it is not a participant's request made now: a script (a scenario's
 * inject) acts at its own simulated time, and `within` records it in the same transaction, so the
 * change and the script's own bookkeeping commit together or not at all.
 */
export interface ScriptedOrigin {
  at: Date;
  within(tx: NoticeTx, change: { noticeId: string }): Promise<void>;
}

/**
 * Heard after a change has committed (the live stream and the clock hang off this). The change is
 * answered once it resolves: by then its history rows have their positions (exercise-sequencer.ts).
 */
export type CommittedListener = (change: {
  exerciseId: string;
  noticeId: string;
  entries: NewHistoryEntry[];
  // What a listener returns is awaited when it is a promise, and ignored otherwise.
}) => unknown;

/** What a change needs: who makes it, from where, the checks under the lock, and the work itself. */
export interface ChangeSpec<T, B> {
  principal: Principal;
  origin?: ScriptedOrigin | undefined;
  /** Read before each attempt, outside the lock: what the change is judged against. */
  before?: () => Promise<B>;
  /** Under the lock, before anything moves: throws to refuse (not visible, a stale version). */
  check?: (locked: LockedNotice, before: B) => void;
  /** The change itself, on the notice with its due deadlines fired, at simulated time `now`. */
  work: (tx: NoticeTx, notice: StoredNotice, now: Date) => Promise<Applied & { result: T }>;
}

/** A record's move as `runOnRecord` judges it: throws or null to leave it to the locked path. */
export interface RecordChangeSpec<T> {
  /** The caller on the clock read with the notice (when of its exercise): throws to refuse the request. */
  admit: Admission;
  plan(
    principal: Principal,
    notice: StoredNotice,
    record: StoredRecord,
    now: Date,
  ): { state: string; entry: NewHistoryEntry; result: T } | null;
}

/** A notice's own move as `runOnNotice` judges it. */
export interface NoticeChangeSpec {
  /** The caller on the clock read with the notice (when of its exercise): throws to refuse the request. */
  admit: Admission;
  /** The request's own checks on the notice as it arrived (visibility, If-Match): what it throws is the answer. */
  arrived(principal: Principal, notice: StoredNotice): void;
  /** The transition on the notice as read at simulated `now`: throws or null to leave it to the locked path. */
  plan(principal: Principal, notice: StoredNotice, now: Date): Promise<PlannedTransition | null>;
}

/**
 * What `runOnNotice` did: the notice as written, or nothing written and the notice as it arrived (null
 * when it could not be read), against which the locked path judges the change.
 */
export type NoticeAttempt =
  { written: StoredNotice; by: Principal } | { written: null; arrived: StoredNotice | null; by: Principal | null };

export interface NoticeChanges {
  /**
   * Runs a change. Deadlines that fell due before it commit first, in a transaction of their own, so
   * that a refused event cannot take a fired expiry back with it; the change is then tried again from
   * the start, and deadlines falling due in between fire with it.
   */
  run<T, B = undefined>(noticeId: string, spec: ChangeSpec<T, B>): Promise<T>;
  /**
   * A change to one record of the notice, tried first without the lock (the hot path of a simulation):
   * the notice, its clock and the record read as they stand, `admit` judges the caller on that clock
   * (and throws to refuse it), `plan` judges the change on them, and the
   * store writes it in one statement only while nothing it was judged on has moved. Null when it did
   * not happen this way (a refusal, a due deadline, an ended run, a race): the caller then runs the
   * change under the lock, which gives the exact refusal or fires the deadlines first (and calls
   * `admit` itself when this did not: the read failed or found no notice).
   */
  runOnRecord<T>(noticeId: string, country: string, spec: RecordChangeSpec<T>): Promise<T | null>;
  /**
   * A notice's own change, tried first without the lock: the notice and its clock read as they stand,
   * `arrived` checks the request against it, `plan` judges the change (the same transitions as the locked
   * path), and the store writes it in one statement only while the notice's version and run have not
   * moved. Nothing written (a refusal, a due deadline, an ended run, an effect with work in the
   * transaction, a race): the caller then runs the change under the lock, judged against the notice as
   * it arrived, which gives the exact refusal or fires the deadlines first.
   */
  runOnNotice(noticeId: string, spec: NoticeChangeSpec): Promise<NoticeAttempt>;
  /** Fires the exercise's deadlines due by simulated `now` (only one notice's, when given); returns how many fired. */
  fireDue(exerciseId: string, now: Date, noticeId?: string): Promise<number>;
  /** Announces a change made elsewhere (a notice's creation). */
  committed: CommittedListener;
}

export function createNoticeChanges(deps: {
  store: NoticeStore;
  transitions: NoticeTransitions;
  onCommitted?: CommittedListener | undefined;
  wallNow?: () => Date;
  /** What a record's own deadline does (the circulation feature's). */
  recordDeadline?: RecordDeadlineFiring | undefined;
}): NoticeChanges {
  const committed = deps.onCommitted ?? (() => undefined);
  const wallNow = deps.wallNow ?? (() => new Date());
  // `told`: a message was written without a history entry (a prompt), which the stream tells too.
  const publish = async (exerciseId: string, noticeId: string, entries: NewHistoryEntry[], told = false) => {
    if (entries.length || told) await committed({ exerciseId, noticeId, entries });
  };

  return {
    committed,

    async run<T, B = undefined>(noticeId: string, spec: ChangeSpec<T, B>): Promise<T> {
      for (let firstTry = true; ; firstTry = false) {
        const before = (await spec.before?.()) as B;
        const outcome = await deps.store.transaction(async (tx) => {
          const locked = await tx.lock(noticeId);
          if (!locked) throw new NotFoundError('Notice');
          spec.check?.(locked, before);
          // Before its deadlines: nothing of an ended run moves, not even by the clock.
          if (isOfEndedRun(locked)) throw new EarlierRunError('notice', locked.run, locked.exerciseRun);
          // Simulated now: a script's own time, or the exercise's clock as read under the lock.
          const now = spec.origin?.at ?? simulatedNow(locked.clock ?? spec.principal.clock, wallNow());
          // Deadlines due first, on their own: an explicit outcome, committed, then the change again.
          if (firstTry && dueDeadlines(locked, now).length) {
            return { exerciseId: locked.exerciseId, fired: await catchUp(deps.transitions, tx, locked, now) };
          }
          const fired = await catchUp(deps.transitions, tx, locked, now);
          const done = await spec.work(tx, fired.notice, now);
          await spec.origin?.within(tx, { noticeId });
          return { exerciseId: locked.exerciseId, fired, done };
        });
        await publish(outcome.exerciseId, noticeId, [...outcome.fired.entries, ...(outcome.done?.entries ?? [])]);
        if (outcome.done) return outcome.done.result;
      }
    },

    async runOnRecord(noticeId, country, spec) {
      // Any doubt, an error included, leaves the change to the locked path: nothing is written here then.
      const read = await deps.store.peekRecord(noticeId, country).catch(() => null);
      const clock = read?.notice.clock;
      if (!read || !clock) return null;
      const { notice, record } = read;
      // The caller judged on the clock just read (a pause, the injects due first): a refusal is the answer.
      // Injects that ran first (moved) may have changed what was read: the locked path reads it again.
      const { principal, moved } = await spec.admit({ exerciseId: notice.exerciseId, clock });
      if (moved || !record || isOfEndedRun(notice)) return null;
      const now = simulatedNow(clock, wallNow());
      if (dueDeadlines(notice, now).length) return null;
      let planned;
      try {
        planned = spec.plan(principal, notice, record, now);
      } catch {
        return null;
      }
      if (!planned) return null;
      // A part that no longer held wrote nothing (false): the locked path decides. A database failure
      // is the client's answer, not a retry: the statement may have committed before the connection went
      // (504 COMMIT_OUTCOME_UNKNOWN), and a retry would judge the event against its own result.
      const written = await autocommitWrite(() =>
        deps.store.writeRecordEventAlone(notice, record, planned.state, planned.entry),
      );
      if (!written) return null;
      await publish(notice.exerciseId, noticeId, [planned.entry]);
      return planned.result;
    },

    async runOnNotice(noticeId, spec) {
      // Nothing is written here unless all of it holds; the request's own refusal (`arrived`) is its answer.
      const notice = await deps.store.peekNotice(noticeId).catch(() => null);
      const clock = notice?.clock;
      if (!notice || !clock) return { written: null, arrived: null, by: null };
      // The caller judged on the clock just read (a pause, the injects due first): a refusal is the answer.
      // Injects that ran first (moved) may have changed the notice: the locked path reads it as it arrives now.
      const { principal, moved } = await spec.admit({ exerciseId: notice.exerciseId, clock });
      if (moved) return { written: null, arrived: null, by: principal };
      spec.arrived(principal, notice);
      const leave = { written: null, arrived: notice, by: principal };
      if (isOfEndedRun(notice)) return leave;
      const now = simulatedNow(clock, wallNow());
      if (dueDeadlines(notice, now).length) return leave;
      let planned;
      try {
        planned = await spec.plan(principal, notice, now);
      } catch {
        return leave;
      }
      if (!planned) return leave;
      // As in runOnRecord: a database failure is the client's answer (504 or 503), not a retry.
      const written = await autocommitWrite(() =>
        deps.store.writeNoticeEventAlone(notice, planned.write, planned.entry),
      );
      if (!written) return leave;
      await publish(notice.exerciseId, noticeId, [planned.entry]);
      return { written, by: principal };
    },

    fireDue: (exerciseId, now, noticeId) =>
      fireDueDeadlines(
        {
          store: deps.store,
          transitions: deps.transitions,
          published: (noticeId, applied, told) => publish(applied.notice.exerciseId, noticeId, applied.entries, told),
          recordDeadline: deps.recordDeadline,
        },
        exerciseId,
        now,
        noticeId,
      ),
  };
}
