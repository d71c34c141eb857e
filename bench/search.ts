/**
 * `npm run bench:search`: name, document and vehicle searches over `BENCH_RECORDS` (default 100,000)
 * synthetic records of one exercise, on the embedded PGlite, or on PostgreSQL with DATABASE_URL (or, with
 * `--postgres`, a database of its own beside BENCH_DATABASE_URL's, as `npm run bench` runs it). Each
 * search goes through the service as a request does (candidates, scoring, the search and its hits
 * written); beside it, the baseline: the same candidate query sent straight to the database in the
 * same run. Prints p50 and p95 of each, and the time the records took to import: generated, seeded
 * (src/databases/record-generator.ts), and sent through `POST /api/exercises/:id/records/import` as
 * five countries' JSON files. (Issue 16's targets: a name search under 50 ms at the 95th percentile, a
 * document or vehicle search under 5 ms, an import of 100,000 records under 30 s.)
 */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { AddressInfo } from 'node:net';
import { generateRecords } from '../src/databases/record-generator';
import { compactCode, documentKey } from '../src/databases/record-keys';
import type { CreateRecordInput } from '../src/databases/record-schemas';
import { nameKey } from '../src/kernel/name-keys';
import { recreateDatabase } from './run';
import { openMigratedDatabase } from '../src/db/database';
import { buildServices } from '../src/server';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 200);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

const OWNERS = ['RS', 'DE', 'FR', 'IT', 'HR'];

/** Each owner's share of the records, through the import endpoint as a country would send them. */
async function importAll(base: string, exerciseId: string, tokens: Record<string, string>, seed: number) {
  const records = [];
  for (const [i, owner] of OWNERS.entries()) {
    const body = generateRecords({ count: Math.ceil(RECORDS / OWNERS.length), seed: seed + i, owner });
    records.push(...body);
    const res = await fetch(`${base}/api/exercises/${exerciseId}/records/import`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens[owner]}` },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`import of ${owner}: ${res.status} ${await res.text()}`);
  }
  return records;
}

async function main(): Promise<void> {
  // `--postgres` (as `npm run bench` runs it): a database of its own, made afresh, beside BENCH_DATABASE_URL's.
  let databaseUrl = process.env.DATABASE_URL || undefined;
  if (process.argv.includes('--postgres')) {
    const url = new URL(process.env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/notice_sim_bench');
    url.pathname = `${url.pathname}_search`;
    databaseUrl = url.toString();
    await recreateDatabase(databaseUrl);
  }
  const db = await openMigratedDatabase({ databaseUrl, dataDir: 'memory://' });
  const services = buildServices(db, pino({ level: 'silent' }), { authFailureLimit: 1_000_000 });
  const server = services.app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = async (path: string, token: string | null, body: object) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token && { Authorization: `Bearer ${token}` }) },
      body: JSON.stringify(body),
    });
    return (await res.json()) as Record<string, string>;
  };
  const created = await post('/api/exercises', null, { name: 'search bench' });
  const exerciseId = created.id!;
  const tokens: Record<string, string> = {};
  for (const owner of OWNERS) {
    tokens[owner] = (
      await post(`/api/exercises/${exerciseId}/participants`, created.facilitatorToken!, {
        role: 'ncb',
        country: owner,
      })
    ).token!;
  }

  const started = performance.now();
  const records = await importAll(base, exerciseId, tokens, Number(process.env.BENCH_SEED ?? 16));
  const loadSeconds = (performance.now() - started) / 1000;
  await db.query('ANALYZE database_records', []);
  const of = <K extends CreateRecordInput['kind']>(kind: K) =>
    records.filter((r): r is Extract<CreateRecordInput, { kind: K }> => r.kind === kind);
  const people = of('nominal');
  const documents = of('sltd');
  const vehicles = of('smv');

  const principal = {
    participantId: randomUUID(),
    exerciseId,
    role: 'ncb' as const,
    country: 'MC',
    clock: {
      simEpoch: new Date(),
      wallAnchor: new Date(),
      speed: 1,
      running: true,
      freezeWhilePaused: true,
    },
  } as never;
  const searches = services.databases.searches;
  const time = async (work: () => Promise<unknown>) => {
    const t = performance.now();
    await work();
    return performance.now() - t;
  };
  // Searches for what the databases hold: every seventh name with a typo, documents and VINs as recorded.
  const kinds = {
    name: (i: number) => {
      const person = people[(i * 7919) % people.length]!;
      return {
        kind: 'name' as const,
        familyName: `${person.familyName}${i % 7 === 0 ? 'x' : ''}`,
        forename: person.forename,
      };
    },
    document: (i: number) => {
      const document = documents[(i * 7919) % documents.length]!;
      return {
        kind: 'document' as const,
        documentNumber: document.documentNumber,
        issuingCountry: document.issuingCountry,
      };
    },
    vin: (i: number) => ({ kind: 'vin' as const, vin: vehicles[(i * 7919) % vehicles.length]!.vin }),
  };
  const baselines = {
    name: (i: number) =>
      db.prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT set_config('pg_trgm.similarity_threshold', '0.25', true)`;
        const key = nameKey(kinds.name(i).familyName, kinds.name(i).forename)!;
        return tx.$queryRaw`SELECT id FROM database_records r WHERE r.exercise_id = ${exerciseId}::uuid AND r.run = 1
          AND r.kind = 'nominal' AND r.deleted_at IS NULL AND r.name_key % ${key}
          ORDER BY similarity(r.name_key, ${key}) DESC LIMIT 200`;
      }),
    document: (i: number) =>
      db.prisma.$queryRaw`SELECT id FROM database_records r WHERE r.exercise_id = ${exerciseId}::uuid
        AND r.document_key = ${documentKey(kinds.document(i).issuingCountry, kinds.document(i).documentNumber)}
        AND r.deleted_at IS NULL`,
    vin: (i: number) =>
      db.prisma.$queryRaw`SELECT id FROM database_records r WHERE r.exercise_id = ${exerciseId}::uuid
        AND r.vin = ${compactCode(kinds.vin(i).vin)} AND r.deleted_at IS NULL`,
  };
  console.log(
    `${records.length.toLocaleString('en-GB')} records on ${db.kind} imported in ${loadSeconds.toFixed(1)} s ` +
      `(${OWNERS.length} imports through POST /records/import, JSON)`,
  );
  for (const kind of ['name', 'document', 'vin'] as const) {
    const service: number[] = [];
    const baseline: number[] = [];
    // A few of each first, not timed: the first queries plan and warm the caches.
    for (let i = 0; i < 5; i++) await searches.search(principal, exerciseId, kinds[kind](i));
    for (let i = 0; i < SEARCHES; i++) {
      service.push(await time(() => searches.search(principal, exerciseId, kinds[kind](i))));
      baseline.push(await time(() => baselines[kind](i)));
    }
    console.log(
      `${kind.padEnd(8)} search p50 ${ms(percentile(service, 0.5))}, p95 ${ms(percentile(service, 0.95))}` +
        `   baseline (the candidate query alone) p50 ${ms(percentile(baseline, 0.5))}, p95 ${ms(percentile(baseline, 0.95))}` +
        `   ratio at p95 ${(percentile(service, 0.95) / percentile(baseline, 0.95)).toFixed(2)}`,
    );
  }
  server.close();
  await db.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
