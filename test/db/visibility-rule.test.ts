import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Database } from '../../src/db/database';
import { Prisma } from '../../src/generated/prisma/client';
import { NOTICE_STATES } from '../../src/notices/notice-types';
import {
  canSeeNotice,
  canSeePart,
  noticeVisibleSql,
  partVisibleSql,
  type Reader,
} from '../../src/notices/notice-visibility';
import {
  canSeeRecord,
  canSeeRecordEntry,
  recordEntryVisibleSql,
  recordVisibleSql,
} from '../../src/databases/record-visibility';
import { databaseKinds, openTestDatabase } from '../support/databases';

/**
 * The visibility rule has two forms, a test on a loaded notice and SQL on its row, built from the same
 * facts. On random notices and readers, both must pick exactly the same notices and parts.
 */
const COUNTRIES = ['MC', 'FR', 'RS', 'IT'] as const;

const noticeArb = fc.record({
  requestingCountry: fc.constantFrom(...COUNTRIES),
  state: fc.constantFrom(...NOTICE_STATES),
  published: fc.boolean(),
  recipients: fc.option(fc.subarray([...COUNTRIES]), { nil: null }),
  consent: fc.option(fc.boolean(), { nil: undefined }),
  parts: fc.array(fc.option(fc.constantFrom(...COUNTRIES), { nil: null }), { maxLength: 4 }),
});

const readerArb: fc.Arbitrary<Reader> = fc.oneof(
  fc.constant('public' as const),
  fc.constantFrom(...(['gs', 'ccf', 'observer', 'facilitator'] as const)).map((role) => ({ role })),
  fc.constantFrom(...COUNTRIES).map((country) => ({ role: 'ncb' as const, country })),
);

describe.each(databaseKinds())('one visibility rule, two forms [%s]', (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await db.close();
  });

  it('picks the same notices and the same records and events in SQL as in code', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(noticeArb, { minLength: 1, maxLength: 8 }),
        fc.array(readerArb, { minLength: 1, maxLength: 6 }),
        async (notices, readers) => {
          const exerciseId = randomUUID();
          await db.prisma
            .$executeRaw`INSERT INTO exercises (id, name, sim_epoch, wall_anchor, sim_start) VALUES (${exerciseId}::uuid, 'rule', now(), now(), now())`;
          const loaded = [];
          let position = 0;
          for (const n of notices) {
            const id = randomUUID();
            const publishedAt = n.published ? new Date('2026-01-01T00:00:00Z') : null;
            const snapshot = {
              value: n.state,
              context: { request: n.consent === undefined ? {} : { publicExtractConsent: n.consent } },
            };
            await db.prisma.$executeRaw`
            INSERT INTO notices (id, exercise_id, type, state, requesting_country, snapshot, published_at, recipients)
            VALUES (${id}::uuid, ${exerciseId}::uuid, 'RED', ${n.state}, ${n.requestingCountry}, ${JSON.stringify(snapshot)}::jsonb,
                    ${publishedAt}, ${n.recipients === null ? null : JSON.stringify(n.recipients)}::jsonb)`;
            for (const [i, country] of n.parts.entries()) {
              position += 1;
              await db.prisma.$executeRaw`
              INSERT INTO notice_events (notice_id, seq, type, actor_role, to_state, country, at, payload, exercise_id, exercise_seq)
              VALUES (${id}::uuid, ${i + 1}, 'X', 'system', 'x', ${country}, now(), '{}', ${exerciseId}::uuid, ${position})`;
            }
            loaded.push({ id, ...n, publishedAt, snapshot });
          }
          for (const reader of readers) {
            const rows = await db.prisma.$queryRaw<{ id: string }[]>`
            SELECT n.id FROM notices n WHERE n.exercise_id = ${exerciseId}::uuid AND ${noticeVisibleSql(reader, 'n')}`;
            const inSql = rows.map((r) => r.id).sort();
            const inCode = loaded
              .filter((n) => canSeeNotice(reader, n))
              .map((n) => n.id)
              .sort();
            expect(inSql).toEqual(inCode);

            const parts = await db.prisma.$queryRaw<{ id: string; seq: number }[]>`
            SELECT n.id, e.seq FROM notice_events e JOIN notices n ON n.id = e.notice_id
             WHERE n.exercise_id = ${exerciseId}::uuid AND ${noticeVisibleSql(reader, 'n')} AND ${partVisibleSql(reader, 'n', 'e')}`;
            const partsInCode = loaded
              .filter((n) => canSeeNotice(reader, n))
              .flatMap((n) => n.parts.map((country, i) => ({ notice: n, seq: i + 1, country })))
              .filter((p) => canSeePart(reader, p.notice, p.country))
              .map((p) => `${p.notice.id}/${p.seq}`);
            expect(parts.map((p) => `${p.id}/${Number(p.seq)}`).sort()).toEqual(partsInCode.sort());
          }
          await db.prisma.$executeRaw(Prisma.sql`DELETE FROM exercises WHERE id = ${exerciseId}::uuid`);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('picks the same database records and history entries in SQL as in code, deleted ones included', async () => {
    const recordArb = fc.record({
      ownerCountry: fc.constantFrom(...COUNTRIES),
      recipients: fc.option(fc.subarray([...COUNTRIES]), { nil: null }),
      recipientsBefore: fc.option(fc.subarray([...COUNTRIES]), { nil: null }),
      deleted: fc.boolean(),
    });
    const json = (list: string[] | null) => (list === null ? null : JSON.stringify(list));
    await fc.assert(
      fc.asyncProperty(
        fc.array(recordArb, { minLength: 1, maxLength: 8 }),
        fc.array(readerArb, { minLength: 1, maxLength: 6 }),
        async (records, readers) => {
          const exerciseId = randomUUID();
          await db.prisma.$executeRaw`INSERT INTO exercises (id, name, sim_epoch, wall_anchor, sim_start)
            VALUES (${exerciseId}::uuid, 'rule', now(), now(), now())`;
          const loaded = [];
          for (const r of records) {
            const id = randomUUID();
            const deletedAt = r.deleted ? new Date('2026-01-01T00:00:00Z') : null;
            await db.prisma.$executeRaw`
              INSERT INTO database_records (id, exercise_id, kind, owner_country, recipients, data, deleted_at)
              VALUES (${id}::uuid, ${exerciseId}::uuid, 'dna', ${r.ownerCountry}, ${json(r.recipients)}::jsonb, '{}',
                      ${deletedAt})`;
            // One history entry, its recipients after and before the change drawn apart from the record's.
            await db.prisma.$executeRaw`
              INSERT INTO record_events (record_id, seq, type, actor_role, at, payload, recipients, recipients_before,
                                         exercise_id)
              VALUES (${id}::uuid, 1, 'UPDATE', 'ncb', now(), '{}', ${json(r.recipients)}::jsonb,
                      ${json(r.recipientsBefore)}::jsonb, ${exerciseId}::uuid)`;
            loaded.push({ id, ...r, deletedAt });
          }
          for (const reader of readers) {
            const rows = await db.prisma.$queryRaw<{ id: string }[]>`
              SELECT r.id FROM database_records r
               WHERE r.exercise_id = ${exerciseId}::uuid AND ${recordVisibleSql(reader, 'r')}`;
            const inCode = loaded.filter((r) => canSeeRecord(reader, r)).map((r) => r.id);
            expect(rows.map((r) => r.id).sort()).toEqual(inCode.sort());
            for (const withBefore of [false, true]) {
              const entries = await db.prisma.$queryRaw<{ id: string }[]>`
                SELECT r.id FROM record_events e JOIN database_records r ON r.id = e.record_id
                 WHERE r.exercise_id = ${exerciseId}::uuid AND ${recordEntryVisibleSql(reader, 'r', 'e', { withBefore })}`;
              const entriesInCode = loaded
                .filter((r) => canSeeRecordEntry(reader, r, r, { withBefore }))
                .map((r) => r.id);
              expect(entries.map((r) => r.id).sort()).toEqual(entriesInCode.sort());
            }
          }
          await db.prisma.$executeRaw(Prisma.sql`DELETE FROM exercises WHERE id = ${exerciseId}::uuid`);
        },
      ),
      { numRuns: 60 },
    );
  });
});
