import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { PrismaClient } from '../generated/prisma/client';
import type { DatabaseTimeouts } from './database-timeouts';
import type { Notifications } from './notifications';

/**
 * A statement sent to the database as it is, outside Prisma, in autocommit: for the one hot path
 * where Prisma's own cost per query showed in the profile (bench/README.md). Dates go as ISO text,
 * so pg and PGlite see the same; read back, only int4, text, jsonb and timestamptz columns are
 * relied on (both parse them alike; an int8 would be a string from pg and a bigint from PGlite).
 */
export type SqlQuery = <R>(text: string, values: readonly unknown[]) => Promise<R[]>;

/** Parameters as both drivers take them: a Date as ISO text. */
export const asParams = (values: readonly unknown[]) => values.map((v) => (v instanceof Date ? v.toISOString() : v));

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
