/**
 * `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL
 * that takes the migrations folder's database to prisma/schema.prisma (what `prisma migrate dev
 * --create-only` does, but through the WebAssembly schema engine on an in-memory PGlite).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { MIGRATIONS_DIR, diffSchemaAgainstMigrations } from '../src/db/migrator';
import { CheckedCommitPGlite } from '../src/db/pglite-commit';
import { PGLITE_EXTENSIONS } from '../src/db/pglite-extensions';

async function main(): Promise<void> {
  const name = (process.argv[2] ?? '').replace(/[^a-z0-9_]+/gi, '_').toLowerCase();
  if (!name) throw new Error('usage: npm run db:migration -- <name>');
  const pglite = new PGlite({ extensions: PGLITE_EXTENSIONS });
  try {
    const sql = await diffSchemaAgainstMigrations(new CheckedCommitPGlite(pglite));
    if (!sql.trim() || /^-- This is an empty migration\.?\s*$/.test(sql.trim())) {
      console.log('The schema matches the migrations; nothing to write.');
      return;
    }
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'migration.sql'), sql);
    await writeFile(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), 'provider = "postgresql"\n');
    console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
  } finally {
    await pglite.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
