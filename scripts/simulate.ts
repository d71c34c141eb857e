/**
 * `npm run simulate -- [MODEL] [--years 1] [--replications 20] [--seed 42] [--out DIR] [--set path=value]...`
 *
 * Runs the world simulation (src/simulation): MODEL is a shipped model's name (default interpol-2024) or
 * a YAML or JSON file; `--set review.reviewers.value=42` or `--set review.reviewers=42` changes one
 * parameter (marked assumed, "overridden"). Replications run on worker threads with a progress bar, or,
 * with --queue and DATABASE_URL, as pg-boss jobs in that database for `npm run simulate:worker` processes
 * anywhere; DIR/result.json and DIR/report.html are written at the end. With --persist, the first
 * replication's period is written into the database as an exercise (DATABASE_URL, else the embedded PGlite
 * in --data-dir, by default the server's ./data), for the dashboard and the debrief.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import pino from 'pino';
import { DataDirInUseError } from '../src/db/data-dir-lock';
import { openMigratedDatabase } from '../src/db/database';
import { bulkTimeouts } from '../src/db/database-timeouts';
import { buildServices } from '../src/server';
import { persistReplication } from '../src/simulation/persist';
import type { Model } from '../src/simulation/model';
import { comparePublished } from '../src/simulation/calibration';
import { SHIPPED_MODELS, parseModel, shippedModelText } from '../src/simulation/model';
import { simulateQueued } from '../src/simulation/replication-queue';
import { simulate } from '../src/simulation/simulate';
import { renderSimulationReport } from '../src/simulation/simulation-report';

const USAGE =
  'usage: npm run simulate -- [MODEL.yaml | ' +
  `${SHIPPED_MODELS.join(' | ')}] [--years 1] [--replications 20] [--seed 42] [--out DIR] [--threads N] ` +
  '[--set path=value]... [--queue (with DATABASE_URL)] [--persist [--data-dir DIR]]';

/** `a.b.c=v` as `{ a: { b: { c: v } } }`, v read as JSON when it is JSON (numbers, objects) and as text otherwise. */
function overridesOf(sets: string[]): Record<string, unknown> | string {
  const root: Record<string, unknown> = {};
  for (const set of sets) {
    const eq = set.indexOf('=');
    if (eq < 1) return `--set ${set}: give path=value`;
    const keys = set
      .slice(0, eq)
      .split('.')
      .filter((k) => k !== 'value');
    const text = set.slice(eq + 1);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // Text, as it is.
    }
    let node = root;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]!] = value;
  }
  return root;
}

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--${name} must be a whole number of at least 1, not ${text}`);
  return n;
}

class UsageError extends Error {}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      years: { type: 'string' },
      replications: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      threads: { type: 'string' },
      set: { type: 'string', multiple: true },
      queue: { type: 'boolean' },
      persist: { type: 'boolean' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length > 1) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const years = positiveInteger('years', values.years, 1);
  const replications = positiveInteger('replications', values.replications, 20);
  const threads = values.threads === undefined ? undefined : positiveInteger('threads', values.threads, 1);
  const seed = values.seed === undefined ? 42 : Number(values.seed);
  if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed must be a whole number, not ${values.seed}`);
  const databaseUrl = process.env.DATABASE_URL;
  if (values.queue && !databaseUrl)
    throw new UsageError('--queue sends the replications to PostgreSQL: set DATABASE_URL');
  const source = positionals[0] ?? 'interpol-2024';
  const shipped = shippedModelText(source);
  const text = shipped ?? (await readFile(source, 'utf8').catch(() => null));
  if (text === null)
    throw new UsageError(`${source} is neither a shipped model (${SHIPPED_MODELS.join(', ')}) nor a file`);
  const overrides = overridesOf(values.set ?? []);
  if (typeof overrides === 'string') throw new UsageError(overrides);
  const parsed = parseModel(text, values.set?.length ? overrides : undefined);
  if (!parsed.ok) {
    for (const p of parsed.problems) console.error(`${source}: ${p.field}: ${p.message}`);
    return 1;
  }
  const modelName = shipped !== null ? source : path.basename(source).replace(/\.(ya?ml|json)$/, '');
  const out = values.out ?? path.join('simulation-results', `${modelName}-seed${seed}`);

  console.error(
    `${modelName}: ${replications} replication(s) of ${years} year(s) after the warm-up, seed ${seed}` +
      (values.queue ? ', queued in the database for npm run simulate:worker' : ''),
  );
  const bar = new SingleBar({
    format: 'replications [{bar}] {value}/{total} · {duration_formatted} elapsed · about {eta_formatted} left',
    hideCursor: true,
    stream: process.stderr,
    // Without a terminal (CI, a log): a line every 5 s instead of redrawing one.
    noTTYOutput: true,
    notTTYSchedule: 5_000,
  });
  bar.start(replications, 0);
  const spec = { model: parsed.model, modelName, years, seed, replications };
  const onProgress = (done: number) => bar.update(done);
  const result = await (
    values.queue
      ? simulateQueued(spec, { databaseUrl: databaseUrl!, onProgress, onError: (e) => console.error(e.message) })
      : simulate(spec, { threads, onProgress })
  ).finally(() => bar.stop());

  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(path.join(out, 'report.html'), await renderSimulationReport(result));
  for (const c of comparePublished(result)) {
    const mark = c.within === null ? ' ' : c.within ? '✓' : '✗';
    console.log(
      `${mark} ${c.label}: published ${c.published.toLocaleString('en-GB')}, simulated ` +
        `${Math.round(c.simulated.mean).toLocaleString('en-GB')} (${(c.deviation * 100).toFixed(1)} %)`,
    );
  }
  console.log(
    `wrote ${path.join(out, 'result.json')} and ${path.join(out, 'report.html')} in ${result.timings.wallSeconds.toFixed(1)} s`,
  );
  if (values.persist) await persist({ model: parsed.model, modelName, years, seed }, values['data-dir']);
  return 0;
}

/** Writes the first replication's period into the database as an exercise, and says how to open it. */
async function persist(spec: { model: Model; modelName: string; years: number; seed: number }, dataDir?: string) {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dir = path.resolve(dataDir ?? process.env.DATA_DIR ?? './data');
  console.error(`persisting replication 1 into ${databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${dir}`}`);
  // PGlite answers in this thread: while it works, Node's loop may hold nothing else and would end the
  // process with the write half done. A timer keeps it open (the server does the same at its start).
  const holding = setInterval(() => {}, 60_000);
  const db = await openMigratedDatabase({ databaseUrl, dataDir: dir, timeouts: bulkTimeouts() });
  try {
    const services = buildServices(db, pino({ level: 'silent' }), { authFailureLimit: 20 });
    const bar = new SingleBar({
      format: 'rows [{bar}] {value}/{total} · {duration_formatted} elapsed',
      hideCursor: true,
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 5_000,
    });
    bar.start(1, 0);
    // Ctrl-C while writing (it may come twice: tsx passes it on too): the batch under way ends, the exercise
    // is taken out again, and nothing is kept.
    let interrupted = false;
    const interrupt = () => (interrupted = true);
    process.on('SIGINT', interrupt);
    const persisted = await persistReplication({ prisma: db.prisma, exercises: services.exercises }, spec, {
      writers: db.kind === 'postgres' ? 3 : 1,
      checkpoints: db.kind === 'pglite',
      onProgress: (written, total) => {
        if (interrupted) throw new Interrupted();
        bar.setTotal(total);
        bar.update(written);
      },
    }).finally(() => {
      bar.stop();
      process.off('SIGINT', interrupt);
    });
    const { exercise, seconds } = persisted;
    console.log(
      `persisted ${persisted.notices.toLocaleString('en-GB')} notices, ${persisted.events.toLocaleString('en-GB')} ` +
        `history entries and ${persisted.records.toLocaleString('en-GB')} circulation records as exercise ` +
        `${exercise.exercise.id} (simulated in ${seconds.simulate.toFixed(1)} s, written in ${seconds.write.toFixed(1)} s)`,
    );
    console.log(
      `  "${exercise.exercise.name}": open the dashboard (npm start) with the facilitator token ${exercise.facilitatorToken}`,
    );
  } finally {
    await db.close();
    clearInterval(holding);
  }
}

class Interrupted extends Error {
  constructor() {
    super('interrupted: the exercise was taken out again, nothing of it is kept');
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // A server (or another run) owns the data directory: the message names it and says what to do.
    if (error instanceof DataDirInUseError) {
      console.error(error.message);
      process.exit(3);
    }
    if (error instanceof Interrupted) {
      console.error(error.message);
      process.exit(130);
    }
    console.error(error instanceof UsageError ? `${error.message}\n${USAGE}` : error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
