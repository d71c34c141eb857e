/**
 * The simulation's future events in time order (a binary heap, `heap-js`). Events at the same instant
 * come out in the order they were scheduled, so a run never depends on the heap's own tie-breaking.
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
  /** The earliest event, removed; undefined when none is left. */
  next(): { at: number; item: T } | undefined;
  /** The time of the earliest event, without removing it. */
  peekAt(): number | undefined;
  readonly size: number;
}

export function createEventList<T>(): EventList<T> {
  const heap = new Heap<Scheduled<T>>((a, b) => a.at - b.at || a.order - b.order);
  let order = 0;
  return {
    schedule(at, item) {
      if (!Number.isFinite(at)) throw new RangeError(`an event at ${at}`);
      heap.push({ at, order: order++, item });
    },
    next() {
      const first = heap.pop();
      return first && { at: first.at, item: first.item };
    },
    peekAt: () => heap.peek()?.at,
    get size() {
      return heap.length;
    },
  };
}
