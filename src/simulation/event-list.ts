/**
 * The simulation's future events in time order. Events at the same instant come out in the order they
 * were scheduled, so a run never depends on the heap's own tie-breaking.
 *
 * Most events are scheduled years ahead (expiries, the next outcome of a valid notice), so one heap
 * would hold the whole future, some 300,000 events by 2024, and every pop would cost twenty comparisons.
 * Events are kept in day buckets instead, and only the current day's are in a binary heap (`heap-js`):
 * a bucket enters the heap when simulated time reaches it (a calendar queue in two levels). This
 * halved the cost of the list in a full replication's profile.
 */
import { Heap } from 'heap-js';

interface Scheduled<T> {
  at: number;
  order: number;
  item: T;
}

export interface EventList<T> {
  /** Schedules `item` at simulated time `at` (milliseconds since the epoch). */
  schedule(at: number, item: T): void;
  /** The earliest event, removed; undefined when none is left. Read it before the next call. */
  next(): { readonly at: number; readonly item: T } | undefined;
  readonly size: number;
}

const DAY_MS = 86_400_000;

/**
 * A list for the run from `fromMs` to `untilMs`: an event at or after `untilMs` would never be taken,
 * so it is not kept (it does not count in `size`).
 */
export function createEventList<T>(fromMs: number, untilMs: number): EventList<T> {
  const heap = new Heap<Scheduled<T>>((a, b) => a.at - b.at || a.order - b.order);
  const firstDay = Math.floor(fromMs / DAY_MS);
  /** Events of the days after `today`, by day from `firstDay`. */
  const later: (Scheduled<T>[] | undefined)[] = [];
  let pendingLater = 0;
  /** The last day whose events are in the heap (before the first day: none yet). */
  let today = firstDay - 1;
  let order = 0;

  /** Moves the next day that has events into the heap; false when no event is left. */
  function advance(): boolean {
    if (pendingLater === 0) return false;
    let bucket: Scheduled<T>[] | undefined;
    do bucket = later[++today - firstDay];
    while (!bucket);
    later[today - firstDay] = undefined;
    pendingLater -= bucket.length;
    for (const entry of bucket) heap.push(entry);
    return true;
  }

  return {
    schedule(at, item) {
      if (!Number.isFinite(at)) throw new RangeError(`an event at ${at}`);
      if (at >= untilMs) return;
      const entry = { at, order: order++, item };
      const day = Math.floor(at / DAY_MS);
      if (day <= today) {
        heap.push(entry);
        return;
      }
      const bucket = later[day - firstDay];
      if (bucket) bucket.push(entry);
      else later[day - firstDay] = [entry];
      pendingLater += 1;
    },
    next() {
      if (heap.length === 0 && !advance()) return undefined;
      // The entry itself, not a copy: one object fewer per event.
      return heap.pop()!;
    },
    get size() {
      return heap.length + pendingLater;
    },
  };
}
