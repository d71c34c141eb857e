/** What participants do with notices: request, read, send events, read the history; and the public's extracts. */
import { getInitialSnapshot } from 'xstate';
import type { Tx } from '../db/transaction';
import { simulatedNow } from '../exercises/clock';
import { actorOf, admitted, type Admission, type Principal } from '../exercises/exercise-types';
import type { RunOf } from '../exercises/runs';
import { ForbiddenError, NotFoundError, StaleVersionError, checkIfMatch } from '../kernel/errors';
import type { ScriptedOrigin, NoticeChanges } from './notice-changes';
import { noticeMachineFor, type NoticeEvent } from './notice-machine';
import { toHistoryDto, toNoticeDto, toPublicExtract } from './notice-presenter';
import type { NoticeEventInput } from './notice-request-schemas';
import type { HistoryEntryDto, NoticeDto, PublicExtract } from './notice-response-schemas';
import type { NewHistoryEntry, NoticeStore, StoredNotice } from './notice-store-type';
import { deriveWrite, payloadOf, type NoticeSnapshot, type NoticeTransitions } from './notice-transitions';
import type { NoticeRequest, NoticeType } from './notice-types';
import { canSeeNotice, canSeePart, refuseOwnCountry } from './notice-visibility';

export interface NoticeListQuery {
  /** The run to list; the current one when left out. */
  run?: number | undefined;
  state?: string | undefined;
  type?: NoticeType | undefined;
  country?: string | undefined;
  limit: number;
  offset: number;
}

/** How an event is sent: `ifMatch` the version the caller saw; `origin` when a script sends it. */
export interface SendOptions {
  ifMatch?: number | undefined;
  origin?: ScriptedOrigin | undefined;
}

/**
 * How a notice is created: `origin` when a script creates it; `record` runs in the creating transaction
 * with the answer (an Idempotency-Key's record).
 */
export interface CreateOptions {
  origin?: ScriptedOrigin | undefined;
  record?: ((tx: Tx, answer: NoticeDto) => Promise<void>) | undefined;
}

export interface NoticeService {
  create(principal: Principal, exerciseId: string, request: NoticeRequest, options?: CreateOptions): Promise<NoticeDto>;
  get(principal: Principal, noticeId: string): Promise<NoticeDto>;
  list(principal: Principal, exerciseId: string, query: NoticeListQuery): Promise<NoticeDto[]>;
  /**
   * Sends a notice's own event. The caller is a principal, or its admission on the clock read with the
   * notice (the route's first read brings the clock).
   */
  sendEvent(
    caller: Principal | Admission,
    noticeId: string,
    body: NoticeEventInput,
    options?: SendOptions,
  ): Promise<NoticeDto>;
  history(principal: Principal, noticeId: string): Promise<HistoryEntryDto[]>;
  /** The public extracts of a run of an exercise, for anyone; `now` is the exercise's simulated time. */
  publicExtracts(exerciseId: string, now: Date, run: number): Promise<PublicExtract[]>;
  publicExtract(exerciseId: string, noticeId: string, now: Date): Promise<PublicExtract>;
}

export function createNoticeService(deps: {
  store: NoticeStore;
  transitions: NoticeTransitions;
  changes: NoticeChanges;
  /** Resolves `?run=` against the exercise (its current run when left out). */
  runOf: RunOf;
  wallNow?: () => Date;
}): NoticeService {
  const { store, transitions, changes } = deps;
  const wallNow = deps.wallNow ?? (() => new Date());

  /** The notice, if the caller may see it; 404 otherwise, whatever the reason. */
  function visibleTo(principal: Principal, notice: StoredNotice | null): StoredNotice {
    if (!notice || notice.exerciseId !== principal.exerciseId || !canSeeNotice(principal, notice)) {
      throw new NotFoundError('Notice');
    }
    return notice;
  }

  const visibleNotice = async (principal: Principal, noticeId: string) =>
    visibleTo(principal, await store.find(noticeId));

  return {
    async create(principal, exerciseId, request, { origin, record } = {}) {
      if (principal.exerciseId !== exerciseId) throw new NotFoundError('Exercise');
      if (principal.role !== 'ncb' || !principal.country) {
        throw new ForbiddenError('Only a National Central Bureau (ncb) requests notices');
      }
      refuseOwnCountry(request, principal.country, 'body.recipients');
      const snapshot = getInitialSnapshot(noticeMachineFor(request.type), {
        requestingCountry: principal.country,
        request,
      });
      const entry: NewHistoryEntry = {
        type: 'CREATE',
        actor: actorOf(principal),
        participantId: principal.participantId,
        from: null,
        to: 'draft',
        country: null,
        at: origin?.at ?? simulatedNow(principal.clock, wallNow()),
        // The request the draft begins with: a notice's history replays from its first entry.
        payload: { noticeType: request.type, request },
      };
      const notice = await store.create(
        {
          exerciseId,
          type: request.type,
          requestingCountry: principal.country,
          ...deriveWrite(snapshot as NoticeSnapshot),
        },
        entry,
        (origin || record) &&
          (async (tx, created) => {
            await origin?.within(tx, { noticeId: created.id });
            await record?.(tx.db, toNoticeDto(created, principal));
          }),
      );
      await changes.committed({ exerciseId, noticeId: notice.id, entries: [entry] });
      return toNoticeDto(notice, principal);
    },

    async get(principal, noticeId) {
      return toNoticeDto(await visibleNotice(principal, noticeId), principal);
    },

    async list(principal, exerciseId, query) {
      if (principal.exerciseId !== exerciseId) throw new NotFoundError('Exercise');
      const run = await deps.runOf(exerciseId, query.run);
      const notices = await store.list(exerciseId, { ...query, run, reader: principal });
      return notices.map((n) => toNoticeDto(n, principal));
    },

    async sendEvent(caller, noticeId, body, options = {}) {
      const admit: Admission = typeof caller === 'function' ? caller : admitted(caller);
      // Optimistic concurrency: the event is judged against the notice as it was when the request
      // arrived (or as the caller's If-Match says); a change committed meanwhile makes it a 409.
      const arrivedAs = (by: Principal, notice: StoredNotice | null) => {
        const arrived = visibleTo(by, notice);
        checkIfMatch(options.ifMatch, arrived.version);
        return arrived;
      };
      const meta = (by: Principal) => ({ participantId: by.participantId, payload: payloadOf(body) });
      const eventAt = (by: Principal, now: Date) =>
        ({ ...body, actor: actorOf(by), at: now.toISOString() }) as NoticeEvent;
      // First without the lock, in one statement (a script's events, recorded with its own bookkeeping,
      // always take the locked path); what could not be written so is judged there against the same arrival.
      let admittedAs: Principal | null = null;
      let arrived: StoredNotice | null = null;
      if (!options.origin) {
        const quick = await changes.runOnNotice(noticeId, {
          admit,
          arrived: arrivedAs,
          plan: (by, notice, now) => transitions.planAlone(notice, eventAt(by, now), meta(by)),
        });
        if (quick.written) return toNoticeDto(quick.written, quick.by);
        ({ arrived, by: admittedAs } = quick);
      }
      const by = admittedAs ?? (await admit(null)).principal;
      const notice = await changes.run(noticeId, {
        principal: by,
        origin: options.origin,
        before: async () => {
          // The notice as the first attempt read it, once; a try after fired deadlines reads it again.
          const seen = arrived;
          arrived = null;
          return seen ?? arrivedAs(by, await store.find(noticeId));
        },
        check: (current, arrived) => {
          if (current.version !== arrived.version) {
            throw new StaleVersionError(
              'The notice was changed by another request while this one waited; reload it and try again',
              {
                currentVersion: current.version,
              },
            );
          }
        },
        work: async (tx, current, now) => {
          const applied = await transitions.apply(tx, current, eventAt(by, now), meta(by));
          return { ...applied, result: applied.notice };
        },
      });
      return toNoticeDto(notice, by);
    },

    async history(principal, noticeId) {
      const notice = await visibleNotice(principal, noticeId);
      const entries = await store.history(noticeId);
      return entries.filter((e) => canSeePart(principal, notice, e.country)).map(toHistoryDto);
    },

    async publicExtracts(exerciseId, now, run) {
      const notices = await store.list(exerciseId, {
        run,
        reader: 'public',
        order: 'published',
        limit: 1_000_000,
        offset: 0,
      });
      return notices.map((n) => toPublicExtract(n, now));
    },

    async publicExtract(exerciseId, noticeId, now) {
      const notice = await store.find(noticeId);
      if (!notice || notice.exerciseId !== exerciseId || !canSeeNotice('public', notice))
        throw new NotFoundError('Notice');
      return toPublicExtract(notice, now);
    },
  };
}
