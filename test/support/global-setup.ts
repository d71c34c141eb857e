import { Client } from 'pg';
import { openMigratedDatabase } from '../../src/db/database';
import { adminUrl, postgresTestUrl } from './databases';

/**
 * Prepares a fresh PostgreSQL test database when one is reachable. CI must have it (`.ci/run` starts
 * PostgreSQL); on a machine without it the PostgreSQL suites are left out, and the run says so.
 */
export default async function globalSetup(): Promise<void> {
  const url = postgresTestUrl();
  const admin = new Client({ connectionString: adminUrl(url), connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    if (process.env.CI || process.env.REQUIRE_POSTGRES) {
      throw new Error(`PostgreSQL is required for the tests but unreachable at ${adminUrl(url)}: ${String(error)}`, { cause: error });
    }
    process.env.TEST_POSTGRES_UNAVAILABLE = '1';
    console.warn(`\nPostgreSQL unreachable at ${adminUrl(url)}: running the HTTP suites on PGlite only.\n`);
    return;
  }
  const name = new URL(url).pathname.slice(1);
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const db = await openMigratedDatabase({ databaseUrl: url, poolSize: 1 });
  await db.close();
}
