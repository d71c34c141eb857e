/**
 * Deadlines as data: a notice's timed transitions are in its machine context (and, for the clock's
 * queries, in rows derived from it). One falls due when simulated time reaches it, and then fires as a
 * `system` event at the time it fell due, through the same transition path as any other event.
 */
import { deadlineEvent, type NoticeDeadline } from './notice-machine';
import type { DueDeadline, NewHistoryEntry, NoticeStore, NoticeTx, StoredNotice } from './notice-store-type';
import { contextOf, type Applied, type NoticeTransitions } from './notice-transitions';

/** The notice's deadlines that have fallen due by `now`, soonest first. */
export function dueDeadlines(notice: StoredNotice, now: Date): NoticeDeadline[] {
  return contextOf(notice)
    .deadlines.filter((d) => Date.parse(d.at) <= now.getTime())
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/**
 * Applies, on a locked notice, each deadline that falls due by `now`, in time order, as the `system`
 * at the time it fell due; a transition may schedule one that is due too (a renewal window opened so
 * late that the expiry has passed). Checked after the lock, so a deadline fires once however many
 * processes try.
 */
export async function catchUp(
  transitions: NoticeTransitions,
  tx: NoticeTx,
  notice: StoredNotice,
  now: Date,
): Promise<Applied> {
  const entries: NewHistoryEntry[] = [];
  let current = notice;
  for (let due = dueDeadlines(current, now)[0]; due; due = dueDeadlines(current, now)[0]) {
    const applied = await transitions.apply(tx, current, deadlineEvent(due), {
      participantId: null,
      payload: { deadline: due.event },
    });
    // A deadline that stays due after its turn would loop for ever: stop and say so.
    const again = dueDeadlines(applied.notice, now)[0];
    if (again && again.event === due.event && again.at === due.at)
      throw new Error(`deadline ${due.event} at ${due.at} did not fire`);
    current = applied.notice;
    entries.push(...applied.entries);
  }
  return { notice: current, entries };
}

/**
 * What a record's own deadline does when it falls due (the circulation feature's: a release after a
 * provisional arrest, a prompt to the GS), on the locked notice: the history entries it wrote, and
 * whether it wrote anything besides (a `system` message).
 */
export type RecordDeadlineFiring = (
  tx: NoticeTx,
  notice: StoredNotice,
  due: DueDeadline & { country: string },
) => Promise<{ entries: NewHistoryEntry[]; told: boolean }>;

/**
 * Fires every deadline of the exercise that falls due by simulated time `now`, one notice at a time
 * in time order, each in its own transaction under the notice's lock; returns how many fired.
 * `published` hears of each committed change.
 */
export async function fireDueDeadlines(
  deps: {
    store: NoticeStore;
    transitions: NoticeTransitions;
    published: (noticeId: string, applied: Applied, told: boolean) => void | Promise<void>;
    /** Without it, a record's deadline falls due and is dropped. */
    recordDeadline?: RecordDeadlineFiring | undefined;
  },
  exerciseId: string,
  now: Date,
  /** Only this notice's. */
  onlyNotice?: string,
): Promise<number> {
  let fired = 0;
  let last = '';
  const next = () => deps.store.nextDue(exerciseId, now, onlyNotice);
  for (let due = await next(); due; due = await next()) {
    const { noticeId, dueAt } = due;
    // A deadline still due after its turn would loop for ever: stop and say so.
    const key = `${noticeId}/${due.country ?? ''}/${due.event}/${dueAt.toISOString()}`;
    if (key === last) throw new Error(`deadline ${key} did not fire`);
    last = key;
    const outcome = await deps.store.transaction(async (tx) => {
      const notice = await tx.lock(noticeId);
      // Another process may have fired it meanwhile: then there is nothing left to do here.
      if (!notice) return null;
      const applied = await catchUp(deps.transitions, tx, notice, dueAt);
      const { country } = due;
      if (country === null) return { applied, told: false };
      // A record's own: taken once, whatever it then does.
      if (!(await tx.takeRecordDeadline(applied.notice, country, due.event, dueAt))) return { applied, told: false };
      const record = (await deps.recordDeadline?.(tx, applied.notice, { ...due, country })) ?? {
        entries: [],
        told: false,
      };
      return { applied: { ...applied, entries: [...applied.entries, ...record.entries] }, told: record.told };
    });
    if (!outcome || (!outcome.applied.entries.length && !outcome.told)) continue;
    fired += Math.max(outcome.applied.entries.length, 1);
    await deps.published(noticeId, outcome.applied, outcome.told);
  }
  return fired;
}
