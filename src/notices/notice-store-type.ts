import type { ExerciseClock } from '../exercises/clock';
import type { PersistedSnapshot } from '../machines/evaluate';
import type { Actor, NoticeType } from './notice-types';

export type { PersistedSnapshot };

export interface StoredNotice {
  id: string;
  exerciseId: string;
  type: NoticeType;
  state: string;
  requestingCountry: string;
  version: number;
  snapshot: PersistedSnapshot;
  publishedAt: Date | null;
  expiresAt: Date | null;
  dueAt: Date | null;
  dueEvent: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A notice read under its row lock, with its exercise's clock as it stands at that moment (when known). */
export interface LockedNotice extends StoredNotice {
  clock: ExerciseClock | null;
}

/** Columns written on every notice transition: the snapshot and what is derived from it. */
export interface NoticeWrite {
  state: string;
  snapshot: PersistedSnapshot;
  publishedAt: Date | null;
  expiresAt: Date | null;
  dueAt: Date | null;
  dueEvent: string | null;
}

export interface NewNotice extends NoticeWrite {
  exerciseId: string;
  type: NoticeType;
  requestingCountry: string;
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
}

export interface StoredRecord {
  noticeId: string;
  country: string;
  state: string;
  version: number;
  updatedAt: Date;
}

export interface NoticeFilter {
  state?: string | undefined;
  type?: NoticeType | undefined;
  country?: string | undefined;
  /** Only notices this ncb country requested or received. */
  visibleTo?: string | undefined;
  limit: number;
  offset: number;
}

/** Operations inside one transaction; every write there commits or rolls back together. */
export interface NoticeTx {
  /**
   * Reads the notice and locks its row until the transaction ends. Every transaction on a notice
   * starts here, so concurrent events on one notice take turns and locks are always taken in the
   * same order (the notice, then its records): no deadlock, and each event sees the state the
   * previous one left.
   */
  lock(id: string): Promise<LockedNotice | null>;
  /**
   * Writes a transition and appends its history entry under the notice's next seq, when the version
   * still matches. Returns the updated notice, or null (and nothing written) when someone else wrote first.
   */
  update(id: string, expectedVersion: number, write: NoticeWrite, entry: NewHistoryEntry): Promise<StoredNotice | null>;
  /**
   * Moves a record to `state` if its version is still the one read, and appends its history entry
   * under the notice's next seq, in one statement. False (and nothing written) when the version moved on.
   */
  writeRecordEvent(record: StoredRecord, state: string, entry: NewHistoryEntry): Promise<boolean>;
  findRecord(noticeId: string, country: string): Promise<StoredRecord | null>;
  /** One record per country, in one batched write. */
  openCirculation(noticeId: string, countries: readonly string[], state: string, at: Date): Promise<void>;
  /** Moves every record in one of `openStates` to `closedState`; returns their countries. */
  closeCirculation(noticeId: string, openStates: readonly string[], closedState: string, at: Date): Promise<string[]>;
  /**
   * Marks a scenario's inject done, with this transaction's change: false when it is no longer
   * pending (another process fired it first), and the caller must then roll back.
   */
  completeInject(injectId: string, noticeId: string | null): Promise<boolean>;
}

/** The inject an action was meant to fire had already fired: the action was rolled back. */
export class InjectAlreadyFired extends Error {
  constructor(readonly injectId: string) {
    super(`inject ${injectId} has already fired`);
    this.name = 'InjectAlreadyFired';
  }
}

export interface NoticeStore {
  /**
   * Creates the notice with its first history entry; with `injectId`, marks that inject done in the
   * same transaction (or throws InjectAlreadyFired). Created by a participant whose scripted create
   * was skipped (a team plays it), it takes that inject's local key.
   */
  create(notice: NewNotice, history: NewHistoryEntry, injectId?: string): Promise<StoredNotice>;
  find(id: string): Promise<StoredNotice | null>;
  list(exerciseId: string, filter: NoticeFilter): Promise<StoredNotice[]>;
  history(noticeId: string): Promise<HistoryEntry[]>;
  circulation(noticeId: string): Promise<StoredRecord[]>;
  hasRecord(noticeId: string, country: string): Promise<boolean>;
  /** The exercise's earliest deadline falling due by `upTo` (ties broken by notice id), if any. */
  nextDue(exerciseId: string, upTo: Date): Promise<{ id: string; dueAt: Date; dueEvent: string } | null>;
  /** Exercises whose running clock has reached one of their deadlines at wall time `wallNow`. */
  exercisesWithDueDeadlines(wallNow: Date): Promise<string[]>;
  /** Every history entry of the exercise's notices, in simulated order. */
  exerciseHistory(exerciseId: string): Promise<(HistoryEntry & { noticeId: string })[]>;
  /** Circulation records of the exercise's notices, counted by notice and state. */
  recordCounts(exerciseId: string): Promise<Map<string, Record<string, number>>>;
  /** Notices in one of `states` whose requester consented to a public extract. */
  listPublic(exerciseId: string, states: readonly string[]): Promise<StoredNotice[]>;
  transaction<T>(work: (tx: NoticeTx) => Promise<T>): Promise<T>;
}
