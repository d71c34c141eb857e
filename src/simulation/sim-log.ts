/**
 * What a replication did in its simulated period, kept for writing it into an exercise (./persist.ts):
 * the notices alive on the period's first day, each as it stood then (one `IMPORTED` entry with its
 * state, dates and machine snapshot, not its warm-up history), then every event of the period as the API
 * would have written it: the same history entries (type, actor, states, payload), a notice's own and
 * its circulation records'. The engine calls it as it moves notices (SimState.log); it draws nothing, so
 * a replication with a log gives the same figures as one without.
 */
import type { CirculationEvent } from '../circulation/circulation-machine';
import { FINAL_CIRCULATION_STATES, HOLDING_STATES } from '../circulation/circulation-machine';
import { MEMBER_COUNTRIES } from '../countries/member-countries';
import type { Actor } from '../exercises/exercise-types';
import { failingBlockingChecks } from '../notices/compliance-checks';
import type { NoticeEvent } from '../notices/notice-machine';
import type { NewHistoryEntry } from '../notices/notice-store-type';
import type { Case, SimObserver, SimRecord } from './sim-state';

const SYSTEM: Actor = { role: 'system' };
/** What a notice's end leaves as it is: a final record, or a person held after an arrest (the step goes on). */
const NOT_CLOSED: ReadonlySet<string> = new Set([...FINAL_CIRCULATION_STATES, ...HOLDING_STATES]);
const MEMBERS = MEMBER_COUNTRIES.map((c) => c.code).sort();

/** A circulation record acted on (in the period, or before it and taken up with its notice), and its times. */
export interface LoggedRecord {
  record: SimRecord;
  createdAt: number;
  updatedAt: number;
  /** Events on it in the period. */
  moves: number;
}

/** A notice of the period: its case (its final state at the end), and how it entered the period. */
export interface LoggedNotice {
  c: Case;
  /** Imported (alive on the first day) or created in the period. */
  imported: boolean;
  createdAt: number;
  /** Simulated time of its latest own event. */
  lastEventAt: number;
  records: Map<string, LoggedRecord>;
}

export interface LoggedEntry {
  notice: LoggedNotice;
  entry: NewHistoryEntry;
}

/** The event's fields as the API's history keeps them: what was sent, without its type, actor and time. */
function sent(event: { type: string; actor: Actor; at: string }): Record<string, unknown> {
  const { type: _type, actor: _actor, at: _at, ...payload } = event;
  return payload;
}

/** The machine is told the notice's state; what was sent did not say it. */
function withoutNoticeState({ noticeState: _state, ...payload }: Record<string, unknown>): Record<string, unknown> {
  return payload;
}

export class SimLog implements SimObserver {
  /** Notices alive now (not in a final state), by id: the stock the period starts from. */
  private readonly live = new Map<number, Case>();
  private started = false;
  readonly notices = new Map<number, LoggedNotice>();
  /** The period's history in the order it happened (the order the exercise numbers it). */
  readonly entries: LoggedEntry[] = [];

  /** A new notice, a draft (the API's CREATE). */
  created(c: Case, at: number): void {
    this.live.set(c.notice.id, c);
    if (!this.started) return;
    const logged = this.track(c, false, at);
    this.push(logged, at, {
      type: 'CREATE',
      actor: c.owner,
      from: null,
      to: c.notice.value,
      country: null,
      payload: { noticeType: c.notice.type, request: c.notice.context.request },
    });
  }

  /** The period's first day: every live notice comes in as it stands, with its records acted on so far. */
  periodStarts(at: number): void {
    this.started = true;
    for (const c of this.live.values()) {
      const logged = this.track(c, true, at);
      const { publishedAt, expiresAt, deadlines } = c.notice.context;
      this.push(logged, at, {
        type: 'IMPORTED',
        actor: SYSTEM,
        from: null,
        to: c.notice.value,
        country: null,
        payload: {
          state: c.notice.value,
          publishedAt,
          expiresAt,
          deadlines,
          snapshot: { value: c.notice.value, context: c.notice.context },
        },
      });
      for (const record of c.records?.values() ?? []) {
        logged.records.set(record.country, {
          record,
          createdAt: at,
          updatedAt: at,
          moves: 0,
        });
        this.push(logged, at, {
          type: 'IMPORTED',
          actor: SYSTEM,
          from: null,
          to: record.value,
          country: record.country,
          payload: { state: record.value },
        });
      }
    }
  }

  /** A notice moved from `before` by `event` (its context is the one after). */
  noticeMoved(c: Case, before: string, event: NoticeEvent, at: number): void {
    if (c.notice.done) this.live.delete(c.notice.id);
    const logged = this.started ? this.notices.get(c.notice.id) : undefined;
    if (!logged) return;
    logged.lastEventAt = at;
    const payload = sent(event);
    // What the API's transition adds (notice-transitions.ts, circulation-effects.ts).
    if (event.type === 'SUBMIT' || event.type === 'PROVIDE_INFO' || event.type === 'APPROVE') {
      payload.failingChecks = failingBlockingChecks(c.notice.context.checks);
    }
    if (event.type === 'APPROVE') payload.recipientCount = MEMBERS.length - 1;
    // A system event is a deadline falling due (notice-deadlines.ts).
    if (event.actor.role === 'system') payload.deadline = event.type;
    if (event.type === 'REPORT_LOCATED' && event.actor.country) payload.country = event.actor.country;
    if (c.notice.done) payload.closedRecords = this.closedRecords(logged);
    this.push(logged, at, {
      type: event.type,
      actor: event.actor,
      from: before,
      to: c.notice.value,
      country: null,
      payload,
    });
  }

  /** A record moved; the records a notice's end closes are not history of their own (closedRecords says so). */
  recordMoved(c: Case, record: SimRecord, before: string, event: CirculationEvent, at: number): void {
    const logged = this.started ? this.notices.get(c.notice.id) : undefined;
    if (!logged || event.type === 'CLOSE') return;
    let kept = logged.records.get(record.country);
    if (!kept) logged.records.set(record.country, (kept = { record, createdAt: at, updatedAt: at, moves: 0 }));
    kept.updatedAt = at;
    kept.moves += 1;
    this.push(logged, at, {
      type: event.type,
      actor: event.actor,
      from: before,
      to: record.value,
      country: record.country,
      payload: withoutNoticeState(sent(event)),
    });
  }

  private track(c: Case, imported: boolean, at: number): LoggedNotice {
    const logged: LoggedNotice = { c, imported, createdAt: at, lastEventAt: at, records: new Map() };
    this.notices.set(c.notice.id, logged);
    return logged;
  }

  private push(notice: LoggedNotice, at: number, entry: Omit<NewHistoryEntry, 'at' | 'participantId'>): void {
    this.entries.push({ notice, entry: { ...entry, participantId: null, at: new Date(at) } });
  }

  /** The recipients whose records the notice's end closed: every one without a final record or a person held. */
  private closedRecords(logged: LoggedNotice): string[] {
    const { context } = logged.c.notice;
    if (!context.publishedAt) return [];
    const records = logged.c.records;
    return MEMBERS.filter((code) => {
      if (code === logged.c.country) return false;
      const record = records?.get(code);
      return !record || !NOT_CLOSED.has(record.value);
    });
  }
}
