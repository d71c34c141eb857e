import type { Database } from '../../src/db/database';
import type { Principal } from '../../src/exercises/exercise-types';
import { createNoticeStore } from '../../src/notices/notice-store';
import type { NoticeStore } from '../../src/notices/notice-store-type';
import type { NoticeRequest } from '../../src/notices/notice-types';
import { composeNotices } from '../../src/server';
import { databaseKinds, openTestDatabase } from '../support/databases';
import { redRequest } from '../support/fixtures';

describe.each(databaseKinds())('no half-written change [%s]', (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await db.close();
  });

  it('rolls back the 195-record fan-out when the versioned notice write fails after it', async () => {
    const exercise = await db.prisma.exercise.create({ data: { name: 'rollback', simEpoch: new Date(), wallAnchor: new Date(), simStart: new Date() } });
    const clock = { simEpoch: new Date(), wallAnchor: new Date(), speed: 1, running: true, freezeWhilePaused: true };
    const mc: Principal = { participantId: crypto.randomUUID(), exerciseId: exercise.id, role: 'ncb', country: 'MC', clock };
    const gs: Principal = { participantId: crypto.randomUUID(), exerciseId: exercise.id, role: 'gs', clock };
    const store = createNoticeStore(db.prisma);
    const { notices } = composeNotices(store);
    const notice = await notices.create(mc, exercise.id, redRequest() as unknown as NoticeRequest);
    await notices.sendEvent(mc, notice.id, { type: 'SUBMIT' });
    await notices.sendEvent(gs, notice.id, { type: 'START_REVIEW' });

    // As if another writer had moved the version on between the read and the write: of the one statement
    // (which then writes nothing, and leaves the event to the locked path), then of the transaction.
    const racing: NoticeStore = {
      ...store,
      writeNoticeEventAlone: (read, write, entry) => store.writeNoticeEventAlone({ ...read, version: read.version - 1 }, write, entry),
      transaction: (work) => store.transaction((tx) => work({ ...tx, update: (id, version, write, entry) => tx.update(id, version - 1, write, entry) })),
    };
    await expect(composeNotices(racing).notices.sendEvent(gs, notice.id, { type: 'APPROVE', article3Cleared: true })).rejects.toMatchObject({
      status: 409,
      code: 'STALE_VERSION',
    });

    expect(await db.prisma.circulationRecord.count({ where: { noticeId: notice.id } })).toBe(0);
    expect(await db.prisma.notice.findUnique({ where: { id: notice.id } })).toMatchObject({ state: 'under_review', version: 3, lastSeq: 3 });
    expect(await db.prisma.noticeEvent.count({ where: { noticeId: notice.id } })).toBe(3);
  });

  it('fails a transaction whose COMMIT the database refuses, instead of answering as if committed', async () => {
    // A deferred constraint is checked at COMMIT: the insert succeeds, the commit does not.
    for (const statement of [
      'CREATE TABLE test_deferred (n int)',
      `CREATE FUNCTION test_refuse_odd() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN IF NEW.n % 2 = 1 THEN RAISE EXCEPTION 'odd at commit'; END IF; RETURN NULL; END $$`,
      `CREATE CONSTRAINT TRIGGER test_refuse_odd AFTER INSERT ON test_deferred
         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_refuse_odd()`,
    ]) {
      await db.prisma.$executeRawUnsafe(statement);
    }
    try {
      const insert = (n: number) => db.prisma.$transaction(async (tx) => tx.$executeRaw`INSERT INTO test_deferred (n) VALUES (${n})`);
      await expect(insert(1)).rejects.toThrow(/odd at commit/);
      await expect(insert(2)).resolves.toBe(1);
      expect(await db.prisma.$queryRaw`SELECT n FROM test_deferred`).toEqual([{ n: 2 }]);
    } finally {
      await db.prisma.$executeRawUnsafe('DROP TABLE test_deferred');
      await db.prisma.$executeRawUnsafe('DROP FUNCTION test_refuse_odd()');
    }
  });
});
