import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';
import { PROJECT_ROOT } from '../kernel/project-root';

/**
 * Migrations through Prisma's own WebAssembly schema engine and the app's driver adapter: the native
 * engine that `prisma migrate` downloads cannot be fetched here, but the wasm build applies the same
 * `prisma/migrations` folder and keeps the same `_prisma_migrations` table, so `prisma migrate deploy`
 * elsewhere sees the same history.
 */

export const PRISMA_DIR = path.join(PROJECT_ROOT, 'prisma');
export const MIGRATIONS_DIR = path.join(PRISMA_DIR, 'migrations');
export const SCHEMA_PATH = path.join(PRISMA_DIR, 'schema.prisma');

type WasmModule = typeof import('@prisma/schema-engine-wasm');

// Node has WebAssembly, but its type declarations live in TypeScript's DOM lib, which this project does not load.
interface WasmApi {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, unknown>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const { WebAssembly } = globalThis as unknown as { WebAssembly: WasmApi };

let wasmModule: Promise<WasmModule> | undefined;

/** Instantiates the engine's wasm once per process. */
function loadWasm(): Promise<WasmModule> {
  wasmModule ??= (async () => {
    const glue = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as unknown as WasmModule & {
      __wbg_set_wasm(exports: Record<string, unknown>): void;
    };
    const wasmPath = path.join(
      path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')),
      'schema_engine_bg.wasm',
    );
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {
      './schema_engine_bg.js': glue,
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return wasmModule;
}

async function withEngine<T>(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadWasm();
  const schema = await readFile(SCHEMA_PATH, 'utf8');
  // Freeing the engine does not dispose the connections it opened (with pg, a pool each), so track them.
  const opened: SqlDriverAdapter[] = [];
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: adapterFactory.provider,
    adapterName: adapterFactory.adapterName,
    connect: async () => remember(await adapterFactory.connect()),
    connectToShadowDb: async () => remember(await adapterFactory.connectToShadowDb()),
  };
  function remember(adapter: SqlDriverAdapter): SqlDriverAdapter {
    opened.push(adapter);
    return wholeScripts(adapter);
  }
  const engine = await SchemaEngine.new(
    { datamodels: [[SCHEMA_PATH, schema]] },
    () => undefined,
    bindMigrationAwareSqlAdapterFactory(tracked),
  );
  try {
    return await work(engine);
  } finally {
    engine.free();
    await Promise.all(opened.map((adapter) => adapter.dispose()));
  }
}

/** Reads `prisma/migrations` the way the Prisma CLI does. */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationList> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const lockPath = path.join(dir, 'migration_lock.toml');
  return {
    baseDir: dir,
    lockfile: { path: lockPath, content: await readFile(lockPath, 'utf8').catch(() => null) },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: { tag: 'ok' as const, value: await readFile(path.join(dir, name, 'migration.sql'), 'utf8') },
        },
      })),
    ),
  };
}

const noFilters = { externalTables: [], externalEnums: [] };

/** The checksum Prisma records in `_prisma_migrations`: SHA-256 of migration.sql, in lower-case hex. */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

/**
 * Whether `_prisma_migrations` already lists every folder of `list`, finished, not rolled back, with
 * the same checksum, and nothing else (no failed or unknown row). Only then may a start skip the schema
 * engine, whose wasm load and check cost about half a second on an embedded start; anything pending,
 * changed, failed or unexpected answers false and goes through the engine as before.
 */
export async function migrationsUpToDate(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  list: MigrationList,
): Promise<boolean> {
  const session = await adapterFactory.connect();
  try {
    const exists = await session.queryRaw({
      sql: "SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present",
      args: [],
      argTypes: [],
    });
    if (exists.rows[0]?.[0] !== true) return false;
    const { rows } = await session.queryRaw({
      sql:
        'SELECT migration_name, checksum, finished_at IS NOT NULL, rolled_back_at IS NOT NULL ' +
        'FROM _prisma_migrations',
      args: [],
      argTypes: [],
    });
    const recorded = new Map<string, string>();
    for (const [name, checksum, finished, rolledBack] of rows) {
      // A rolled-back attempt stays listed beside its later success; a failed one needs the engine's verdict.
      if (rolledBack === true) continue;
      if (finished !== true || recorded.has(String(name))) return false;
      recorded.set(String(name), String(checksum));
    }
    if (recorded.size !== list.migrationDirectories.length) return false;
    return list.migrationDirectories.every((m) => {
      const content = m.migrationFile.content;
      return content.tag === 'ok' && recorded.get(m.path) === migrationChecksum(content.value);
    });
  } catch {
    // Whatever the check cannot read, the engine decides.
    return false;
  } finally {
    await session.dispose();
  }
}

/** Applies every migration of `dir` not yet applied; returns the names applied now. */
export async function applyMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  dir = MIGRATIONS_DIR,
): Promise<string[]> {
  const migrationsList = await readMigrations(dir);
  if (await migrationsUpToDate(adapterFactory, migrationsList)) return [];
  return withEngine(adapterFactory, async (engine) => {
    const out = await engine.applyMigrations({ migrationsList, filters: noFilters });
    return out.appliedMigrationNames;
  });
}

/** SQL that takes the database described by the migrations folder to the current schema (empty when in step). */
export async function diffSchemaAgainstMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
): Promise<string> {
  const migrationsList = await readMigrations();
  const schema = await readFile(SCHEMA_PATH, 'utf8');
  return withEngine(adapterFactory, async (engine) => {
    const from = migrationsList.migrationDirectories.length
      ? ({ tag: 'migrations', ...migrationsList } as const)
      : ({ tag: 'empty' } as const);
    const result = await engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: [{ path: SCHEMA_PATH, content: schema }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return result.stdout ?? '';
  });
}

/**
 * Prisma's pg adapter runs a migration by splitting it at every `;`, which cuts a function's body
 * (`$$ … $$`) apart. PostgreSQL takes a whole script as one simple query, as psql and Prisma's own CLI
 * send it, so the adapter here sends it whole. PGlite's adapter already does (its `exec`).
 */
function wholeScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const pool = (adapter as unknown as { client?: { query?: (text: string) => Promise<unknown> } }).client;
  if (adapter.adapterName !== '@prisma/adapter-pg' || typeof pool?.query !== 'function') return adapter;
  const raise = (adapter as unknown as { onError(error: unknown): never }).onError.bind(adapter);
  adapter.executeScript = async (script: string) => {
    try {
      await pool.query!(script);
    } catch (error) {
      raise(error);
    }
  };
  return adapter;
}
