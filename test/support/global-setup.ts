import { Client } from 'pg';
import { openMigratedDatabase } from '../../src/db/database';
import { adminUrl, postgresServerUrl } from './databases';

/**
 * Creates a PostgreSQL database of this run's own (so two runs on one server cannot trip over each
 * other) and migrates it; global teardown drops it. CI must have PostgreSQL (`.ci/run` starts it);
 * on a machine without it the PostgreSQL suites are left out, and the run says so.
 */
export default async function globalSetup(): Promise<void> {
  const server = postgresServerUrl();
  const admin = new Client({ connectionString: adminUrl(server), connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    if (process.env.CI || process.env.REQUIRE_POSTGRES) {
      throw new Error(`PostgreSQL is required for the tests but unreachable at ${adminUrl(server)}: ${String(error)}`, { cause: error });
    }
    process.env.TEST_POSTGRES_UNAVAILABLE = '1';
    console.warn(`\nPostgreSQL unreachable at ${adminUrl(server)}: running the HTTP suites on PGlite only.\n`);
    return;
  }
  const name = `notice_sim_test_${process.pid}_${Date.now().toString(36)}`;
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  // Workers are started after global setup and inherit this.
  process.env.TEST_RUN_DATABASE_URL = url.toString();
  const db = await openMigratedDatabase({ databaseUrl: url.toString(), poolSize: 1 });
  await db.close();
}
