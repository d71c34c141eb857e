import type { HistoryEntry, StoredNotice } from '../notices/notice-store-type';
import { transitionKey, type MachineId } from './diagram';

export interface Heat {
  /** How many notices (or records) sit in each state now. */
  states: Record<string, number>;
  /** How often each transition (`source|event|target`) was taken. */
  transitions: Record<string, number>;
}

const bump = (counts: Record<string, number>, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};

/** What counting transitions needs of a history entry (a stored one or its API form). */
type Step = Pick<HistoryEntry, 'type' | 'from' | 'to'> & { country?: string | null | undefined };

/** The notices' own transitions (not their records'), from their history, keyed as in the diagrams. */
export function noticeTransitionCounts(history: Step[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const h of history)
    if (!h.country && h.from !== null) bump(counts, transitionKey({ source: h.from, event: h.type, target: h.to }));
  return counts;
}

/**
 * Over a whole exercise: where the notices of one type (or all circulation records) are now, and
 * which transitions the history shows. Records closed with their notice are counted as `CLOSE`
 * from the state their own history had left them in.
 */
export function exerciseHeat(
  machine: MachineId,
  notices: StoredNotice[],
  history: (HistoryEntry & { noticeId: string })[],
  records: Map<string, Record<string, number>>,
): Heat {
  const heat: Heat = { states: {}, transitions: {} };
  if (machine !== 'circulation') {
    const type = machine === 'notice-red' ? 'RED' : 'YELLOW';
    const ids = new Set(notices.filter((n) => n.type === type).map((n) => n.id));
    for (const n of notices) if (ids.has(n.id)) bump(heat.states, n.state);
    return { ...heat, transitions: noticeTransitionCounts(history.filter((h) => ids.has(h.noticeId))) };
  }
  for (const counts of records.values()) for (const [state, n] of Object.entries(counts)) bump(heat.states, state, n);
  const recordState = new Map<string, string>();
  // Each notice's history in its own order, so a record's state is known when its notice closes it.
  const inOrder = [...history].sort((a, b) => a.noticeId.localeCompare(b.noticeId) || a.seq - b.seq);
  for (const h of inOrder) {
    if (h.country !== null) {
      if (h.from !== null) bump(heat.transitions, transitionKey({ source: h.from, event: h.type, target: h.to }));
      // A record's first entry may be where it was taken up in its state (IMPORTED), not a transition.
      recordState.set(`${h.noticeId}/${h.country}`, h.to);
    }
    const closed = h.country === null ? h.payload.closedRecords : undefined;
    if (Array.isArray(closed)) {
      for (const country of closed as string[]) {
        bump(
          heat.transitions,
          transitionKey({
            source: recordState.get(`${h.noticeId}/${country}`) ?? 'received',
            event: 'CLOSE',
            target: 'closed',
          }),
        );
      }
    }
  }
  return heat;
}
