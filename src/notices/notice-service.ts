import { getInitialSnapshot, type StateValue } from 'xstate';
import {
  CIRCULATION_ROLE_GUARDS,
  CIRCULATION_STATE_GUARDS,
  FINAL_CIRCULATION_STATES,
  CIRCULATION_STATES,
  CIRCULATION_EVENT_TYPES,
  circulationGuardFailure,
  circulationMachine,
  type CirculationEvent,
} from '../circulation/circulation-machine';
import { MEMBER_COUNTRIES } from '../countries/member-countries';
import { simulatedNow } from '../exercises/clock';
import type { Principal } from '../exercises/exercise-types';
import {
  AppError,
  ChecksFailedError,
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  StaleVersionError,
} from '../http/errors';
import { allowedEventsFor, evaluateEvent, persistSnapshot, restoreSnapshot } from '../machines/evaluate';
import { failingBlockingChecks, runChecks } from './compliance-checks';
import { NOTICE_ROLE_GUARDS, noticeMachineFor, type NoticeContext, type NoticeEvent } from './notice-machine';
import type { z } from 'zod';
import type {
  CirculationEventInput,
  CirculationRecordResponse,
  HistoryEntryResponse,
  NoticeDto,
  NoticeEventInput,
} from './notice-schemas';
import { InjectAlreadyFired } from './notice-store-type';
import type {
  HistoryEntry,
  LockedNotice,
  NewHistoryEntry,
  NoticeStore,
  NoticeTx,
  NoticeWrite,
  StoredNotice,
  StoredRecord,
} from './notice-store-type';
import { PUBLIC_STATES, isPublic, toPublicExtract, type PublicExtract } from './public-extract';
import { FINAL_NOTICE_STATES, NOTICE_USER_EVENTS, type Actor, type NoticeRequest } from './notice-types';

const NOTICE_GUARDS = { roleGuards: NOTICE_ROLE_GUARDS };
const CIRCULATION_GUARDS = { roleGuards: CIRCULATION_ROLE_GUARDS, stateGuards: CIRCULATION_STATE_GUARDS };
const CIRCULATION_USER_EVENTS = CIRCULATION_EVENT_TYPES.filter((t) => t !== 'CLOSE');
const OPEN_CIRCULATION_STATES = CIRCULATION_STATES.filter((s) => !FINAL_CIRCULATION_STATES.includes(s));

export interface NoticeListQuery {
  state?: string | undefined;
  type?: 'RED' | 'YELLOW' | undefined;
  country?: string | undefined;
  limit: number;
  offset: number;
}

export type CirculationRecordDto = z.infer<typeof CirculationRecordResponse>;
export type HistoryEntryDto = z.infer<typeof HistoryEntryResponse>;

/** Notified after a change has committed (the live stream and the clock hang off this later). */
export type CommittedListener = (change: { exerciseId: string; noticeId: string; entries: NewHistoryEntry[] }) => void;

const actorOf = (p: Principal): Actor => (p.country ? { role: p.role, country: p.country } : { role: p.role });

const contextOf = (notice: StoredNotice): NoticeContext => notice.snapshot.context as NoticeContext;

/** The columns derived from a notice snapshot, written with it so queries need not parse JSON. */
function deriveWrite(snapshot: { value: StateValue; context: NoticeContext }): NoticeWrite {
  const { context } = snapshot;
  return {
    state: String(snapshot.value),
    snapshot: persistSnapshot(snapshot),
    publishedAt: context.publishedAt ? new Date(context.publishedAt) : null,
    expiresAt: context.expiresAt ? new Date(context.expiresAt) : null,
    dueAt: context.deadline ? new Date(context.deadline.at) : null,
    dueEvent: context.deadline?.event ?? null,
  };
}

type RequestFields = Pick<NoticeDto, 'subject' | 'offence' | 'extraditionFrom' | 'article3Concern' | 'disappearance' | 'adultConsent' | 'publicExtractConsent'>;

function requestFields(request: NoticeRequest): RequestFields {
  const { type: _type, ...rest } = request;
  return rest;
}

const recordDto = (r: StoredRecord): CirculationRecordDto => ({
  country: r.country,
  state: r.state,
  version: r.version,
  updatedAt: r.updatedAt.toISOString(),
});

const historyDto = (h: HistoryEntry): HistoryEntryDto => ({
  seq: h.seq,
  type: h.type,
  actor: h.actor,
  from: h.from,
  to: h.to,
  ...(h.country && { country: h.country }),
  at: h.at.toISOString(),
  recordedAt: h.recordedAt.toISOString(),
  payload: h.payload,
});

/** Event payload for the history: what the caller sent, minus the type. */
function payloadOf(body: { type: string }): Record<string, unknown> {
  const { type: _type, ...payload } = body;
  return payload;
}

export interface NoticeService {
  create(principal: Principal, exerciseId: string, request: NoticeRequest): Promise<NoticeDto>;
  get(principal: Principal, noticeId: string): Promise<NoticeDto>;
  list(principal: Principal, exerciseId: string, query: NoticeListQuery): Promise<NoticeDto[]>;
  sendEvent(principal: Principal, noticeId: string, body: NoticeEventInput, ifMatch?: number): Promise<NoticeDto>;
  history(principal: Principal, noticeId: string): Promise<HistoryEntryDto[]>;
  circulation(principal: Principal, noticeId: string): Promise<CirculationRecordDto[]>;
  sendCirculationEvent(
    principal: Principal,
    noticeId: string,
    country: string,
    body: CirculationEventInput,
    ifMatch?: number,
  ): Promise<CirculationRecordDto>;
  /**
   * Fires every deadline of the exercise that falls due by simulated time `now`, one at a time in
   * time order, each as a `system` event through the same transition path; returns how many fired.
   */
  fireDueDeadlines(exerciseId: string, now: Date): Promise<number>;
  /** The public extracts of an exercise, for anyone; `now` is the exercise's simulated time. */
  publicExtracts(exerciseId: string, now: Date): Promise<PublicExtract[]>;
  publicExtract(exerciseId: string, noticeId: string, now: Date): Promise<PublicExtract>;
}

export interface NoticeServiceOptions {
  now?: () => Date;
  onCommitted?: CommittedListener;
}

export function createNoticeService(store: NoticeStore, options: NoticeServiceOptions = {}): NoticeService {
  const wallNow = options.now ?? (() => new Date());
  // An inject acts at its own simulated time; anyone else at the exercise's now.
  const simNow = (p: Principal): Date => p.inject?.at ?? simulatedNow(p.clock, wallNow());

  /** An inject's action and the mark that it is done commit together, or not at all. */
  async function completeInject(tx: NoticeTx, principal: Principal): Promise<void> {
    if (principal.inject && !(await tx.completeInject(principal.inject.id, null))) throw new InjectAlreadyFired(principal.inject.id);
  }
  const committed = options.onCommitted ?? (() => undefined);

  /** An ncb sees what it requested and what was circulated to it; every other role sees the whole exercise. */
  async function canSee(principal: Principal, notice: StoredNotice, tx?: NoticeTx): Promise<boolean> {
    if (notice.exerciseId !== principal.exerciseId) return false;
    if (principal.role !== 'ncb' || notice.requestingCountry === principal.country) return true;
    const country = principal.country ?? '';
    return tx ? (await tx.findRecord(notice.id, country)) !== null : store.hasRecord(notice.id, country);
  }

  /** An ncb other than the requester: it sees the notice, but of its circulation only its own part. */
  function receivedOnly(principal: Principal, notice: StoredNotice): boolean {
    return principal.role === 'ncb' && notice.requestingCountry !== principal.country;
  }

  async function visibleNotice(principal: Principal, noticeId: string): Promise<StoredNotice> {
    const notice = await store.find(noticeId);
    if (!notice || !(await canSee(principal, notice))) throw new NotFoundError('Notice');
    return notice;
  }

  function toDto(notice: StoredNotice, principal: Principal): NoticeDto {
    const machine = noticeMachineFor(notice.type);
    const snapshot = restoreSnapshot(machine, notice.snapshot);
    const context = contextOf(notice);
    return {
      id: notice.id,
      exerciseId: notice.exerciseId,
      type: notice.type,
      state: notice.state as NoticeDto['state'],
      requestingCountry: notice.requestingCountry,
      version: notice.version,
      allowedEvents: allowedEventsFor(machine, snapshot, actorOf(principal), NOTICE_USER_EVENTS, NOTICE_GUARDS),
      checks: context.checks,
      ...requestFields(context.request),
      pendingQuestion: context.pendingQuestion,
      deadline: context.deadline,
      publishedAt: notice.publishedAt?.toISOString() ?? null,
      expiresAt: notice.expiresAt?.toISOString() ?? null,
      createdAt: notice.createdAt.toISOString(),
      updatedAt: notice.updatedAt.toISOString(),
    };
  }

  /**
   * The one path by which a notice changes state: evaluate the event on the stored snapshot, write the
   * new snapshot guarded by the version, append history, and fan circulation out or close it, all in
   * the caller's transaction.
   */
  async function applyNoticeEvent(
    tx: NoticeTx,
    notice: StoredNotice,
    event: NoticeEvent,
    participantId: string | null,
    payload: Record<string, unknown>,
  ): Promise<{ notice: StoredNotice; entries: NewHistoryEntry[] }> {
    const machine = noticeMachineFor(notice.type);
    const snapshot = restoreSnapshot(machine, notice.snapshot);
    const outcome = evaluateEvent(machine, snapshot, event, NOTICE_GUARDS);
    if (!outcome.ok) {
      if (outcome.reason === 'invalid_state') throw new InvalidTransitionError(event.type, notice.state, allowedFor(notice, event.actor));
      if (outcome.reason === 'forbidden') throw new ForbiddenError(outcome.message);
      // The only non-role guard on a notice is APPROVE's compliance checks.
      const approval = event.type === 'APPROVE' ? { article3Cleared: event.article3Cleared, particularImportance: event.particularImportance ?? false } : undefined;
      throw new ChecksFailedError(failingBlockingChecks(runChecks(contextOf(notice).request, approval)));
    }
    const next = outcome.next;
    const to = String(next.value);
    const at = new Date(event.at);
    const entry: NewHistoryEntry = {
      type: event.type,
      actor: event.actor,
      participantId,
      from: notice.state,
      to,
      country: null,
      at,
      payload: { ...payload },
    };
    if (event.type === 'SUBMIT' || event.type === 'PROVIDE_INFO' || event.type === 'APPROVE') {
      entry.payload.failingChecks = failingBlockingChecks(next.context.checks);
    }
    if (event.type === 'APPROVE') {
      const recipients = MEMBER_COUNTRIES.map((c) => c.code).filter((c) => c !== notice.requestingCountry);
      await tx.openCirculation(notice.id, recipients, 'received', at);
      entry.payload.recipients = recipients.length;
    }
    if (FINAL_NOTICE_STATES.includes(to as never)) {
      // Closing is the circulation machine's CLOSE from every non-final state, applied to all open records in one statement.
      entry.payload.closedRecords = await tx.closeCirculation(notice.id, OPEN_CIRCULATION_STATES, 'closed', at);
    }
    const written = await tx.update(notice.id, notice.version, deriveWrite(next), entry);
    if (!written) throw new StaleVersionError();
    return { notice: written, entries: [entry] };
  }

  /**
   * Runs an event so that deadlines that fell due before it are on record first, in transactions of
   * their own: a refused event must not take a fired expiry back with it. The attempt signals a due
   * deadline by throwing DeadlinesDue; they are fired, and the event tried once more, this time
   * firing inline any deadline that fell due in between.
   */
  async function deadlinesFirst<T>(principal: Principal, noticeId: string, attempt: (inline: boolean) => Promise<T>): Promise<T> {
    try {
      return await attempt(false);
    } catch (error) {
      if (!(error instanceof DeadlinesDue)) throw error;
      const fired = await store.transaction(async (tx) => {
        const notice = await tx.lock(noticeId);
        return notice ? { exerciseId: notice.exerciseId, ...(await catchUp(tx, notice, simNow(atLock(principal, notice)))) } : null;
      });
      if (fired?.entries.length) committed({ exerciseId: fired.exerciseId, noticeId, entries: fired.entries });
      return attempt(true);
    }
  }

  /** The caller with its exercise's clock as read under the notice's lock, for the event's simulated time. */
  function atLock(principal: Principal, notice: LockedNotice): Principal {
    return notice.clock ? { ...principal, clock: notice.clock } : principal;
  }

  async function dueFirst(tx: NoticeTx, notice: StoredNotice, now: Date, inline: boolean) {
    if (!isDue(notice, now)) return { notice, entries: [] as NewHistoryEntry[] };
    if (!inline) throw new DeadlinesDue();
    return catchUp(tx, notice, now);
  }

  function isDue(notice: StoredNotice, now: Date): boolean {
    return notice.dueAt !== null && notice.dueEvent !== null && notice.dueAt.getTime() <= now.getTime();
  }

  /**
   * Applies, on a locked notice, each deadline that falls due by `now`, as the `system` at the time
   * it fell due. Checked after the lock, so a deadline fires once however many processes try.
   */
  async function catchUp(tx: NoticeTx, notice: StoredNotice, now: Date): Promise<{ notice: StoredNotice; entries: NewHistoryEntry[] }> {
    const entries: NewHistoryEntry[] = [];
    let current = notice;
    while (isDue(current, now)) {
      const event = { type: current.dueEvent, actor: { role: 'system' }, at: current.dueAt!.toISOString() } as NoticeEvent;
      const applied = await applyNoticeEvent(tx, current, event, null, { deadline: current.dueEvent });
      current = applied.notice;
      entries.push(...applied.entries);
    }
    return { notice: current, entries };
  }

  function allowedFor(notice: StoredNotice, actor: Actor): string[] {
    const machine = noticeMachineFor(notice.type);
    return allowedEventsFor(machine, restoreSnapshot(machine, notice.snapshot), actor, NOTICE_USER_EVENTS, NOTICE_GUARDS);
  }

  function checkIfMatch(ifMatch: number | undefined, version: number): void {
    if (ifMatch !== undefined && ifMatch !== version) {
      throw new StaleVersionError(`If-Match ${ifMatch} does not match the current version ${version}`, { currentVersion: version });
    }
  }

  return {
    async create(principal, exerciseId, request) {
      if (principal.exerciseId !== exerciseId) throw new NotFoundError('Exercise');
      if (principal.role !== 'ncb' || !principal.country) {
        throw new ForbiddenError('Only a National Central Bureau (ncb) requests notices');
      }
      const machine = noticeMachineFor(request.type);
      const snapshot = getInitialSnapshot(machine, { requestingCountry: principal.country, request });
      const at = simNow(principal);
      const entry: NewHistoryEntry = {
        type: 'CREATE',
        actor: actorOf(principal),
        participantId: principal.participantId,
        from: null,
        to: 'draft',
        country: null,
        at,
        payload: { noticeType: request.type },
      };
      const notice = await store.create(
        { exerciseId, type: request.type, requestingCountry: principal.country, ...deriveWrite(snapshot) },
        entry,
        principal.inject?.id,
      );
      committed({ exerciseId, noticeId: notice.id, entries: [entry] });
      return toDto(notice, principal);
    },

    async get(principal, noticeId) {
      return toDto(await visibleNotice(principal, noticeId), principal);
    },

    async list(principal, exerciseId, query) {
      if (principal.exerciseId !== exerciseId) throw new NotFoundError('Exercise');
      const notices = await store.list(exerciseId, {
        ...query,
        visibleTo: principal.role === 'ncb' ? principal.country : undefined,
      });
      return notices.map((n) => toDto(n, principal));
    },

    sendEvent(principal, noticeId, body, ifMatch) {
      return deadlinesFirst(principal, noticeId, async (inline) => {
        // Optimistic concurrency: the event is judged against the notice as it was when the request
        // arrived (or as the caller's If-Match says); a change committed meanwhile makes it a 409.
        const arrived = await visibleNotice(principal, noticeId);
        checkIfMatch(ifMatch, arrived.version);
        const { notice, entries } = await store.transaction(async (tx) => {
          const current = await tx.lock(noticeId);
          if (!current) throw new NotFoundError('Notice');
          if (current.version !== arrived.version) {
            throw new StaleVersionError('The notice was changed by another request while this one waited; reload it and try again', {
              currentVersion: current.version,
            });
          }
          const actor = atLock(principal, current);
          const now = simNow(actor);
          const due = await dueFirst(tx, current, now, inline);
          // A country that received the notice reports its subject located through its own record, as
          // if it had sent the event there: one path, whichever route the report takes.
          const reporter = principal.country;
          if (body.type === 'REPORT_LOCATED' && current.type === 'YELLOW' && reporter && reporter !== current.requestingCountry) {
            const done = await recordEvent(tx, due.notice, actor, reporter, { type: 'REPORT_LOCATED', details: body.details });
            await completeInject(tx, principal);
            return { ...done, entries: [...due.entries, ...done.entries] };
          }
          const event = { ...body, actor: actorOf(principal), at: now.toISOString() } as NoticeEvent;
          const done = await applyNoticeEvent(tx, due.notice, event, principal.participantId, payloadOf(body));
          await completeInject(tx, principal);
          return { ...done, entries: [...due.entries, ...done.entries] };
        });
        committed({ exerciseId: notice.exerciseId, noticeId, entries });
        return toDto(notice, principal);
      });
    },

    async history(principal, noticeId) {
      const notice = await visibleNotice(principal, noticeId);
      const entries = await store.history(noticeId);
      // As with circulation: a country that received the notice sees the notice's own events and its own record's, not other countries'.
      const mine = (e: HistoryEntry) => e.country === null || e.country === principal.country;
      return entries.filter((e) => !receivedOnly(principal, notice) || mine(e)).map(historyDto);
    },

    async circulation(principal, noticeId) {
      const notice = await visibleNotice(principal, noticeId);
      const records = await store.circulation(noticeId);
      return records.filter((r) => !receivedOnly(principal, notice) || r.country === principal.country).map(recordDto);
    },

    async fireDueDeadlines(exerciseId, now) {
      let fired = 0;
      let last = '';
      for (;;) {
        const due = await store.nextDue(exerciseId, now);
        if (!due) return fired;
        // A deadline that stays due after its turn would loop forever: stop and say so.
        const key = `${due.id}/${due.dueEvent}/${due.dueAt.toISOString()}`;
        if (key === last) throw new Error(`deadline ${key} did not fire`);
        last = key;
        const { entries } = await store.transaction(async (tx) => {
          const notice = await tx.lock(due.id);
          // Another process may have fired it meanwhile: then there is nothing left to do here.
          return notice ? catchUp(tx, notice, due.dueAt) : { entries: [] };
        });
        fired += entries.length;
        if (entries.length) committed({ exerciseId, noticeId: due.id, entries });
      }
    },

    async publicExtracts(exerciseId, now) {
      return (await store.listPublic(exerciseId, PUBLIC_STATES)).map((n) => toPublicExtract(n, now));
    },

    async publicExtract(exerciseId, noticeId, now) {
      const notice = await store.find(noticeId);
      if (!notice || notice.exerciseId !== exerciseId || !isPublic(notice)) throw new NotFoundError('Notice');
      return toPublicExtract(notice, now);
    },

    sendCirculationEvent(principal, noticeId, country, body, ifMatch) {
      return deadlinesFirst(principal, noticeId, async (inline) => {
        const { record, entries, notice } = await store.transaction(async (tx) => {
          const notice = await tx.lock(noticeId);
          // An ncb acting on its own country's record sees the notice through that very record.
          const ownRecord = principal.role === 'ncb' && principal.country === country;
          if (!notice || notice.exerciseId !== principal.exerciseId || !(ownRecord || (await canSee(principal, notice, tx)))) {
            throw new NotFoundError('Notice');
          }
          const actor = atLock(principal, notice);
          const due = await dueFirst(tx, notice, simNow(actor), inline);
          const done = await recordEvent(tx, due.notice, actor, country, body, ifMatch);
          await completeInject(tx, principal);
          return { ...done, entries: [...due.entries, ...done.entries] };
        });
        committed({ exerciseId: notice.exerciseId, noticeId, entries });
        return record;
      });
    },
  };

  /**
   * A circulation event on one record, on a notice already locked: the record moves and its history
   * row is appended; REPORT_LOCATED then moves the notice too, in the same transaction.
   */
  async function recordEvent(
    tx: NoticeTx,
    notice: StoredNotice,
    principal: Principal,
    country: string,
    body: CirculationEventInput | { type: 'REPORT_LOCATED'; details?: string | undefined },
    ifMatch?: number,
  ): Promise<{ notice: StoredNotice; record: CirculationRecordDto; entries: NewHistoryEntry[] }> {
    const current = await tx.findRecord(notice.id, country);
    if (!current) throw new NotFoundError('Circulation record');
    checkIfMatch(ifMatch, current.version);
    const { record, entry } = planRecordMove(notice, current, principal, body);
    if (!(await tx.writeRecordEvent(current, record.state, entry))) {
      throw new StaleVersionError('The circulation record was changed by another request; reload it and try again');
    }
    if (body.type !== 'REPORT_LOCATED') return { notice, record, entries: [entry] };
    const event: NoticeEvent = { type: 'REPORT_LOCATED', ...(body.details && { details: body.details }), actor: entry.actor, at: entry.at.toISOString() };
    const applied = await applyNoticeEvent(tx, notice, event, principal.participantId, { ...payloadOf(body), country });
    return { notice: applied.notice, record, entries: [entry, ...applied.entries] };
  }

  /**
   * Evaluates a circulation event on a record (pure: nothing is written); returns the record as it
   * will be and its history entry, or throws the 403/409 that explains the refusal.
   */
  function planRecordMove(
    notice: StoredNotice,
    record: StoredRecord,
    principal: Principal,
    body: CirculationEventInput | { type: 'REPORT_LOCATED'; details?: string | undefined },
  ): { record: CirculationRecordDto; entry: NewHistoryEntry } {
    const snapshot = restoreSnapshot(circulationMachine, {
      value: record.state,
      context: { noticeType: notice.type, country: record.country },
    });
    const at = simNow(principal);
    const event = { ...body, actor: actorOf(principal), at: at.toISOString(), noticeState: notice.state } as CirculationEvent;
    const outcome = evaluateEvent(circulationMachine, snapshot, event, CIRCULATION_GUARDS);
    if (!outcome.ok) {
      if (outcome.reason === 'invalid_state') {
        const allowed = allowedEventsFor(circulationMachine, snapshot, event.actor, CIRCULATION_USER_EVENTS, CIRCULATION_GUARDS);
        throw new InvalidTransitionError(body.type, record.state, allowed);
      }
      if (outcome.reason === 'forbidden') throw new ForbiddenError(outcome.message);
      throw new AppError(409, 'NOTICE_NOT_ACTIVE', circulationGuardFailure(event) ?? `${body.type} is not allowed now`, {
        noticeState: notice.state,
      });
    }
    const to = String(outcome.next.value);
    return {
      record: recordDto({ ...record, state: to, version: record.version + 1, updatedAt: at }),
      entry: {
        type: body.type,
        actor: event.actor,
        participantId: principal.participantId,
        from: record.state,
        to,
        country: record.country,
        at,
        payload: payloadOf(body),
      },
    };
  }
}

/** A deadline fell due before the event being tried: fire it first, on its own. */
class DeadlinesDue extends Error {}
