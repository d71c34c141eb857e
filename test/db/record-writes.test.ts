import type { SqlQuery } from '../../src/db/database';
import { createNoticeStore } from '../../src/notices/notice-store';
import type { NewHistoryEntry, NoticeStore } from '../../src/notices/notice-store-type';
import { createExercise, publishedNotice, redRequest } from '../support/fixtures';
import { describeEachDatabase } from '../support/http';

/**
 * Record events written in one turn of the event loop go as few statements (record-hot-path.ts): one
 * per group of distinct notices. Each still applies whole or not at all, and gets its own answer.
 */
describeEachDatabase('record events written together', (ctx) => {
  const acknowledged = (country: string): NewHistoryEntry => ({
    type: 'ACKNOWLEDGE',
    actor: { role: 'ncb', country },
    participantId: null,
    from: 'received',
    to: 'acknowledged',
    country,
    at: new Date(),
    payload: {},
  });

  /** A store whose statements are counted by what they are: one record's write, or several. */
  function countedStore() {
    const { db } = ctx();
    const sent = { alone: 0, together: 0 };
    const query: SqlQuery = (text, values) => {
      if (text.includes('INSERT INTO circulation_records')) sent[text.includes('unnest') ? 'together' : 'alone'] += 1;
      return db.query(text, values);
    };
    return { store: createNoticeStore(db.prisma, query), sent };
  }

  const writeAll = (store: NoticeStore, reads: Awaited<ReturnType<NoticeStore['peekRecord']>>[], countries: string[]) =>
    Promise.all(
      reads.map((read, i) => store.writeRecordEventAlone(read!.notice, read!.record!, 'acknowledged', acknowledged(countries[i]!))),
    );

  it('writes events on distinct notices in one statement, and a second event of a notice in the next', async () => {
    const { http, db } = ctx();
    const ex = await createExercise(http, ['MC', 'FR', 'IT', 'DE']);
    const first = await publishedNotice(http, ex, redRequest());
    const second = await publishedNotice(http, ex, redRequest());
    const { store, sent } = countedStore();
    const keys = [
      [first.id, 'FR'],
      [second.id, 'FR'],
      [first.id, 'IT'],
      [second.id, 'DE'],
    ] as const;
    const reads = await Promise.all(keys.map(([id, c]) => store.peekRecord(id, c)));

    expect(await writeAll(store, reads, keys.map(([, c]) => c))).toEqual([true, true, true, true]);
    expect(sent).toEqual({ alone: 0, together: 2 });
    for (const id of [first.id, second.id]) {
      const events = await db.prisma.noticeEvent.findMany({ where: { noticeId: id }, orderBy: { seq: 'asc' } });
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(events.filter((e) => e.type === 'ACKNOWLEDGE')).toHaveLength(2);
    }
    const records = await db.prisma.circulationRecord.findMany({ where: { noticeId: { in: [first.id, second.id] } } });
    expect(records.map((r) => [r.noticeId, r.country, r.state, r.version]).sort()).toEqual(
      keys.map(([id, c]) => [id, c, 'acknowledged', 2]).sort(),
    );
  });

  it('gives each event of a statement that could not apply whole its own answer', async () => {
    const { http, db } = ctx();
    const ex = await createExercise(http, ['MC', 'FR', 'IT']);
    const first = await publishedNotice(http, ex, redRequest());
    const second = await publishedNotice(http, ex, redRequest());
    const { store, sent } = countedStore();
    const stale = await store.peekRecord(first.id, 'FR');
    // The record moves on after the read: its write, judged on the old version, must write nothing.
    expect(await writeAll(store, [await store.peekRecord(first.id, 'FR')], ['FR'])).toEqual([true]);
    const fresh = await store.peekRecord(second.id, 'IT');
    const before = await db.prisma.noticeEvent.count({ where: { noticeId: { in: [first.id, second.id] } } });

    expect(await writeAll(store, [stale, fresh], ['FR', 'IT'])).toEqual([false, true]);
    // The statement of both failed whole, then each was tried alone.
    expect(sent).toEqual({ alone: 3, together: 1 });
    expect(await db.prisma.noticeEvent.count({ where: { noticeId: { in: [first.id, second.id] } } })).toBe(before + 1);
    const record = await db.prisma.circulationRecord.findUnique({ where: { noticeId_country: { noticeId: first.id, country: 'FR' } } });
    expect(record).toMatchObject({ state: 'acknowledged', version: 2 });
  });
});
