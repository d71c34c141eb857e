import type { CirculationService } from '../circulation/circulation-service';
import { END_OF_TIME_MS, type ExerciseClock } from '../exercises/clock';
import type { Principal } from '../exercises/exercise-types';
import { AppError } from '../kernel/errors';
import type { NoticeChanges, ScriptedOrigin } from '../notices/notice-changes';
import type { NoticeService } from '../notices/notice-service';
import type { NoticeStore } from '../notices/notice-store-type';
import type { Tx } from '../db/transaction';
import type { LinkTarget } from '../databases/person-schemas';
import type { PersonService } from '../databases/person-service';
import type { ScenarioSubjects } from '../databases/scenario-subjects';
import type { SearchService } from '../databases/search-service';
import type { SendMessageInput } from '../messages/message-schemas';
import type { MessageService } from '../messages/message-service';
import type { InjectStore, StoredInject } from './inject-store';
import type { ScenarioInject } from './scenario-schema';

type PersonLinkOfScenario = NonNullable<ScenarioInject['person']>['links'][number];
type MessageOfScenario = NonNullable<ScenarioInject['message']>;

export interface SchedulerRun {
  deadlinesFired: number;
  injectsFired: number;
  injectsFailed: number;
}

export interface Scheduler {
  /**
   * Fires everything of the exercise that falls due by simulated time `now`, in simulated time
   * order: each pending inject (in file order on a tie) after every deadline due by its time.
   * Safe from several processes at once: each deadline and each inject fires once.
   */
  runDue(exerciseId: string, now: Date, clock: ExerciseClock): Promise<SchedulerRun>;
  /** When the next pending inject or deadline of the exercise falls due, if anything is left. */
  nextDueAt(exerciseId: string): Promise<Date | null>;
}

/** The inject an action was meant to fire had already fired: the action was rolled back. */
export class InjectAlreadyFired extends Error {
  constructor(readonly injectId: string) {
    super(`inject ${injectId} has already fired`);
    this.name = 'InjectAlreadyFired';
  }
}

/**
 * Plays a scenario's scripted parts as the exercise clock reaches them. An inject is an API action
 * done as its participant through the same services a team's request goes through, at the inject's
 * simulated time; the action and the mark that the inject is done commit together. An action the
 * API refuses (a team got there first, a notice never created) marks the inject failed with the error
 * it met.
 */
export function createScheduler(deps: {
  notices: NoticeService;
  circulation: CirculationService;
  changes: NoticeChanges;
  noticeStore: NoticeStore;
  injects: InjectStore;
  /** What search and person injects act through; without it (a scheduler of notices alone) they fail. */
  databases?: { searches: SearchService; persons: PersonService; subjects: ScenarioSubjects };
  /** What message injects send through; without it they fail. */
  messages?: MessageService;
}): Scheduler {
  const { notices, circulation, injects } = deps;
  const databases = () => {
    if (!deps.databases) throw new Error('this scheduler has no databases: search and person injects cannot fire');
    return deps.databases;
  };
  const messages = () => {
    if (!deps.messages) throw new Error('this scheduler has no messages: message injects cannot fire');
    return deps.messages;
  };

  /** The inject as the origin of its action: its time, and its mark, written with the action. */
  const originOf = (inject: StoredInject): ScriptedOrigin => ({
    at: inject.at,
    within: async (tx, change) => {
      if (!(await injects.complete(tx.db, inject.id, change.noticeId))) throw new InjectAlreadyFired(inject.id);
    },
  });

  /** A search's or a person's inject: its time, its key, and its mark, written with what it makes. */
  const scriptOf = (inject: StoredInject, key: string) => ({
    at: inject.at,
    key,
    within: async (tx: Tx) => {
      if (!(await injects.complete(tx, inject.id, null))) throw new InjectAlreadyFired(inject.id);
    },
  });

  /** What a person inject's links name, by the ids of this run. */
  async function linksOf(inject: StoredInject, links: PersonLinkOfScenario[]): Promise<LinkTarget[]> {
    const { exerciseId, run } = inject;
    const { subjects } = databases();
    const missing = (what: string) =>
      new AppError('NOTICE_NOT_CREATED', `${what} does not exist in this run: the inject cannot link it`);
    return Promise.all(
      links.map(async (link): Promise<LinkTarget> => {
        if ('record' in link) {
          const recordId = await subjects.recordId(exerciseId, run, link.record);
          if (!recordId) throw missing(`Record ${link.record}`);
          return { recordId };
        }
        if ('hitOf' in link) {
          const hitId = await subjects.hitOf(exerciseId, run, link.hitOf, { ownerCountry: link.country });
          if (!hitId) throw missing(`A hit of search ${link.hitOf}${link.country ? ` on ${link.country}'s` : ''}`);
          return { hitId };
        }
        const noticeId = await injects.noticeIdForKey(exerciseId, run, link.notice);
        if (!noticeId) throw missing(`Notice ${link.notice}`);
        return { noticeId };
      }),
    );
  }

  /** A message inject as the API takes it: what it is about and what it answers, by the ids of this run. */
  async function messageOf(inject: StoredInject, message: MessageOfScenario): Promise<SendMessageInput> {
    const { exerciseId, run } = inject;
    const missing = (what: string) =>
      new AppError('NOTICE_NOT_CREATED', `${what} does not exist in this run: the inject cannot send the message`);
    const { key: _key, about, replyTo, ...fields } = message;
    let aboutIds: SendMessageInput['about'];
    if (about && 'hitOf' in about) {
      const hitId = await databases().subjects.hitOf(exerciseId, run, about.hitOf, { ownerCountry: about.country });
      if (!hitId) throw missing(`A hit of search ${about.hitOf}`);
      aboutIds = { hitId };
    } else if (about) {
      const noticeId = await injects.noticeIdForKey(exerciseId, run, about.notice);
      if (!noticeId) throw missing(`Notice ${about.notice}`);
      aboutIds = { noticeId, ...(about.country && { country: about.country }) };
    }
    const replyId = replyTo ? await messages().idOfKey(exerciseId, run, replyTo) : undefined;
    if (replyTo && !replyId) throw missing(`Message ${replyTo}`);
    return { ...fields, ...(aboutIds && { about: aboutIds }), ...(replyId && { replyTo: replyId }) };
  }

  async function act(inject: StoredInject, principal: Principal): Promise<void> {
    const { action } = inject;
    if (action.message) {
      const body = await messageOf(inject, action.message);
      await messages().send(principal, inject.exerciseId, body, scriptOf(inject, action.message.key));
      return;
    }
    const origin = originOf(inject);
    if (action.create) {
      await notices.create(principal, inject.exerciseId, action.create.request, { origin });
      return;
    }
    if (action.search) {
      await databases().searches.search(
        principal,
        inject.exerciseId,
        action.search.query,
        scriptOf(inject, action.search.key),
      );
      return;
    }
    if (action.person) {
      const { key, label, reason, links } = action.person;
      const body = { label, reason, links: await linksOf(inject, links) };
      await databases().persons.create(principal, inject.exerciseId, body, scriptOf(inject, key));
      return;
    }
    const noticeId = await injects.noticeIdForKey(inject.exerciseId, inject.run, inject.noticeKey);
    if (!noticeId) {
      throw new AppError(
        'NOTICE_NOT_CREATED',
        `Notice ${inject.noticeKey} does not exist: the inject that creates it has not fired`,
      );
    }
    if (action.event) await notices.sendEvent(principal, noticeId, action.event.event, { origin });
    else if (action.circulation) {
      const { country, event, hitOf } = action.circulation;
      const hitId =
        hitOf && event.type === 'REPORT_HIT'
          ? await databases().subjects.hitOf(inject.exerciseId, inject.run, hitOf, { noticeId, unreported: true })
          : undefined;
      if (hitOf && !hitId) {
        throw new AppError('NOTICE_NOT_CREATED', `Search ${hitOf} has no hit on notice ${inject.noticeKey} to report`);
      }
      await circulation.sendEvent(principal, noticeId, country, hitId ? ({ ...event, hitId } as typeof event) : event, {
        origin,
      });
    }
  }

  /** 'fired', 'failed', or null when another process had already done it. */
  async function fire(inject: StoredInject, clock: ExerciseClock): Promise<'fired' | 'failed' | null> {
    const { participant } = inject;
    const principal: Principal = {
      participantId: participant.id,
      exerciseId: inject.exerciseId,
      role: participant.role,
      ...(participant.country && { country: participant.country }),
      clock,
    };
    try {
      await act(inject, principal);
      return 'fired';
    } catch (error) {
      if (error instanceof InjectAlreadyFired) return null;
      // Only a refusal is the inject's outcome; a server-side failure (the database away) leaves it
      // pending, to fire once the database answers again (its mark commits with its action, or not at all).
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      const failure = {
        status: error.status,
        code: error.code,
        message: error.message,
        ...(error.details !== undefined && { details: error.details }),
      };
      return (await injects.markFailed(inject.id, failure)) ? 'failed' : null;
    }
  }

  return {
    async runDue(exerciseId, now, clock) {
      const run: SchedulerRun = { deadlinesFired: 0, injectsFired: 0, injectsFailed: 0 };
      for (
        let inject = await injects.nextPending(exerciseId, now);
        inject;
        inject = await injects.nextPending(exerciseId, now)
      ) {
        // What fell due before the inject (or at the same moment) happened first.
        run.deadlinesFired += await deps.changes.fireDue(exerciseId, inject.at);
        const outcome = await fire(inject, clock);
        if (outcome === 'fired') run.injectsFired += 1;
        if (outcome === 'failed') run.injectsFailed += 1;
      }
      run.deadlinesFired += await deps.changes.fireDue(exerciseId, now);
      return run;
    },

    async nextDueAt(exerciseId) {
      const end = new Date(END_OF_TIME_MS);
      const [inject, deadline] = await Promise.all([
        injects.nextPending(exerciseId, end),
        deps.noticeStore.nextDue(exerciseId, end),
      ]);
      const times = [inject?.at, deadline?.dueAt].filter((t): t is Date => t !== undefined);
      return times.length ? new Date(Math.min(...times.map((t) => t.getTime()))) : null;
    },
  };
}
