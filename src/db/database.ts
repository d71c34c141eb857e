import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { CheckedCommitPGlite } from './pglite-commit';
import { pgliteNotifications } from './notifications';
import { PrismaClient } from '../generated/prisma/client';
import { acquireDataDirLock } from './data-dir-lock';
import { asParams, type Database, type DatabaseOptions, type SqlQuery } from './database-types';
import { applyMigrations } from './migrator';
import { PGLITE_EXTENSIONS } from './pglite-extensions';

export type { Database, DatabaseOptions, SqlQuery } from './database-types';

/**
 * PostgreSQL's side (pg, Prisma's pg adapter), loaded on its first use: an embedded start never
 * loads it, which spares about 0.05 s of its imports (bench/README.md, "Start to ready").
 */
const postgres = (): typeof import('./postgres-database') => require('./postgres-database');

/** PGlite serves one transaction at a time in this process: the limits only stop a transaction that never ends. */
const PGLITE_TRANSACTIONS = { maxWait: 10_000, timeout: 30_000 };

/** Opens the database the configuration names; the client is the same either way. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return postgres().openPostgres(options.databaseUrl, options);
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
  const pglite = await PGlite.create(dataDir, { extensions: PGLITE_EXTENSIONS });
  const adapterFactory = new CheckedCommitPGlite(pglite);
  const prisma = new PrismaClient({
    adapter: adapterFactory,
    errorFormat: 'minimal',
    transactionOptions: PGLITE_TRANSACTIONS,
  });
  const notifications = pgliteNotifications(pglite);
  // PGlite's query waits for any transaction in progress (one at a time in this process), as Prisma's do.
  const query: SqlQuery = async <R>(text: string, values: readonly unknown[]) =>
    (await pglite.query<R>(text, asParams(values))).rows;
  return {
    kind: 'pglite',
    prisma,
    adapterFactory,
    notifications,
    query,
    close: async () => {
      try {
        await notifications.close();
        await prisma.$disconnect();
        if (!pglite.closed) await pglite.close();
      } finally {
        await release();
      }
    },
  };
}

/**
 * Opens the database and brings its schema up to date. On PostgreSQL the migrations run on pools
 * of their own with bulk limits (bulkTimeouts): a migration's statement is not cut at a request's 5 s.
 */
export async function openMigratedDatabase(options: DatabaseOptions): Promise<Database & { applied: string[] }> {
  const db = await openDatabase(options);
  try {
    return { ...db, applied: await migrateWhileWarming(db, options) };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/**
 * `migrate`, while Prisma's client loads its query compiler (a WebAssembly module compiled on the
 * first connect, about a quarter of an embedded start): otherwise the first request, often
 * `/api/ready`, waits for it. A failure to connect is left to that first query to report.
 */
export async function migrateWhileWarming(db: Database, options: DatabaseOptions): Promise<string[]> {
  const warm = db.prisma.$connect().catch(() => undefined);
  try {
    return await migrate(db, options);
  } finally {
    await warm;
  }
}

/** Applies the pending migrations to an open database (on PostgreSQL, on a pool of their own with bulk limits). */
export function migrate(db: Database, options: DatabaseOptions): Promise<string[]> {
  const migrations = options.databaseUrl
    ? postgres().migrationsAdapter(options.databaseUrl, options.timeouts)
    : db.adapterFactory;
  return applyMigrations(migrations);
}
