import { randomUUID } from 'node:crypto';
import { InjectAlreadyFired } from './notice-store-type';
import type {
  HistoryEntry,
  NewHistoryEntry,
  NoticeStore,
  NoticeTx,
  StoredNotice,
  StoredRecord,
} from './notice-store-type';

interface State {
  /** Injects already done: the store has no inject table, only the once-only rule. */
  injectsDone: Set<string>;
  notices: Map<string, StoredNotice & { lastSeq: number }>;
  history: Map<string, HistoryEntry[]>;
  records: Map<string, Map<string, StoredRecord>>;
}

/**
 * The notice store in memory, for service tests without a database: the same interface, one
 * transaction at a time, and a failed transaction leaves nothing behind.
 */
export function createFakeNoticeStore(): NoticeStore {
  let state: State = { injectsDone: new Set(), notices: new Map(), history: new Map(), records: new Map() };
  let queue: Promise<unknown> = Promise.resolve();

  const clone = (s: State): State => structuredClone(s);
  const plain = ({ lastSeq: _lastSeq, ...notice }: StoredNotice & { lastSeq: number }): StoredNotice => structuredClone(notice);
  const recordsOf = (noticeId: string): Map<string, StoredRecord> => {
    let records = state.records.get(noticeId);
    if (!records) state.records.set(noticeId, (records = new Map()));
    return records;
  };
  const append = (noticeId: string, entry: NewHistoryEntry): void => {
    const notice = state.notices.get(noticeId);
    if (!notice) throw new Error(`no notice ${noticeId}`);
    notice.lastSeq += 1;
    state.history.get(noticeId)?.push({ ...structuredClone(entry), seq: notice.lastSeq, recordedAt: new Date() });
  };

  const tx: NoticeTx = {
    async lock(id) {
      // No exercises here: the caller's own clock stands.
      const notice = state.notices.get(id);
      return notice ? { ...plain(notice), clock: null } : null;
    },
    async update(id, expectedVersion, write, entry) {
      const notice = state.notices.get(id);
      if (!notice || notice.version !== expectedVersion) return null;
      Object.assign(notice, structuredClone(write), { version: notice.version + 1, updatedAt: new Date() });
      append(id, entry);
      return plain(notice);
    },
    async writeRecordEvent(record, newState, entry) {
      const current = recordsOf(record.noticeId).get(record.country);
      if (!current || current.version !== record.version) return false;
      Object.assign(current, { state: newState, version: current.version + 1, updatedAt: entry.at });
      append(record.noticeId, entry);
      return true;
    },
    async findRecord(noticeId, country) {
      const record = state.records.get(noticeId)?.get(country);
      return record ? { ...record } : null;
    },
    async openCirculation(noticeId, countries, recordState, at) {
      const records = recordsOf(noticeId);
      for (const country of countries) {
        if (records.has(country)) throw new Error(`duplicate record ${noticeId}/${country}`);
        records.set(country, { noticeId, country, state: recordState, version: 1, updatedAt: at });
      }
    },
    async closeCirculation(noticeId, openStates, closedState, at) {
      const closed: string[] = [];
      for (const record of recordsOf(noticeId).values()) {
        if (!openStates.includes(record.state)) continue;
        Object.assign(record, { state: closedState, version: record.version + 1, updatedAt: at });
        closed.push(record.country);
      }
      return closed.sort();
    },
    async completeInject(injectId) {
      if (state.injectsDone.has(injectId)) return false;
      state.injectsDone.add(injectId);
      return true;
    },
  };

  return {
    async create(notice, history, injectId) {
      if (injectId !== undefined && !(await tx.completeInject(injectId, null))) throw new InjectAlreadyFired(injectId);
      const now = new Date();
      const stored = { ...structuredClone(notice), id: randomUUID(), version: 1, lastSeq: 0, createdAt: now, updatedAt: now };
      state.notices.set(stored.id, stored);
      state.history.set(stored.id, []);
      append(stored.id, history);
      return plain(stored);
    },
    async find(id) {
      const notice = state.notices.get(id);
      return notice ? plain(notice) : null;
    },
    async list(exerciseId, filter) {
      return [...state.notices.values()]
        .filter((n) => n.exerciseId === exerciseId)
        .filter((n) => !filter.state || n.state === filter.state)
        .filter((n) => !filter.type || n.type === filter.type)
        .filter((n) => !filter.country || n.requestingCountry === filter.country)
        .filter((n) => !filter.visibleTo || n.requestingCountry === filter.visibleTo || recordsOf(n.id).has(filter.visibleTo))
        .slice(filter.offset, filter.offset + filter.limit)
        .map(plain);
    },
    async history(noticeId) {
      return structuredClone(state.history.get(noticeId) ?? []);
    },
    async circulation(noticeId) {
      return [...recordsOf(noticeId).values()].sort((a, b) => a.country.localeCompare(b.country)).map((r) => ({ ...r }));
    },
    async hasRecord(noticeId, country) {
      return recordsOf(noticeId).has(country);
    },
    async nextDue(exerciseId, upTo) {
      const due = [...state.notices.values()]
        .filter((n) => n.exerciseId === exerciseId && n.dueAt && n.dueEvent && n.dueAt.getTime() <= upTo.getTime())
        .sort((a, b) => a.dueAt!.getTime() - b.dueAt!.getTime() || a.id.localeCompare(b.id))[0];
      return due ? { id: due.id, dueAt: due.dueAt!, dueEvent: due.dueEvent! } : null;
    },
    async exercisesWithDueDeadlines() {
      throw new Error('the in-memory store has no exercise clocks');
    },
    async exerciseHistory(exerciseId) {
      return [...state.notices.values()]
        .filter((n) => n.exerciseId === exerciseId)
        .flatMap((n) => (state.history.get(n.id) ?? []).map((h) => ({ ...structuredClone(h), noticeId: n.id })))
        .sort((a, b) => a.at.getTime() - b.at.getTime() || a.recordedAt.getTime() - b.recordedAt.getTime() || a.seq - b.seq);
    },
    async recordCounts(exerciseId) {
      const counts = new Map<string, Record<string, number>>();
      for (const n of state.notices.values()) {
        if (n.exerciseId !== exerciseId) continue;
        for (const r of recordsOf(n.id).values()) counts.set(n.id, { ...counts.get(n.id), [r.state]: (counts.get(n.id)?.[r.state] ?? 0) + 1 });
      }
      return counts;
    },
    async listPublic(exerciseId, states) {
      return [...state.notices.values()]
        .filter((n) => n.exerciseId === exerciseId && states.includes(n.state))
        .filter((n) => (n.snapshot.context as { request: { publicExtractConsent?: boolean } }).request.publicExtractConsent === true)
        .map(plain);
    },
    transaction<T>(work: (t: NoticeTx) => Promise<T>): Promise<T> {
      // One at a time, like transactions on one locked notice; a throw restores the state from before.
      const run = queue.then(async () => {
        const before = clone(state);
        try {
          return await work(tx);
        } catch (error) {
          state = before;
          throw error;
        }
      });
      queue = run.catch(() => undefined);
      return run;
    },
  };
}
