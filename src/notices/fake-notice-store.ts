import { randomUUID } from 'node:crypto';
import type { Tx } from '../db/transaction';
import { canSeeNotice } from './notice-visibility';
import { countsOf, recordCountries, recordOf, recordsOf as withUnacted } from './recipient-records';
import type {
  DueDeadline,
  HistoryEntry,
  NewHistoryEntry,
  NoticeStore,
  NoticeTx,
  NoticeWrite,
  StoredNotice,
  StoredRecord,
} from './notice-store-type';

interface State {
  notices: Map<string, StoredNotice & { lastSeq: number }>;
  history: Map<string, HistoryEntry[]>;
  records: Map<string, Map<string, StoredRecord>>;
  deadlines: Map<string, { event: string; dueAt: Date }[]>;
  /** The records' own deadlines, by notice. */
  recordDeadlines: Map<string, { country: string; event: string; dueAt: Date }[]>;
}

/** There is no database behind the in-memory store: a callback that reaches for one fails loudly. */
const NO_DATABASE = new Proxy({} as Tx, {
  get() {
    throw new Error('the in-memory notice store has no database transaction to share');
  },
});

/**
 * The notice store in memory, for service tests without a database: the same interface, one
 * transaction at a time, and a failed transaction leaves nothing behind.
 */
export function createFakeNoticeStore(): NoticeStore {
  let state: State = {
    notices: new Map(),
    history: new Map(),
    records: new Map(),
    deadlines: new Map(),
    recordDeadlines: new Map(),
  };
  let queue: Promise<unknown> = Promise.resolve();

  const plain = ({ lastSeq: _lastSeq, ...notice }: StoredNotice & { lastSeq: number }): StoredNotice =>
    structuredClone(notice);
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
  const writeDeadlines = (noticeId: string, deadlines: NoticeWrite['deadlines']) => {
    if (deadlines) state.deadlines.set(noticeId, structuredClone(deadlines));
  };

  const tx: NoticeTx = {
    db: NO_DATABASE,
    sql: false,
    async lock(id) {
      // No exercises here: the caller's own clock stands.
      const notice = state.notices.get(id);
      return notice ? { ...plain(notice), clock: null } : null;
    },
    async update(id, expectedVersion, write, entry) {
      const notice = state.notices.get(id);
      if (!notice || notice.version !== expectedVersion) return null;
      const { deadlines, ...columns } = write;
      Object.assign(notice, structuredClone(columns), {
        version: notice.version + 1,
        lastEventAt: entry.at,
        updatedAt: new Date(),
      });
      writeDeadlines(id, deadlines);
      append(id, entry);
      return plain(notice);
    },
    async writeRecordEvent(record, newState, entry) {
      const records = recordsOf(record.noticeId);
      const current = records.get(record.country);
      // A country's first event writes its record's row; a row there already must still have the version read.
      if ((current?.version ?? record.version) !== record.version) return false;
      records.set(record.country, { ...record, state: newState, version: record.version + 1, updatedAt: entry.at });
      append(record.noticeId, entry);
      return true;
    },
    async findRecord(notice, country) {
      const row = state.records.get(notice.id)?.get(country);
      return recordOf(notice, country, row ? { ...row } : null);
    },
    async closeCirculation(notice, openStates, closedState, at) {
      const rows = recordsOf(notice.id);
      const closed = recordCountries(notice).filter((country) => !rows.has(country));
      for (const record of rows.values()) {
        if (!openStates.includes(record.state)) continue;
        Object.assign(record, { state: closedState, version: record.version + 1, updatedAt: at });
        closed.push(record.country);
      }
      return closed.sort();
    },
    async setRecordDeadline(notice, country, event, dueAt) {
      const kept = (state.recordDeadlines.get(notice.id) ?? []).filter(
        (d) => !(d.country === country && d.event === event),
      );
      state.recordDeadlines.set(notice.id, dueAt ? [...kept, { country, event, dueAt }] : kept);
    },
    async dropRecordDeadlines(notice, event) {
      state.recordDeadlines.set(
        notice.id,
        (state.recordDeadlines.get(notice.id) ?? []).filter((d) => d.event !== event),
      );
    },
    async findRecordDeadline(notice, country) {
      const mine = (state.recordDeadlines.get(notice.id) ?? []).filter((d) => d.country === country);
      const soonest = mine.sort((a, b) => +a.dueAt - +b.dueAt)[0];
      return soonest ? { event: soonest.event, dueAt: soonest.dueAt } : null;
    },
    async addAddendum(notice, addendum) {
      const stored = state.notices.get(notice.id);
      if (stored) stored.addenda = [...(stored.addenda ?? []), structuredClone(addendum)];
    },
    async takeRecordDeadline(notice, country, event, dueAt) {
      const rows = state.recordDeadlines.get(notice.id) ?? [];
      const kept = rows.filter((d) => !(d.country === country && d.event === event && +d.dueAt === +dueAt));
      state.recordDeadlines.set(notice.id, kept);
      return kept.length < rows.length;
    },
  };

  /** One at a time, like transactions on one locked notice; a throw restores the state from before. */
  function transaction<T>(work: (t: NoticeTx) => Promise<T>): Promise<T> {
    const run = queue.then(async () => {
      const before = structuredClone(state);
      try {
        return await work(tx);
      } catch (error) {
        state = before;
        throw error;
      }
    });
    queue = run.catch(() => undefined);
    return run;
  }

  const byDue = (a: DueDeadline, b: DueDeadline) =>
    a.dueAt.getTime() - b.dueAt.getTime() || a.noticeId.localeCompare(b.noticeId);

  return {
    create(notice, history, within) {
      return transaction(async (t) => {
        const now = new Date();
        const { deadlines, ...columns } = structuredClone(notice);
        // No exercises, and so no resets: every notice is in run 1, whose end is never known.
        const stored = {
          ...columns,
          id: randomUUID(),
          run: 1,
          exerciseRun: null,
          version: 1,
          lastSeq: 0,
          lastEventAt: history.at,
          createdAt: now,
          updatedAt: now,
        };
        state.notices.set(stored.id, stored);
        state.history.set(stored.id, []);
        writeDeadlines(stored.id, deadlines);
        append(stored.id, history);
        await within?.(t, plain(stored));
        return plain(stored);
      });
    },
    async find(id) {
      const notice = state.notices.get(id);
      return notice ? plain(notice) : null;
    },
    async list(exerciseId, filter) {
      const published = (n: StoredNotice) => n.publishedAt?.getTime() ?? -Infinity;
      return (
        [...state.notices.values()]
          .filter((n) => n.exerciseId === exerciseId && n.run === filter.run && canSeeNotice(filter.reader, n))
          .filter((n) => !filter.state || n.state === filter.state)
          .filter((n) => !filter.type || n.type === filter.type)
          .filter((n) => !filter.country || n.requestingCountry === filter.country)
          // A Map keeps insertion order: created order unless the most recently published come first.
          .sort((a, b) => (filter.order === 'published' ? published(b) - published(a) || a.id.localeCompare(b.id) : 0))
          .slice(filter.offset, filter.offset + filter.limit)
          .map(plain)
      );
    },
    async history(noticeId) {
      return structuredClone(state.history.get(noticeId) ?? []);
    },
    async circulation(noticeId) {
      const notice = state.notices.get(noticeId);
      return notice
        ? withUnacted(
            plain(notice),
            [...recordsOf(noticeId).values()].map((r) => ({ ...r })),
          )
        : [];
    },
    async nextDue(exerciseId, upTo, noticeId) {
      const due = [...state.notices.values()]
        .filter((n) => n.exerciseId === exerciseId && (!noticeId || n.id === noticeId))
        .flatMap((n) => [
          ...(state.deadlines.get(n.id) ?? []).map((d) => ({ noticeId: n.id, country: null, ...d })),
          ...(state.recordDeadlines.get(n.id) ?? []).map((d) => ({ noticeId: n.id, ...d })),
        ])
        .filter((d) => d.dueAt.getTime() <= upTo.getTime())
        .sort(byDue);
      return due[0] ?? null;
    },
    async earliestDeadlines() {
      const earliest = new Map<string, Date>();
      for (const n of state.notices.values()) {
        for (const d of [...(state.deadlines.get(n.id) ?? []), ...(state.recordDeadlines.get(n.id) ?? [])]) {
          const seen = earliest.get(n.exerciseId);
          if (!seen || d.dueAt < seen) earliest.set(n.exerciseId, d.dueAt);
        }
      }
      return earliest;
    },
    async exerciseHistory(exerciseId, run) {
      return [...state.notices.values()]
        .filter((n) => n.exerciseId === exerciseId && n.run === run)
        .flatMap((n) => (state.history.get(n.id) ?? []).map((h) => ({ ...structuredClone(h), noticeId: n.id })))
        .sort(
          (a, b) => a.at.getTime() - b.at.getTime() || a.recordedAt.getTime() - b.recordedAt.getTime() || a.seq - b.seq,
        );
    },
    async recordCounts(exerciseId, run) {
      const counts = new Map<string, Record<string, number>>();
      for (const n of state.notices.values()) {
        if (n.exerciseId !== exerciseId || n.run !== run) continue;
        const rows = [...recordsOf(n.id).values()];
        const own: Record<string, number> = {};
        for (const r of rows) own[r.state] = (own[r.state] ?? 0) + 1;
        if (rows.length || n.publishedAt) counts.set(n.id, countsOf(n, own, rows.length));
      }
      return counts;
    },
    async peekRecord(noticeId, country) {
      const notice = state.notices.get(noticeId);
      if (!notice) return null;
      const row = state.records.get(noticeId)?.get(country);
      return { notice: { ...plain(notice), clock: null }, record: recordOf(notice, country, row ? { ...row } : null) };
    },
    // One statement in the database: here nothing runs in between, so the checks and the write are one step.
    async writeRecordEventAlone(notice, record, newState, entry) {
      const current = state.notices.get(notice.id);
      if (!current || current.version !== notice.version || current.run !== notice.run) return false;
      return tx.writeRecordEvent(record, newState, entry);
    },
    async peekNotice(noticeId) {
      const notice = state.notices.get(noticeId);
      return notice ? { ...plain(notice), clock: null } : null;
    },
    // As writeRecordEventAlone: nothing runs in between here, so the checks and the write are one step.
    async writeNoticeEventAlone(notice, write, entry) {
      const current = state.notices.get(notice.id);
      if (!current || current.run !== notice.run) return null;
      return tx.update(notice.id, notice.version, write, entry);
    },
    transaction,
  };
}
