import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../../src/db/database';
import {
  MIGRATIONS_DIR,
  applyMigrations,
  diffSchemaAgainstMigrations,
  migrationsUpToDate,
  readMigrations,
} from '../../src/db/migrator';

/**
 * A database migrated up to, not including, the migration whose name ends with `suffix`; `test`
 * writes into it as the schema then was, then applies the rest (and gets the names applied).
 */
async function beforeMigration(
  suffix: string,
  test: (db: Database, applyRest: () => Promise<string[]>) => Promise<void>,
) {
  const all = (await readdir(MIGRATIONS_DIR)).filter((name) => /^\d/.test(name)).sort();
  const before = all.slice(0, all.indexOf(all.find((name) => name.endsWith(suffix))!));
  const dir = await mkdtemp(path.join(tmpdir(), 'migrations-'));
  const db = await openDatabase({ dataDir: 'memory://' });
  try {
    for (const name of before) await cp(path.join(MIGRATIONS_DIR, name), path.join(dir, name), { recursive: true });
    await cp(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), path.join(dir, 'migration_lock.toml'));
    await applyMigrations(db.adapterFactory, dir);
    await test(db, async () => {
      const applied = await applyMigrations(db.adapterFactory);
      expect(applied).toEqual(all.slice(before.length));
      return applied;
    });
  } finally {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

describe('migrations', () => {
  it('are in step with prisma/schema.prisma', async () => {
    const db = await openDatabase({ dataDir: 'memory://' });
    try {
      expect((await diffSchemaAgainstMigrations(db.adapterFactory)).trim()).toBe('-- This is an empty migration.');
    } finally {
      await db.close();
    }
  });

  it('number the events of a database written before the live stream, per exercise in the order they were written', async () => {
    await beforeMigration('_exercise_event_seq', async (db, applyRest) => {
      // Two exercises whose events interleave, as the schema before the stream held them.
      for (const statement of [
        `INSERT INTO exercises (id, name, sim_epoch, wall_anchor) VALUES
           ('00000000-0000-4000-8000-00000000000a', 'A', now(), now()), ('00000000-0000-4000-8000-00000000000b', 'B', now(), now())`,
        `INSERT INTO notices (id, exercise_id, type, state, requesting_country, snapshot, last_seq) VALUES
           ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-00000000000a', 'RED', 'submitted', 'MC', '{}', 2),
           ('00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-00000000000b', 'RED', 'draft', 'FR', '{}', 1)`,
        `INSERT INTO notice_events (notice_id, seq, type, actor_role, to_state, at, payload) VALUES
           ('00000000-0000-4000-8000-0000000000a1', 1, 'CREATE', 'ncb', 'draft', now(), '{}'),
           ('00000000-0000-4000-8000-0000000000b1', 1, 'CREATE', 'ncb', 'draft', now(), '{}'),
           ('00000000-0000-4000-8000-0000000000a1', 2, 'SUBMIT', 'ncb', 'submitted', now(), '{}')`,
      ]) {
        await db.prisma.$executeRawUnsafe(statement);
      }
      await applyRest();
      const events = await db.prisma.noticeEvent.findMany({
        orderBy: { id: 'asc' },
        select: { type: true, exerciseId: true, exerciseSeq: true },
      });
      expect(events.map((e) => [e.type, e.exerciseId.slice(-1), Number(e.exerciseSeq)])).toEqual([
        ['CREATE', 'a', 1],
        ['CREATE', 'b', 1],
        ['SUBMIT', 'a', 2],
      ]);
      const exercises = await db.prisma.exercise.findMany({ orderBy: { name: 'asc' }, select: { lastEventSeq: true } });
      expect(exercises.map((e) => Number(e.lastEventSeq))).toEqual([2, 1]);
    });
  });

  it('move a notice’s pending deadline into a row of its own, and give stored checks their missing fields', async () => {
    await beforeMigration('_deadlines_and_recipients', async (db, applyRest) => {
      const context = (deadline: object | null) =>
        JSON.stringify({
          value: 'published',
          context: { deadline, checks: [{ id: 'RED-IDENTIFIERS', passed: true, blocking: true, message: 'ok' }] },
        });
      for (const statement of [
        `INSERT INTO exercises (id, name, sim_epoch, wall_anchor) VALUES ('00000000-0000-4000-8000-00000000000a', 'A', now(), now())`,
        `INSERT INTO notices (id, exercise_id, type, state, requesting_country, snapshot, due_at, due_event) VALUES
           ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-00000000000a', 'RED', 'published', 'MC',
            '${context({ event: 'OPEN_RENEWAL', at: '2030-09-02T09:00:00.000Z' })}', '2030-09-02T09:00:00Z', 'OPEN_RENEWAL'),
           ('00000000-0000-4000-8000-0000000000a2', '00000000-0000-4000-8000-00000000000a', 'RED', 'withdrawn', 'MC',
            '${context(null)}', NULL, NULL)`,
      ]) {
        await db.prisma.$executeRawUnsafe(statement);
      }
      await applyRest();
      const rows = await db.prisma.deadline.findMany({
        select: { noticeId: true, country: true, event: true, dueAt: true },
      });
      expect(rows).toEqual([
        {
          noticeId: '00000000-0000-4000-8000-0000000000a1',
          country: null,
          event: 'OPEN_RENEWAL',
          dueAt: new Date('2030-09-02T09:00:00Z'),
        },
      ]);
      const notices = await db.prisma.notice.findMany({
        orderBy: { id: 'asc' },
        select: { snapshot: true, recipients: true },
      });
      expect(notices.map((n) => (n.snapshot as { context: unknown }).context)).toEqual([
        {
          deadlines: [{ event: 'OPEN_RENEWAL', at: '2030-09-02T09:00:00.000Z' }],
          checks: [expect.objectContaining({ missing: [] })],
        },
        { deadlines: [], checks: [expect.objectContaining({ missing: [] })] },
      ]);
      expect(notices.map((n) => n.recipients)).toEqual([null, null]);
    });
  });

  it('put what was written before runs in run 1, each exercise starting where its scenario or its clock began', async () => {
    await beforeMigration('_exercise_runs', async (db, applyRest) => {
      for (const statement of [
        `INSERT INTO exercises (id, name, sim_epoch, wall_anchor, scenario, created_at) VALUES
           ('00000000-0000-4000-8000-00000000000a', 'A', now(), now(), '{"start": "2026-03-02T09:00:00Z"}', '2026-11-01T10:00:00Z'),
           ('00000000-0000-4000-8000-00000000000b', 'B', now(), now(), NULL, '2026-11-02T10:00:00Z')`,
        `INSERT INTO participants (id, exercise_id, role, token_hash) VALUES
           ('00000000-0000-4000-8000-0000000000c1', '00000000-0000-4000-8000-00000000000a', 'ncb', 'h')`,
        `INSERT INTO notices (id, exercise_id, type, state, requesting_country, snapshot) VALUES
           ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-00000000000a', 'RED', 'draft', 'MC', '{}')`,
        `INSERT INTO injects (id, exercise_id, seq, at, participant_id, action, notice_key) VALUES
           ('00000000-0000-4000-8000-0000000000d1', '00000000-0000-4000-8000-00000000000a', 0, now(),
            '00000000-0000-4000-8000-0000000000c1', '{}', 'k')`,
      ]) {
        await db.prisma.$executeRawUnsafe(statement);
      }
      await applyRest();
      const exercises = await db.prisma.exercise.findMany({
        orderBy: { name: 'asc' },
        select: { run: true, simStart: true },
      });
      expect(exercises).toEqual([
        { run: 1, simStart: new Date('2026-03-02T09:00:00Z') },
        { run: 1, simStart: new Date('2026-11-02T10:00:00Z') },
      ]);
      expect(await db.prisma.notice.findMany({ select: { run: true } })).toEqual([{ run: 1 }]);
      expect(await db.prisma.inject.findMany({ select: { run: true } })).toEqual([{ run: 1 }]);
    });
  });

  it('give each notice the simulated time of its latest own event, leaving its records’ events aside', async () => {
    await beforeMigration('_notice_last_event_at', async (db, applyRest) => {
      for (const statement of [
        `INSERT INTO exercises (id, name, sim_epoch, wall_anchor, sim_start) VALUES ('00000000-0000-4000-8000-00000000000a', 'A', now(), now(), now())`,
        `INSERT INTO notices (id, exercise_id, type, state, requesting_country, snapshot, last_seq) VALUES
           ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-00000000000a', 'RED', 'published', 'MC', '{}', 3)`,
        `INSERT INTO notice_events (notice_id, seq, type, actor_role, to_state, country, at, payload, exercise_id, exercise_seq) VALUES
           ('00000000-0000-4000-8000-0000000000a1', 1, 'CREATE', 'ncb', 'draft', NULL, '2030-01-01T10:00:00Z', '{}',
            '00000000-0000-4000-8000-00000000000a', 1),
           ('00000000-0000-4000-8000-0000000000a1', 2, 'APPROVE', 'gs', 'published', NULL, '2030-01-02T10:00:00Z', '{}',
            '00000000-0000-4000-8000-00000000000a', 2),
           ('00000000-0000-4000-8000-0000000000a1', 3, 'REPORT_HIT', 'ncb', 'hit', 'FR', '2030-01-03T10:00:00Z', '{}',
            '00000000-0000-4000-8000-00000000000a', 3)`,
      ]) {
        await db.prisma.$executeRawUnsafe(statement);
      }
      await applyRest();
      const notices = await db.prisma.notice.findMany({ select: { lastEventAt: true } });
      expect(notices).toEqual([{ lastEventAt: new Date('2030-01-02T10:00:00Z') }]);
    });
  });

  describe('the start-up fast path (no schema engine when nothing is pending)', () => {
    /** A copy of the migrations folder, applied to a fresh database, for `test` to change. */
    async function appliedCopy(test: (db: Database, dir: string) => Promise<void>) {
      const dir = await mkdtemp(path.join(tmpdir(), 'migrations-'));
      const db = await openDatabase({ dataDir: 'memory://' });
      try {
        await cp(MIGRATIONS_DIR, dir, { recursive: true });
        await applyMigrations(db.adapterFactory, dir);
        await test(db, dir);
      } finally {
        await db.close();
        await rm(dir, { recursive: true, force: true });
      }
    }

    it('is taken when every folder is recorded, finished, with its checksum', async () => {
      await appliedCopy(async (db, dir) => {
        expect(await migrationsUpToDate(db.adapterFactory, await readMigrations(dir))).toBe(true);
        expect(await applyMigrations(db.adapterFactory, dir)).toEqual([]);
      });
    });

    it('is not taken on an empty database', async () => {
      const db = await openDatabase({ dataDir: 'memory://' });
      try {
        expect(await migrationsUpToDate(db.adapterFactory, await readMigrations())).toBe(false);
      } finally {
        await db.close();
      }
    });

    it('is not taken for a new migration, which the engine then applies', async () => {
      await appliedCopy(async (db, dir) => {
        await mkdir(path.join(dir, '29991231000000_later'));
        await writeFile(
          path.join(dir, '29991231000000_later', 'migration.sql'),
          'CREATE TABLE later_t (id integer);\n',
        );
        expect(await migrationsUpToDate(db.adapterFactory, await readMigrations(dir))).toBe(false);
        expect(await applyMigrations(db.adapterFactory, dir)).toEqual(['29991231000000_later']);
        expect(await db.prisma.$queryRawUnsafe('SELECT count(*)::int AS n FROM later_t')).toEqual([{ n: 0 }]);
      });
    });

    it('is not taken when an applied migration’s file has changed', async () => {
      await appliedCopy(async (db, dir) => {
        const [first] = (await readdir(dir)).filter((name) => /^\d/.test(name)).sort();
        const file = path.join(dir, first!, 'migration.sql');
        await writeFile(file, `${await readFile(file, 'utf8')}\n-- edited after it was applied\n`);
        expect(await migrationsUpToDate(db.adapterFactory, await readMigrations(dir))).toBe(false);
      });
    });

    it('is not taken while a recorded migration has failed', async () => {
      await appliedCopy(async (db, dir) => {
        await db.prisma.$executeRawUnsafe(
          `UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = (SELECT max(migration_name) FROM _prisma_migrations)`,
        );
        expect(await migrationsUpToDate(db.adapterFactory, await readMigrations(dir))).toBe(false);
      });
    });
  });
});
