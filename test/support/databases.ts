import { openMigratedDatabase, type Database } from '../../src/db/database';

export type DatabaseKind = 'pglite' | 'postgres';

/** The PostgreSQL database the tests own; global setup drops and recreates it. */
export function postgresTestUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/notice_sim_test';
}

/** The same server's `postgres` database, to create and drop the test database from. */
export function adminUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

export function databaseKinds(): DatabaseKind[] {
  return process.env.TEST_POSTGRES_UNAVAILABLE ? ['pglite'] : ['pglite', 'postgres'];
}

/** A migrated database of the given kind: PGlite in memory (one per test file), or the shared PostgreSQL test database. */
export function openTestDatabase(kind: DatabaseKind, options: { dataDir?: string; poolSize?: number } = {}): Promise<Database> {
  return kind === 'postgres'
    ? openMigratedDatabase({ databaseUrl: postgresTestUrl(), poolSize: options.poolSize ?? 10 })
    : openMigratedDatabase({ dataDir: options.dataDir ?? 'memory://' });
}
