/** `npm run db:migrate`: applies prisma/migrations to DATABASE_URL, or to the embedded PGlite in DATA_DIR. */
import { ConfigError, loadConfig } from '../src/config/config';
import { DataDirInUseError } from '../src/db/data-dir-lock';
import { openMigratedDatabase } from '../src/db/database';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openMigratedDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const target = db.kind === 'postgres' ? 'PostgreSQL' : `PGlite in ${config.dataDir}`;
  console.log(db.applied.length ? `Applied to ${target}: ${db.applied.join(', ')}` : `${target} is up to date.`);
  await db.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error instanceof Error ? error.message : error);
  // 3: the data folder is another process's (a running server's); retrying will not help until it stops.
  process.exit(error instanceof DataDirInUseError ? 3 : 1);
});
