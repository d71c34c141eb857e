import { openMigratedDatabase, type Database } from '../../src/db/database';

export type DatabaseKind = 'pglite' | 'postgres';

/** The PostgreSQL server the tests use (`TEST_DATABASE_URL`); each run creates a database of its own there. */
export function postgresServerUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
}

/** This run's PostgreSQL database, made by global setup. */
export function postgresTestUrl(): string {
  const url = process.env.TEST_RUN_DATABASE_URL;
  if (!url) throw new Error('No PostgreSQL test database: global setup did not create one');
  return url;
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
