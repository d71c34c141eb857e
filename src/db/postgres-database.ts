import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client';
import { asParams, type Database, type DatabaseOptions, type SqlQuery } from './database-types';
import { bulkTimeouts, DEFAULT_DATABASE_TIMEOUTS, type DatabaseTimeouts } from './database-timeouts';
import { postgresNotifications } from './notifications';
import { postgresPool, postgresPoolConfig } from './postgres-pool';

/**
 * The database on PostgreSQL: Prisma on its pg adapter, a pool, and a connection of its own for
 * LISTEN. Loaded by `openDatabase` only when DATABASE_URL is set, so that an embedded start does
 * not load pg and the adapter (src/db/database.ts).
 */
export function openPostgres(databaseUrl: string, options: DatabaseOptions): Database {
  const timeouts = options.timeouts ?? DEFAULT_DATABASE_TIMEOUTS;
  const pool = postgresPool(databaseUrl, options.poolSize ?? 10, timeouts);
  const adapterFactory = new PrismaPg(pool);
  const prisma = new PrismaClient({
    adapter: adapterFactory,
    // 'minimal' spares building an error stack trace on every query.
    errorFormat: 'minimal',
    // Every store transaction within the request's budget: waiting for a connection, then the whole.
    transactionOptions: { maxWait: timeouts.connectMs, timeout: timeouts.transactionMs },
  });
  // Its own connection, not the pool's: a session that LISTENs is never handed to other work.
  const config = postgresPoolConfig(databaseUrl, 1, timeouts);
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

/** The migrations' own pool of one connection, with bulk limits: a migration is not cut at a request's 5 s. */
export function migrationsAdapter(databaseUrl: string, timeouts: DatabaseTimeouts | undefined): PrismaPg {
  return new PrismaPg(postgresPoolConfig(databaseUrl, 1, bulkTimeouts(timeouts)));
}
