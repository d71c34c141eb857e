import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { CheckedCommitPGlite } from './pglite-commit';
import { PrismaClient } from '../generated/prisma/client';
import { acquireDataDirLock } from './data-dir-lock';
import { applyMigrations } from './migrator';

export interface Database {
  kind: 'postgres' | 'pglite';
  prisma: PrismaClient;
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent, PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite data folder, or `memory://` for a throw-away database. */
  dataDir?: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
}

/** Opens the database the configuration names; the client is the same either way. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    // Sessions in UTC: the pg adapter sends timestamps without a zone (prisma/orm#26786).
    const adapterFactory = new PrismaPg({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      options: '-c TimeZone=UTC',
    });
    // 'minimal' spares building an error stack trace on every query.
    const prisma = new PrismaClient({ adapter: adapterFactory, errorFormat: 'minimal' });
    return { kind: 'postgres', prisma, adapterFactory, close: () => prisma.$disconnect() };
  }
  const dataDir = options.dataDir ?? 'memory://';
  if (dataDir.startsWith('memory://')) return openPGlite(dataDir, async () => {});
  await mkdir(dataDir, { recursive: true });
  // A folder has one owner: a second process (or a second open here) would lose the first one's writes.
  const lock = await acquireDataDirLock(dataDir);
  try {
    return await openPGlite(dataDir, () => lock.release());
  } catch (error) {
    await lock.release();
    throw error;
  }
}

async function openPGlite(dataDir: string, release: () => Promise<void>): Promise<Database> {
  const pglite = await PGlite.create(dataDir);
  const adapterFactory = new CheckedCommitPGlite(pglite);
  const prisma = new PrismaClient({ adapter: adapterFactory, errorFormat: 'minimal' });
  return {
    kind: 'pglite',
    prisma,
    adapterFactory,
    close: async () => {
      try {
        await prisma.$disconnect();
        if (!pglite.closed) await pglite.close();
      } finally {
        await release();
      }
    },
  };
}

/** Opens the database and brings its schema up to date. */
export async function openMigratedDatabase(options: DatabaseOptions): Promise<Database & { applied: string[] }> {
  const db = await openDatabase(options);
  try {
    const applied = await applyMigrations(db.adapterFactory);
    return { ...db, applied };
  } catch (error) {
    await db.close();
    throw error;
  }
}
