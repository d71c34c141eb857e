/** What countries do with the notices circulated to them: read their records, and act on their own. */
import { actorOf, admitted, type Admission, type Principal } from '../exercises/exercise-types';
import { NotFoundError, checkIfMatch } from '../kernel/errors';
import type { NoticeChanges, ScriptedOrigin } from '../notices/notice-changes';
import type { NoticeStore, StoredRecord } from '../notices/notice-store-type';
import { payloadOf, type NoticeTransitions } from '../notices/notice-transitions';
import { canSeeNotice, canSeePart } from '../notices/notice-visibility';
import { linkReportedHit } from '../databases/hit-reports';
import type { CirculationEventInput, CirculationRecordDto } from './circulation-schemas';
import { EXTRADITION_EVENT_TYPES, isExtraditionEvent } from './circulation-machine';
import { movedRecord, planRecordMove, writeRecordMove } from './circulation-transitions';
import { followExtradition } from './extradition';
import { simulatedNow } from '../exercises/clock';

const whoOf = (principal: Principal) => ({ actor: actorOf(principal), participantId: principal.participantId });

const recordDto = (r: StoredRecord): CirculationRecordDto => ({
  country: r.country,
  state: r.state as CirculationRecordDto['state'],
  version: r.version,
  updatedAt: r.updatedAt.toISOString(),
  ...(r.deadline && { deadline: { event: r.deadline.event, at: r.deadline.dueAt.toISOString() } }),
});

/** Events whose move brings more in its transaction (a deadline, a message, an addendum): the locked path. */
const FOLLOWED: ReadonlySet<string> = new Set(['PROVISIONAL_ARREST', 'REPORT_LOCATED', ...EXTRADITION_EVENT_TYPES]);

export interface CirculationService {
  /** The notice's records the caller may see: all of them, or an ncb that received it its own. */
  list(principal: Principal, noticeId: string): Promise<CirculationRecordDto[]>;
  /**
   * An event on one country's record; REPORT_LOCATED moves a Yellow notice to located in the same
   * transaction. The caller is a principal, or its admission on the clock read with the notice.
   */
  sendEvent(
    caller: Principal | Admission,
    noticeId: string,
    country: string,
    body: CirculationEventInput,
    options?: { ifMatch?: number | undefined; origin?: ScriptedOrigin | undefined },
  ): Promise<CirculationRecordDto>;
}

export function createCirculationService(deps: {
  store: NoticeStore;
  transitions: NoticeTransitions;
  changes: NoticeChanges;
}): CirculationService {
  return {
    async list(principal, noticeId) {
      const notice = await deps.store.find(noticeId);
      if (!notice || notice.exerciseId !== principal.exerciseId || !canSeeNotice(principal, notice)) {
        throw new NotFoundError('Notice');
      }
      const records = await deps.store.circulation(noticeId);
      return records.filter((r) => canSeePart(principal, notice, r.country)).map(recordDto);
    },

    async sendEvent(caller, noticeId, country, body, options = {}) {
      const admit: Admission = typeof caller === 'function' ? caller : admitted(caller);
      let principal: Principal | undefined;
      // First without the lock, in one statement; REPORT_LOCATED (it moves the notice too), a hit reported
      // with its hitId (the hit is linked too) and a script's events (recorded with the script's own
      // bookkeeping) always take the locked path.
      const linksHit = body.type === 'REPORT_HIT' && body.hitId !== undefined;
      if (!options.origin && !FOLLOWED.has(body.type) && !linksHit) {
        const quick = await deps.changes.runOnRecord(noticeId, country, {
          admit: async (read) => {
            const admission = await admit(read);
            principal = admission.principal;
            return admission;
          },
          plan: (by, notice, record, now) => {
            if (notice.exerciseId !== by.exerciseId || !canSeeNotice(by, notice)) return null;
            checkIfMatch(options.ifMatch, record.version);
            const move = planRecordMove(notice, record, whoOf(by), body, now);
            return { state: move.to, entry: move.entry, result: recordDto(movedRecord(record, move)) };
          },
        });
        if (quick) return quick;
      }
      const by = principal ?? (await admit(null)).principal;
      const who = whoOf(by);
      // The extradition step has deadlines of its own: a release due by now happens before the event,
      // committed on its own (as the notice's are), so that a refused event does not take it back.
      if (isExtraditionEvent(body.type)) {
        await deps.changes.fireDue(by.exerciseId, options.origin?.at ?? simulatedNow(by.clock), noticeId);
      }
      return deps.changes.run(noticeId, {
        principal: by,
        origin: options.origin,
        check: (notice) => {
          if (notice.exerciseId !== by.exerciseId || !canSeeNotice(by, notice)) throw new NotFoundError('Notice');
        },
        work: async (tx, notice, now) => {
          const record = await tx.findRecord(notice, country);
          if (!record) throw new NotFoundError('Circulation record');
          checkIfMatch(options.ifMatch, record.version);
          const move = planRecordMove(notice, record, who, body, now);
          if (body.type === 'REPORT_HIT' && body.hitId) {
            await linkReportedHit(tx.db, { hitId: body.hitId, noticeId, country, at: now });
          }
          const written = await writeRecordMove(tx, record, move);
          await followExtradition(tx, notice, body, move, now);
          // Only the extradition step sets or lifts a record's own deadline: the others need not read it.
          const deadline = FOLLOWED.has(body.type) ? await tx.findRecordDeadline(notice, country) : null;
          const moved = recordDto({ ...written, deadline: deadline ?? undefined });
          if (body.type !== 'REPORT_LOCATED') return { notice, entries: [move.entry], result: moved };
          // The subject found in a country: the Yellow notice is located too, in the same transaction.
          const event = {
            type: 'REPORT_LOCATED' as const,
            details: body.details,
            actor: who.actor,
            at: now.toISOString(),
          };
          const applied = await deps.transitions.apply(tx, notice, event, {
            participantId: by.participantId,
            payload: { ...payloadOf(body), country },
          });
          return { notice: applied.notice, entries: [move.entry, ...applied.entries], result: moved };
        },
      });
    },
  };
}
