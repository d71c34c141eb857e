/**
 * `npm run bench`: event throughput (one exercise, then ten at once) and APPROVE latency through the
 * real HTTP API on PostgreSQL, each beside a baseline sent directly with `pg`. See bench/README.md.
 * Progress goes to stderr, the one table to stdout, the figures to bench/results/<date>.json.
 */
import os from 'node:os';
import { Pool, Client } from 'pg';
import { MEMBER_COUNTRIES } from '../src/countries/member-countries';
import { hashToken } from '../src/exercises/tokens';
import { startServerProcess } from './server-process';
import {
  approve,
  createApi,
  createBenchExercise,
  noticeUnderReview,
  tokenOf,
  type Api,
  type BenchExercise,
} from './api';
import { mapLimit, runConcurrent, runShared, spreadWorkers, type RunResult } from './measure';
import {
  APPROVE_TARGET_MS,
  EXERCISES_TARGET,
  THROUGHPUT_TARGET,
  formatReport,
  writeJson,
  type ExercisesResult,
  type Results,
  type ThroughputLevel,
} from './report';
import { fixedEvent, prepareFixed } from './fixed-baseline';
import { acknowledgeSql, approveSql, approvedWriteOf, type SqlActor } from './sql';

/** The app's PostgreSQL pool size (openDatabase's default, which start() uses); the baseline gets the same. */
const APP_POOL_SIZE = 10;
const REQUESTER = 'MC';
const RECIPIENTS = MEMBER_COUNTRIES.map((c) => c.code).filter((c) => c !== REQUESTER);

export interface Settings {
  databaseUrl: string;
  concurrency: number[];
  events: number;
  approvals: number;
  warmupEvents: number;
  warmupApprovals: number;
  /** A measured run stops taking new jobs after this long. */
  runSeconds: number;
  /** The whole benchmark is killed after this long, whatever it is doing. */
  maxSeconds: number;
  /** Exercises driven at once in the many-exercise run, and its total concurrency. */
  exercises: number;
  exercisesConcurrency: number;
  /** Server processes (the app's WORKERS); above 1, a row on one process is measured first, for comparison. */
  workers: number;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer (got ${raw})`);
  return n;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const levels = (env.BENCH_CONCURRENCY || '1,4,16').split(',').map((s) => Number(s.trim()));
  if (levels.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`BENCH_CONCURRENCY must list positive integers (got ${env.BENCH_CONCURRENCY})`);
  return {
    databaseUrl: env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/notice_sim_bench',
    concurrency: levels,
    events: positiveInt(env, 'BENCH_EVENTS', 2000),
    approvals: positiveInt(env, 'BENCH_APPROVALS', 200),
    warmupEvents: positiveInt(env, 'BENCH_WARMUP_EVENTS', 300),
    warmupApprovals: positiveInt(env, 'BENCH_WARMUP_APPROVALS', 20),
    runSeconds: positiveInt(env, 'BENCH_RUN_SECONDS', 60),
    maxSeconds: positiveInt(env, 'BENCH_MAX_SECONDS', 900),
    exercises: positiveInt(env, 'BENCH_EXERCISES', 10),
    exercisesConcurrency: positiveInt(env, 'BENCH_EXERCISES_CONCURRENCY', Math.max(...levels)),
    // What `WORKERS=auto` gives on PostgreSQL: a process per core.
    workers: positiveInt(env, 'BENCH_WORKERS', os.availableParallelism()),
  };
}

const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);

/** Drops and recreates the benchmark database from the same server's `postgres` database, so every run starts empty. */
export async function recreateDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^\w+$/.test(name)) throw new Error(`refusing to drop database ${JSON.stringify(name)}: use a plain name`);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
}

interface Ack {
  noticeId: string;
  country: string;
}

/**
 * Publishes enough notices for `events` acknowledgements and lists one record per event, round-robin
 * over at least `spread` notices: each ACKNOWLEDGE takes its notice's row lock (history seq), so events
 * in flight together should mostly be on different notices, or the run measures queueing on one row.
 */
async function prepareAcks(api: Api, ex: BenchExercise, events: number, spread: number): Promise<Ack[]> {
  const notices = Math.max(spread, Math.ceil(events / RECIPIENTS.length));
  const ids = await mapLimit(Array.from({ length: notices }), 4, async () => {
    const id = await noticeUnderReview(api, ex, REQUESTER);
    const res = await approve(api, ex, id);
    if (res.status !== 200) throw new Error(`setup APPROVE → ${res.status} ${res.text}`);
    return id;
  });
  return Array.from({ length: events }, (_, i) => ({
    noticeId: ids[i % notices]!,
    country: RECIPIENTS[Math.floor(i / notices)]!,
  }));
}

function prepareReviews(api: Api, ex: BenchExercise, count: number): Promise<string[]> {
  return mapLimit(Array.from({ length: count }), 4, () => noticeUnderReview(api, ex, REQUESTER));
}

/** Throws on anything but 200, with the error code, so failures are counted and named rather than timed. */
async function expectOk(pending: Promise<{ status: number; text: string }>): Promise<void> {
  const res = await pending;
  if (res.status !== 200) {
    const code = /"code":"(\w+)"/.exec(res.text)?.[1] ?? '';
    throw new Error(`HTTP ${res.status} ${code}`.trim());
  }
}

/** Acknowledgements of one exercise among many: its warm-up's and its measured run's. */
interface ExerciseAcks {
  ex: BenchExercise;
  workers: number;
  warm: Ack[];
  measured: Ack[];
}

export async function machineInfo(pool: Pool): Promise<Results['machine']> {
  const cpus = os.cpus();
  const { rows } = await pool.query<{ server_version: string }>('SHOW server_version');
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: os.totalmem() / 2 ** 30,
    os: `${os.platform()} ${os.release()}`,
    node: process.version,
    postgres: rows[0]?.server_version ?? 'unknown',
  };
}

export async function main(settings: Settings = readSettings()): Promise<Results> {
  const watchdog = setTimeout(() => {
    progress(`gave up after BENCH_MAX_SECONDS=${settings.maxSeconds}`);
    process.exit(2);
  }, settings.maxSeconds * 1000);
  watchdog.unref();

  progress(`recreating ${new URL(settings.databaseUrl).pathname.slice(1)}`);
  await recreateDatabase(settings.databaseUrl);
  // Set up through one process; with several, the one-process row runs on it before the restart.
  let server = await startServerProcess(settings.databaseUrl, 1);
  let api = createApi(server.url);
  const pool = new Pool({ connectionString: settings.databaseUrl, max: APP_POOL_SIZE });
  try {
    progress(`server at ${server.url}; creating the exercise and ${MEMBER_COUNTRIES.length} ncb participants`);
    const ex = await createBenchExercise(
      api,
      MEMBER_COUNTRIES.map((c) => c.code),
    );
    const actor = (key: string, role: SqlActor['role'], country: string | null): SqlActor => ({
      tokenHash: hashToken(tokenOf(ex, key)),
      exerciseId: ex.id,
      participantId: ex.participants.get(key)!,
      role,
      country,
    });
    const ncbActors = new Map(RECIPIENTS.map((c) => [c, actor(`ncb:${c}`, 'ncb', c)]));
    const gsActor = actor('gs', 'gs', null);

    // Every row either side will touch is made up front through the API, so both sides find the same data.
    const spread = 2 * Math.max(...settings.concurrency);
    progress('publishing notices for the throughput runs');
    const warmAcks = {
      http: await prepareAcks(api, ex, settings.warmupEvents, spread),
      sql: await prepareAcks(api, ex, settings.warmupEvents, spread),
    };
    const levelAcks: { http: Ack[]; sql: Ack[] }[] = [];
    for (let i = 0; i < settings.concurrency.length; i++) {
      levelAcks.push({
        http: await prepareAcks(api, ex, settings.events, spread),
        sql: await prepareAcks(api, ex, settings.events, spread),
      });
    }
    // The many-exercise run: each exercise its own participants and notices. Any one of them may be
    // given every event of the run, so each has records for all of them (no party runs dry first).
    progress(`creating ${settings.exercises} more exercises for the many-exercise run`);
    const workers = spreadWorkers(settings.exercisesConcurrency, settings.exercises);
    const many: ExerciseAcks[] = await mapLimit(workers, 2, async (w) => {
      const other = await createBenchExercise(
        api,
        MEMBER_COUNTRIES.map((c) => c.code),
      );
      const manySpread = 2 * Math.max(...workers);
      return {
        ex: other,
        workers: w,
        warm: await prepareAcks(api, other, Math.ceil(settings.warmupEvents / 2), manySpread),
        measured: await prepareAcks(api, other, settings.events, manySpread),
      };
    });
    const oneProcessAcks =
      settings.workers > 1
        ? {
            warm: await prepareAcks(api, ex, settings.warmupEvents, spread),
            measured: await prepareAcks(api, ex, settings.events, spread),
          }
        : null;
    progress('creating notices under review for the APPROVE runs');
    const reviews = {
      warmHttp: await prepareReviews(api, ex, settings.warmupApprovals),
      warmSql: await prepareReviews(api, ex, settings.warmupApprovals),
      http: await prepareReviews(api, ex, settings.approvals),
      sql: await prepareReviews(api, ex, settings.approvals),
    };
    // The fixed baseline's notices carry the snapshot of a notice the API published (its row size).
    const publishedSnapshot = (
      await pool.query<{ snapshot: unknown }>('SELECT snapshot FROM notices WHERE id = $1', [
        warmAcks.http[0]!.noticeId,
      ])
    ).rows[0]!.snapshot;
    const fixedIds = await prepareFixed(pool, spread, publishedSnapshot);
    // Fresh statistics, and no checkpoint of the setup's writes landing inside a measured run.
    await pool.query('ANALYZE');
    await pool.query('CHECKPOINT').catch(() => progress('CHECKPOINT refused (not superuser); continuing'));

    const httpAck =
      (acks: Ack[], on: BenchExercise = ex) =>
      (i: number) => {
        const a = acks[i];
        if (!a) return Promise.reject(new Error('no record left to acknowledge'));
        return expectOk(
          api.post(`/api/notices/${a.noticeId}/circulation/${a.country}/events`, tokenOf(on, `ncb:${a.country}`), {
            type: 'ACKNOWLEDGE',
          }),
        );
      };
    const sqlAck = (acks: Ack[]) => (i: number) => {
      const a = acks[i]!;
      return acknowledgeSql(pool, ncbActors.get(a.country)!, a.noticeId, a.country);
    };
    const fixedAck = (i: number) => fixedEvent(pool, fixedIds[i % fixedIds.length]!);
    const runAcks = (job: (i: number) => Promise<void>, n: number, c: number) =>
      runConcurrent(n, c, job, settings.runSeconds);
    const maxLevel = Math.max(...settings.concurrency);

    let oneProcess: RunResult | null = null;
    let oneProcessWarm: RunResult | null = null;
    if (oneProcessAcks) {
      progress(`one process: warming up, then throughput at concurrency ${maxLevel}`);
      oneProcessWarm = await runAcks(httpAck(oneProcessAcks.warm), settings.warmupEvents, maxLevel);
      oneProcess = await runAcks(httpAck(oneProcessAcks.measured), settings.events, maxLevel);
      api.close();
      await server.stop();
      server = await startServerProcess(settings.databaseUrl, settings.workers);
      api = createApi(server.url);
      progress(`restarted the server as ${settings.workers} processes at ${server.url}`);
    }

    progress('warming up');
    const warm: RunResult[] = [
      await runAcks(httpAck(warmAcks.http), settings.warmupEvents, maxLevel),
      await runAcks(sqlAck(warmAcks.sql), settings.warmupEvents, maxLevel),
      await runAcks(fixedAck, settings.warmupEvents, maxLevel),
      await runShared(
        many.map((m) => ({ workers: m.workers, job: httpAck(m.warm, m.ex) })),
        Math.ceil(settings.warmupEvents / 2),
        settings.runSeconds,
      ),
    ];
    const memoryAfterWarmup = await server.memory();

    const throughput: ThroughputLevel[] = [];
    for (const [i, concurrency] of settings.concurrency.entries()) {
      progress(`throughput at concurrency ${concurrency}`);
      const acks = levelAcks[i]!;
      const http = await runAcks(httpAck(acks.http), settings.events, concurrency);
      const sql = await runAcks(sqlAck(acks.sql), settings.events, concurrency);
      const fixed = await runAcks(fixedAck, settings.events, concurrency);
      const ratio = http.perSecond / sql.perSecond;
      const fixedRatio = http.perSecond / fixed.perSecond;
      const targeted = concurrency === THROUGHPUT_TARGET.concurrency;
      const targetMet = targeted
        ? http.perSecond >= THROUGHPUT_TARGET.eventsPerSecond && fixedRatio >= THROUGHPUT_TARGET.fixedRatio
        : null;
      throughput.push({ concurrency, http, sql, ratio, fixed, fixedRatio, targetMet });
    }

    progress(`${settings.exercises} exercises at once, total concurrency ${settings.exercisesConcurrency}`);
    const manyRun = await runShared(
      many.map((m) => ({ workers: m.workers, job: httpAck(m.measured, m.ex) })),
      settings.events,
      settings.runSeconds,
    );
    const sameLevel = throughput.find((t) => t.concurrency === settings.exercisesConcurrency);
    // A fair share is the exercise's part of the workers (16 over 10: 2/16 or 1/16 of the total).
    const shareOfFair = manyRun.okByParty.map(
      (ok, i) => ok / ((manyRun.ok * workers[i]!) / settings.exercisesConcurrency),
    );
    const oneExercisePerSecond = sameLevel?.http.perSecond ?? Number.NaN;
    const exercises: ExercisesResult = {
      exercises: settings.exercises,
      concurrency: settings.exercisesConcurrency,
      workers,
      http: manyRun,
      fixedPerSecond: sameLevel?.fixed.perSecond ?? Number.NaN,
      oneExercisePerSecond,
      ratio: manyRun.perSecond / oneExercisePerSecond,
      shareOfFair,
      minShareOfFair: Math.min(...shareOfFair),
      targetMet:
        manyRun.perSecond >= EXERCISES_TARGET.totalRatio * oneExercisePerSecond &&
        Math.min(...shareOfFair) >= EXERCISES_TARGET.minShareOfFair,
    };

    progress('APPROVE, one at a time');
    const httpApprove = (ids: string[]) => (i: number) => expectOk(approve(api, ex, ids[i]!));
    await runConcurrent(reviews.warmHttp.length, 1, httpApprove(reviews.warmHttp), settings.runSeconds);
    const httpApproval = await runConcurrent(reviews.http.length, 1, httpApprove(reviews.http), settings.runSeconds);
    // The baseline writes exactly what the API wrote on a notice it approved: same snapshot, same sizes.
    const write = await approvedWriteOf(pool, reviews.http[0]!);
    const sqlApprove = (ids: string[]) => (i: number) => approveSql(pool, gsActor, ids[i]!, write, RECIPIENTS);
    await runConcurrent(reviews.warmSql.length, 1, sqlApprove(reviews.warmSql), settings.runSeconds);
    const sqlApproval = await runConcurrent(reviews.sql.length, 1, sqlApprove(reviews.sql), settings.runSeconds);

    const oneProcessRuns = oneProcess && oneProcessWarm ? [oneProcess, oneProcessWarm] : [];
    const counted = [
      warm[0]!,
      warm[1]!,
      warm[3]!,
      manyRun,
      ...oneProcessRuns,
      ...throughput.flatMap((t) => [t.http, t.sql]),
    ].reduce((sum, r) => sum + r.ok, 0);
    const memoryAtEnd = await server.memory();
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM circulation_records WHERE state = 'acknowledged'`,
    );

    const results: Results = {
      generatedAt: new Date().toISOString(),
      machine: await machineInfo(pool),
      settings: {
        database: new URL(settings.databaseUrl).pathname.slice(1),
        concurrency: settings.concurrency.join('/'),
        events: settings.events,
        approvals: settings.approvals,
        warmupEvents: settings.warmupEvents,
        warmupApprovals: settings.warmupApprovals,
        poolSize: APP_POOL_SIZE,
        recipients: RECIPIENTS.length,
        noticesPerRun: Math.max(spread, Math.ceil(settings.events / RECIPIENTS.length)),
        exercises: settings.exercises,
        exercisesConcurrency: settings.exercisesConcurrency,
        processes: settings.workers,
      },
      throughput,
      oneProcess: oneProcess && {
        concurrency: maxLevel,
        http: oneProcess,
        fixedRatio: oneProcess.perSecond / (throughput.find((t) => t.concurrency === maxLevel)?.fixed.perSecond ?? NaN),
      },
      exercises,
      approve: {
        http: httpApproval,
        sql: sqlApproval,
        ratio: httpApproval.p50Ms / sqlApproval.p50Ms,
        targetMet: httpApproval.p50Ms < APPROVE_TARGET_MS,
      },
      memory: { afterWarmup: memoryAfterWarmup, end: memoryAtEnd },
      sanity: { acknowledgedExpected: counted, acknowledgedInDatabase: Number(rows[0]?.n ?? 0) },
    };
    console.log(formatReport(results));
    progress(`wrote ${(await writeJson(results)).join(' and ')}`);
    return results;
  } finally {
    api.close();
    await pool.end();
    await server.stop();
    clearTimeout(watchdog);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
