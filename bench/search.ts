/**
 * `npm run bench:search`: name, document and vehicle searches over `BENCH_RECORDS` (default 100,000)
 * synthetic records of one exercise, on the embedded PGlite, or on PostgreSQL with DATABASE_URL. Each
 * search goes through the service as a request does (candidates, scoring, the search and its hits
 * written); beside it, the baseline: the same candidate query sent straight to the database in the
 * same run. Prints p50 and p95 of each, and the time the records took to load.
 * (Issue 16's targets: a name search under 50 ms at the 95th percentile, a document or vehicle search
 * under 5 ms.) The records are written in batches of SQL, not yet through an import endpoint.
 */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { keysOf } from '../src/databases/record-keys';
import { nameKey } from '../src/kernel/name-keys';
import { openMigratedDatabase } from '../src/db/database';
import { buildServices } from '../src/server';
import { randomOf } from '../src/simulation/random';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 200);

const FAMILY = [
  'Petrović',
  'Jovanović',
  'Nikolić',
  'Marković',
  'Đorđević',
  'Horvat',
  'Kovač',
  'Müller',
  'Schmidt',
  'Novak',
  'Rossi',
  'Bianchi',
  'García',
  'Martínez',
  'Dubois',
  'Moreau',
  'Nowak',
  'Kowalski',
  'Popescu',
  'Ionescu',
  'Papadopoulos',
  'Yılmaz',
  'Kaya',
  'Ivanov',
  'Smirnov',
  'Kuznetsov',
  'Ahmed',
  'Hassan',
  'Silva',
  'Santos',
];
const GIVEN = [
  'Marko',
  'Ivan',
  'Ana',
  'Marija',
  'Stefan',
  'Nikola',
  'Jovana',
  'Hans',
  'Anna',
  'Luca',
  'Giulia',
  'José',
  'María',
  'Pierre',
  'Marie',
  'Piotr',
  'Ewa',
  'Andrei',
  'Elena',
  'Giorgos',
  'Mehmet',
  'Ayşe',
  'Sergei',
  'Olga',
  'Omar',
  'Fatima',
  'João',
  'Ana Paula',
  'Milan',
  'Dragan',
];
const SUFFIX = ['', '', '', 'a', 'ić', 'ov', 'ski', 'escu', 'er', 'son'];

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main(): Promise<void> {
  const db = await openMigratedDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: 'memory://' });
  const services = buildServices(db, pino({ level: 'silent' }), { authFailureLimit: 1_000_000 });
  const random = randomOf(Number(process.env.BENCH_SEED ?? 16));
  const pick = <T>(list: readonly T[]) => list[Math.floor(random.uniform() * list.length)]!;
  const exerciseId = (await services.exercises.create('search bench')).id;

  // Records: names from the lists with a suffix now and then, dates of birth, documents and vehicles.
  const started = performance.now();
  const rows = [];
  for (let i = 0; i < RECORDS; i++) {
    const kind = i % 10 < 6 ? 'nominal' : i % 10 < 8 ? 'sltd' : 'smv';
    const data: Record<string, unknown> =
      kind === 'nominal'
        ? {
            familyName: pick(FAMILY) + pick(SUFFIX),
            forename: pick(GIVEN),
            dateOfBirth: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
          }
        : kind === 'sltd'
          ? {
              documentNumber: `P${String(i).padStart(8, '0')}`,
              issuingCountry: 'RS',
              documentType: 'passport',
              lossKind: 'lost',
            }
          : { vin: `WVWZZZ1JZXW${String(i).padStart(6, '0')}`, plate: `B-${i}`, registrationCountry: 'DE' };
    rows.push({ id: randomUUID(), kind, owner: pick(['RS', 'DE', 'FR', 'IT', 'HR']), data, ...keysOf(kind, data) });
  }
  for (let from = 0; from < rows.length; from += 5_000) {
    await db.prisma.$executeRaw`
      INSERT INTO database_records (id, exercise_id, kind, owner_country, data, name_key, birth_date, document_key, vin,
                                    plate_key, template)
      SELECT r.id, ${exerciseId}::uuid, r.kind, r.owner, r.data, r."nameKey", r."birthDate", r."documentKey", r.vin,
             r."plateKey", r.template
        FROM json_to_recordset(${JSON.stringify(rows.slice(from, from + 5_000))}::json)
          AS r(id uuid, kind text, owner text, data jsonb, "nameKey" text, "birthDate" text, "documentKey" text,
               vin text, "plateKey" text, template text)`;
  }
  await db.query('ANALYZE database_records', []);
  const loadSeconds = (performance.now() - started) / 1000;

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
  const kinds = {
    name: (i: number) => ({
      kind: 'name' as const,
      familyName: `${FAMILY[i % 30]!}${i % 7 === 0 ? 'x' : ''}`,
      forename: GIVEN[i % 30]!,
    }),
    document: (i: number) => ({
      kind: 'document' as const,
      documentNumber: `P${String(i * 37).padStart(8, '0')}`,
      issuingCountry: 'RS' as never,
    }),
    vin: (i: number) => ({ kind: 'vin' as const, vin: `WVWZZZ1JZXW${String(i * 41).padStart(6, '0')}` }),
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
        AND r.document_key = ${`RS:P${String(i * 37).padStart(8, '0')}`} AND r.deleted_at IS NULL`,
    vin: (i: number) =>
      db.prisma.$queryRaw`SELECT id FROM database_records r WHERE r.exercise_id = ${exerciseId}::uuid
        AND r.vin = ${`WVWZZZ1JZXW${String(i * 41).padStart(6, '0')}`} AND r.deleted_at IS NULL`,
  };
  console.log(`${RECORDS.toLocaleString('en-GB')} records on ${db.kind} loaded in ${loadSeconds.toFixed(1)} s`);
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
  await db.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
