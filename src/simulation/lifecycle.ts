/**
 * Notices as the simulation holds them: their lifecycle machine's state value and context, moved by the
 * machine's compiled table (src/kernel/machine-table.ts). The same transitions as the API's, held equal
 * to xstate's by test/unit/machine-table.test.ts, at a few microseconds an event instead of twenty, and
 * nothing else of the API: no store, no history rows, no clock. Deadlines fire as the API fires them
 * (`deadlineEvent`): sent by the system at the time they fell due.
 */
import { tableOf, type MachineTable } from '../kernel/machine-table';
import {
  deadlineEvent,
  noticeMachineFor,
  type NoticeContext,
  type NoticeDeadline,
  type NoticeEvent,
  type NoticeInput,
} from '../notices/notice-machine';
import type { NoticeType } from '../notices/notice-types';

export interface SimNotice {
  readonly id: number;
  readonly type: NoticeType;
  value: string;
  context: NoticeContext;
  /** In a final state: it takes no event any more. */
  done: boolean;
}

type NoticeTable = MachineTable<NoticeContext, NoticeEvent>;

function tableFor(type: NoticeType): NoticeTable {
  const table = tableOf(noticeMachineFor(type));
  // The machines compile (the test says so); should one stop compiling, the simulation must not guess.
  if (!table) throw new Error(`the ${type} notice machine did not compile into a table`);
  return table as unknown as NoticeTable;
}

const TABLES: Record<NoticeType, NoticeTable> = { RED: tableFor('RED'), YELLOW: tableFor('YELLOW') };

const starts = new WeakMap<NoticeInput['request'], Map<string, { value: string; context: NoticeContext }>>();

/**
 * A new notice, a draft, as the machine starts one from its input (the table's start, xstate's
 * `getInitialSnapshot`). Each start is kept per request object and country: contexts are never changed
 * in place (each transition makes a new one), so notices share the start they began from, and memory.
 */
export function createSimNotice(id: number, input: NoticeInput): SimNotice {
  const type = input.request.type;
  let byCountry = starts.get(input.request);
  if (!byCountry) starts.set(input.request, (byCountry = new Map()));
  let start = byCountry.get(input.requestingCountry);
  if (!start) {
    start = TABLES[type].start(input);
    byCountry.set(input.requestingCountry, start);
  }
  return { id, type, value: start.value, context: start.context, done: false };
}

/** Sends `event` to the notice: true when it was taken (the notice moved), false when refused (nothing changed). */
export function send(notice: SimNotice, event: NoticeEvent): boolean {
  if (notice.done) return false;
  const next = TABLES[notice.type].next(notice.value, notice.context, event);
  if (!next) return false;
  notice.value = next.value;
  notice.context = next.context;
  notice.done = next.status === 'done';
  return true;
}

/** The notice's soonest deadline, if any. */
export const nextDeadline = (notice: SimNotice): NoticeDeadline | undefined => notice.context.deadlines[0];

/**
 * Fires `deadline` if the notice still has it (a later move may have replaced it): true when it fired.
 * An engine schedules each deadline when it appears and calls this when its time comes.
 */
export function fireDeadline(notice: SimNotice, deadline: NoticeDeadline): boolean {
  const still = notice.context.deadlines.some((d) => d.event === deadline.event && d.at === deadline.at);
  return still && send(notice, deadlineEvent(deadline));
}
