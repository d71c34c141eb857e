import type { Tx } from '../db/transaction';
import type { ExerciseClock } from '../exercises/clock';
import type { Actor } from '../exercises/exercise-types';
import type { PersistedSnapshot } from '../kernel/machine-evaluation';
import type { NoticeType } from './notice-types';
import type { Reader } from './notice-visibility';
import type { SubjectKeys } from './subject-keys';

export type { PersistedSnapshot };

export interface StoredNotice {
  id: string;
  exerciseId: string;
  type: NoticeType;
  state: string;
  requestingCountry: string;
  /** The exercise's run it belongs to (src/exercises/runs.ts). */
  run: number;
  /** The exercise's current run as read with the notice, when known: a later one makes the notice read-only. */
  exerciseRun: number | null;
  version: number;
  snapshot: PersistedSnapshot;
  /** Who receives it once published: null for every member but the requester. */
  recipients: string[] | null;
  publishedAt: Date | null;
  expiresAt: Date | null;
  /** Simulated time of the notice's latest own event (null only for rows written before it was kept). */
  lastEventAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** What was added to it after publication (a refusal to extradite); none when left out. */
  addenda?: NoticeAddendum[] | undefined;
}

/** An addendum to a notice: a country's refusal to extradite, with its basis, at simulated time `at`. */
export interface NoticeAddendum {
  kind: 'extradition_refused';
  country: string;
  basis: string;
  reason: string;
  at: string;
}

/** A notice read under its row lock, with its exercise's clock as it stands at that moment (when known). */
export interface LockedNotice extends StoredNotice {
  clock: ExerciseClock | null;
}

/** A timed transition as its row holds it: the notice's own (`country` null) or one of its records'. */
export interface DueDeadline {
  noticeId: string;
  country: string | null;
  event: string;
  dueAt: Date;
}

/** Columns written on every notice transition: the snapshot and what is derived from it. */
export interface NoticeWrite {
  state: string;
  snapshot: PersistedSnapshot;
  publishedAt: Date | null;
  expiresAt: Date | null;
  /** The subject's search keys (subject-keys.ts). */
  subject: SubjectKeys;
  /** Who receives it once published, from its request: null for every member but the requester. */
  recipients: string[] | null;
  /** The notice's own deadlines when they changed (they replace the rows there were); undefined: unchanged. */
  deadlines?: { event: string; dueAt: Date }[] | undefined;
}

/** Its run is not the writer's to choose: the store takes the exercise's current run with its first position. */
export interface NewNotice extends NoticeWrite {
  exerciseId: string;
  type: NoticeType;
  requestingCountry: string;
  recipients: string[] | null;
}

export interface NewHistoryEntry {
  type: string;
  actor: Actor;
  participantId: string | null;
  from: string | null;
  to: string;
  /** The circulation record's country, for circulation events. */
  country: string | null;
  at: Date;
  payload: Record<string, unknown>;
}

export interface HistoryEntry extends NewHistoryEntry {
  seq: number;
  recordedAt: Date;
  /** The display name of the participant who caused it, when it has one (read with the notice's history). */
  participantName?: string | null;
}

export interface StoredRecord {
  noticeId: string;
  country: string;
  state: string;
  version: number;
  updatedAt: Date;
  /** The record's own timed step (a release after a provisional arrest), when it has one; read by `circulation`. */
  deadline?: RecordDeadline | undefined;
}

/** A timed step of one record, a deadline row of the record's own (`country` set). */
export interface RecordDeadline {
  event: string;
  dueAt: Date;
}

export interface NoticeFilter {
  state?: string | undefined;
  type?: NoticeType | undefined;
  /** The requesting country. */
  country?: string | undefined;
  /** Only what this reader may see (notice-visibility.ts). */
  reader: Reader;
  /** The run's notices only. */
  run: number;
  /** `created`: oldest first; `published`: most recently published first. */
  order?: 'created' | 'published';
  limit: number;
  offset: number;
}

/** Operations inside one transaction; every write there commits or rolls back together. */
export interface NoticeTx {
  /** The transaction itself, for another module's store to write its part of the same change. */
  readonly db: Tx;
  /** False in the store in memory, which has no database: what other features write through `db` is left out. */
  readonly sql: boolean;
  /**
   * Reads the notice and locks its row until the transaction ends. Every transaction on a notice
   * starts here, so concurrent events on one notice take turns and locks are always taken in the
   * same order (the notice, then its records, then the exercise's event number): no deadlock, and
   * each event sees the state the previous one left.
   */
  lock(id: string): Promise<LockedNotice | null>;
  /**
   * Writes a transition (and its deadlines, when they changed) and appends its history entry under
   * the notice's next seq, when the version still matches. Returns the updated notice, or null (and
   * nothing written) when someone else wrote first.
   */
  update(id: string, expectedVersion: number, write: NoticeWrite, entry: NewHistoryEntry): Promise<StoredNotice | null>;
  /**
   * Moves a record to `state` if its version is still the one read, and appends its history entry
   * under the notice's next seq, in one statement. A record without a row (its country's first event)
   * gets one, guarded the same way. False (and nothing written) when the version moved on.
   */
  writeRecordEvent(record: StoredRecord, state: string, entry: NewHistoryEntry): Promise<boolean>;
  /** A country's record of the notice, its row or the unacted record of a recipient (recipient-records.ts). */
  findRecord(notice: StoredNotice, country: string): Promise<StoredRecord | null>;
  /**
   * Moves every row in one of `openStates` to `closedState`; returns the countries whose record was
   * open, the recipients without a row included (their unacted record reads as closed from now on).
   */
  closeCirculation(
    notice: StoredNotice,
    openStates: readonly string[],
    closedState: string,
    at: Date,
  ): Promise<string[]>;
  /** Drops every record's own deadline of `event` on the notice (what its end makes moot). */
  dropRecordDeadlines(notice: StoredNotice, event: string): Promise<void>;
  /** Replaces the record's own deadline of `event` with one due at `dueAt` (null: none). */
  setRecordDeadline(notice: StoredNotice, country: string, event: string, dueAt: Date | null): Promise<void>;
  /** The record's own soonest deadline, if any. */
  findRecordDeadline(notice: StoredNotice, country: string): Promise<RecordDeadline | null>;
  /** Adds an addendum to the notice (its version stays: no transition of the notice). */
  addAddendum(notice: StoredNotice, addendum: NoticeAddendum): Promise<void>;
  /** A record's own deadline of `event` that is still there at `dueAt` (it fires once). */
  takeRecordDeadline(notice: StoredNotice, country: string, event: string, dueAt: Date): Promise<boolean>;
}

export interface NoticeStore {
  /**
   * Creates the notice with its first history entry; `within` runs in the same transaction once the
   * notice exists (a scenario marks its inject done there), and a throw from it undoes the creation.
   */
  create(
    notice: NewNotice,
    history: NewHistoryEntry,
    within?: (tx: NoticeTx, notice: StoredNotice) => Promise<void>,
  ): Promise<StoredNotice>;
  find(id: string): Promise<StoredNotice | null>;
  list(exerciseId: string, filter: NoticeFilter): Promise<StoredNotice[]>;
  history(noticeId: string): Promise<HistoryEntry[]>;
  /** Every record of the notice, by country: rows and unacted recipients alike. */
  circulation(noticeId: string): Promise<StoredRecord[]>;
  /** The exercise's earliest deadline falling due by `upTo` (ties broken by notice, then row), if any. */
  nextDue(exerciseId: string, upTo: Date, noticeId?: string): Promise<DueDeadline | null>;
  /** Each exercise's earliest deadline (the ticker compares it with the exercise's clock), by exercise id. */
  earliestDeadlines(): Promise<Map<string, Date>>;
  /** Every history entry of the run's notices, in simulated order. */
  exerciseHistory(exerciseId: string, run: number): Promise<(HistoryEntry & { noticeId: string })[]>;
  /** Circulation records of the run's notices (the unacted ones too), counted by notice and state. */
  recordCounts(exerciseId: string, run: number): Promise<Map<string, Record<string, number>>>;
  transaction<T>(work: (tx: NoticeTx) => Promise<T>): Promise<T>;
  /**
   * The notice with its exercise's clock and one country's record (its row, or the unacted record of
   * a recipient), read in one statement without a lock: what `writeRecordEventAlone` is judged on.
   */
  peekRecord(noticeId: string, country: string): Promise<{ notice: LockedNotice; record: StoredRecord | null } | null>;
  /**
   * A record's move written on its own, in one autocommit statement that applies whole or not at all:
   * only while the notice's version and run and the record's version are those read, taking the
   * notice's next seq and the exercise's next position. False, and nothing written, when any moved on.
   */
  writeRecordEventAlone(
    notice: StoredNotice,
    record: StoredRecord,
    state: string,
    entry: NewHistoryEntry,
  ): Promise<boolean>;
  /**
   * The notice with its exercise's clock, read in one statement without a lock: what
   * `writeNoticeEventAlone` is judged on.
   */
  peekNotice(noticeId: string): Promise<LockedNotice | null>;
  /**
   * A notice's transition written on its own, in one autocommit statement that applies whole or not at
   * all: the notice's columns (and its deadline rows, when they changed) only while its version and run
   * are those read, then its history entry under the notice's next seq and the exercise's next position.
   * Returns the notice as written, or null, and nothing written, when either moved on.
   */
  writeNoticeEventAlone(notice: StoredNotice, write: NoticeWrite, entry: NewHistoryEntry): Promise<StoredNotice | null>;
}
