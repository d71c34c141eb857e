import { Client } from 'pg';
import { adminUrl } from './databases';

/** Drops the database global setup created for this run. */
export default async function globalTeardown(): Promise<void> {
  const url = process.env.TEST_RUN_DATABASE_URL;
  if (!url) return;
  const admin = new Client({ connectionString: adminUrl(url) });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
