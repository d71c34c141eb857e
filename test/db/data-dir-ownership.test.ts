import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataDirInUseError, LOCK_NAME } from '../../src/db/data-dir-lock';
import { openDatabase, openMigratedDatabase, type Database } from '../../src/db/database';

describe('a PGlite data folder has one owner', () => {
  let dataDir: string;
  const open: Database[] = [];

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'data-dir-owner-'));
  });

  afterEach(async () => {
    for (const db of open.splice(0)) await db.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a second open of a folder already open in this process, naming the folder', async () => {
    open.push(await openMigratedDatabase({ dataDir }));
    const second = openDatabase({ dataDir });
    await expect(second).rejects.toBeInstanceOf(DataDirInUseError);
    await expect(second).rejects.toThrow(
      `The data folder ${dataDir} is already open in this process (pid ${process.pid}`,
    );
  });

  it('gives the folder back on close: it opens again with what was written', async () => {
    const first = await openMigratedDatabase({ dataDir });
    await first.prisma.$executeRawUnsafe('CREATE TABLE kept (v text)');
    await first.prisma.$executeRawUnsafe("INSERT INTO kept VALUES ('before')");
    await first.close();

    const again = await openDatabase({ dataDir });
    open.push(again);
    expect(await again.prisma.$queryRawUnsafe('SELECT v FROM kept')).toEqual([{ v: 'before' }]);
    // The lock lives inside the folder, beside PGlite's own files, as one record.
    expect((await readdir(path.join(dataDir, LOCK_NAME))).filter((n) => n.endsWith('.json'))).toHaveLength(1);
  });

  it('takes no lock for a throw-away in-memory database', async () => {
    open.push(await openDatabase({ dataDir: 'memory://' }), await openDatabase({ dataDir: 'memory://' }));
    expect(open).toHaveLength(2);
  });
});
