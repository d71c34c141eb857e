import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { CheckedCommitPGlite } from './pglite-commit';
import { pgliteNotifications, postgresNotifications, type Notifications } from './notifications';
import { PrismaClient } from '../generated/prisma/client';
import { acquireDataDirLock } from './data-dir-lock';
import { bulkTimeouts, DEFAULT_DATABASE_TIMEOUTS, type DatabaseTimeouts } from './database-timeouts';
import { applyMigrations } from './migrator';
import { postgresPool, postgresPoolConfig } from './postgres-pool';

/**
 * A statement sent to the database as it is, outside Prisma, in autocommit: for the one hot path
 * where Prisma's own cost per query showed in the profile (bench/README.md). Dates go as ISO text,
 * so pg and PGlite see the same; read back, only int4, text, jsonb and timestamptz columns are
 * relied on (both parse them alike; an int8 would be a string from pg and a bigint from PGlite).
 */
export type SqlQuery = <R>(text: string, values: readonly unknown[]) => Promise<R[]>;

const asParams = (values: readonly unknown[]) => values.map((v) => (v instanceof Date ? v.toISOString() : v));

export interface Database {
  kind: 'postgres' | 'pglite';
  prisma: PrismaClient;
  query: SqlQuery;
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** LISTEN/NOTIFY between the processes on this database (db/notifications.ts); closes with it. */
  notifications: Notifications;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent, PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite data folder, or `memory://` for a throw-away database. */
  dataDir?: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
  /** How long to wait on PostgreSQL (PGlite runs in this process: nothing there waits on a network). */
  timeouts?: DatabaseTimeouts;
}

/** PGlite serves one transaction at a time in this process: the limits only stop a transaction that never ends. */
const PGLITE_TRANSACTIONS = { maxWait: 10_000, timeout: 30_000 };

/** Opens the database the configuration names; the client is the same either way. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const timeouts = options.timeouts ?? DEFAULT_DATABASE_TIMEOUTS;
    const pool = postgresPool(options.databaseUrl, options.poolSize ?? 10, timeouts);
    const adapterFactory = new PrismaPg(pool);
    const prisma = new PrismaClient({
      adapter: adapterFactory,
      // 'minimal' spares building an error stack trace on every query.
      errorFormat: 'minimal',
      // Every store transaction within the request's budget: waiting for a connection, then the whole.
      transactionOptions: { maxWait: timeouts.connectMs, timeout: timeouts.transactionMs },
    });
    // Its own connection, not the pool's: a session that LISTENs is never handed to other work.
    const config = postgresPoolConfig(options.databaseUrl, 1, timeouts);
    const notifications = postgresNotifications(
      () =>
        new pg.Client({
          connectionString: config.connectionString,
          connectionTimeoutMillis: config.connectionTimeoutMillis,
          keepAlive: true,
          keepAliveInitialDelayMillis: config.keepAliveInitialDelayMillis,
        }),
    );
    const close = async () => {
      await notifications.close();
      await prisma.$disconnect();
      if (!pool.ended) await pool.end();
    };
    const query: SqlQuery = async <R>(text: string, values: readonly unknown[]) =>
      (await pool.query(text, asParams(values))).rows as R[];
    return { kind: 'postgres', prisma, adapterFactory, query, notifications, close };
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
    ? new PrismaPg(postgresPoolConfig(options.databaseUrl, 1, bulkTimeouts(options.timeouts)))
    : db.adapterFactory;
  return applyMigrations(migrations);
}
