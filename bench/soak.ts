/**
 * `npm run bench:soak`: the server's memory over a long steady run (issue 14, target 5). Workers drive
 * whole notice lifecycles through the HTTP API (create, SUBMIT, START_REVIEW, APPROVE,
 * then ACKNOWLEDGE by a few recipients), so the data grows as in use. After `BENCH_SOAK_WARMUP_SECONDS`
 * and then every `BENCH_SOAK_SAMPLE_SECONDS` until `BENCH_SOAK_SECONDS` more have passed, the load stops
 * for a moment and the server process reports RSS and heap used after a forced GC (over the bench's IPC
 * channel, bench/server-process.ts). The goal: both differ by < 10 % between the warm-up's end and the end.
 */
import { Pool } from 'pg';
import { MEMBER_COUNTRIES } from '../src/countries/member-countries';
import {
  approve,
  createApi,
  createBenchExercise,
  noticeUnderReview,
  tokenOf,
  type Api,
  type BenchExercise,
} from './api';
import { f, machineLine, mib, table, writeJson } from './report';
import { machineInfo, readSettings, recreateDatabase } from './run';
import { startServerProcess, type MemorySample } from './server-process';

const REQUESTER = 'MC';
/** Recipients that acknowledge each published notice: a few events per lifecycle beside its four. */
const ACKNOWLEDGERS = MEMBER_COUNTRIES.map((c) => c.code)
  .filter((c) => c !== REQUESTER)
  .slice(0, 8);
export const SOAK_TARGET_PERCENT = 10;

function seconds(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw ? Number(raw) : fallback;
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number of seconds (got ${raw})`);
  return n;
}

const progress = (message: string) => process.stderr.write(`bench:soak: ${message}\n`);

/** One notice's life: four requests to publish it, then one ACKNOWLEDGE per acknowledger; counts the requests. */
async function lifecycle(api: Api, ex: BenchExercise): Promise<number> {
  const id = await noticeUnderReview(api, ex, REQUESTER);
  const res = await approve(api, ex, id);
  if (res.status !== 200) throw new Error(`APPROVE → ${res.status} ${res.text.slice(0, 200)}`);
  for (const country of ACKNOWLEDGERS) {
    await api.expect(200, `/api/notices/${id}/circulation/${country}/events`, tokenOf(ex, `ncb:${country}`), {
      type: 'ACKNOWLEDGE',
    });
  }
  return 4 + ACKNOWLEDGERS.length;
}

/** Runs `concurrency` workers over the exercises for `forSeconds`, then waits for the lifecycles in flight. */
async function drive(api: Api, exercises: BenchExercise[], concurrency: number, forSeconds: number) {
  const until = performance.now() + forSeconds * 1000;
  let requests = 0;
  const failures: Record<string, number> = {};
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      while (performance.now() < until) {
        try {
          // Awaited first: `requests += await …` would read the total before the wait and lose the other workers' counts.
          const sent = await lifecycle(api, exercises[w % exercises.length]!);
          requests += sent;
        } catch (error) {
          const key = error instanceof Error ? error.message.slice(0, 120) : String(error);
          failures[key] = (failures[key] ?? 0) + 1;
        }
      }
    }),
  );
  return { requests, failures };
}

interface Sample {
  atSeconds: number;
  requests: number;
  requestsPerSecond: number;
  memory: MemorySample;
}

async function main(): Promise<void> {
  const settings = readSettings();
  const warmupSeconds = seconds('BENCH_SOAK_WARMUP_SECONDS', 30);
  const soakSeconds = seconds('BENCH_SOAK_SECONDS', 300);
  const sampleSeconds = seconds('BENCH_SOAK_SAMPLE_SECONDS', 60);
  const concurrency = seconds('BENCH_SOAK_CONCURRENCY', 8);
  const exerciseCount = seconds('BENCH_SOAK_EXERCISES', 2);

  progress(`recreating ${new URL(settings.databaseUrl).pathname.slice(1)}`);
  await recreateDatabase(settings.databaseUrl);
  const server = await startServerProcess(settings.databaseUrl);
  const api = createApi(server.url);
  const pool = new Pool({ connectionString: settings.databaseUrl, max: 1 });
  try {
    const exercises: BenchExercise[] = [];
    for (let i = 0; i < exerciseCount; i++)
      exercises.push(
        await createBenchExercise(
          api,
          MEMBER_COUNTRIES.map((c) => c.code),
        ),
      );
    const samples: Sample[] = [];
    const failures: Record<string, number> = {};
    const started = performance.now();
    let total = 0;
    const phase = async (forSeconds: number) => {
      const t0 = performance.now();
      const run = await drive(api, exercises, concurrency, forSeconds);
      for (const [k, n] of Object.entries(run.failures)) failures[k] = (failures[k] ?? 0) + n;
      total += run.requests;
      const sample = {
        atSeconds: (performance.now() - started) / 1000,
        requests: total,
        requestsPerSecond: run.requests / ((performance.now() - t0) / 1000),
        memory: await server.memory(),
      };
      samples.push(sample);
      progress(
        `${f(sample.atSeconds, 0)} s: ${total} requests, RSS ${mib(sample.memory.rss)}, heap used ${mib(sample.memory.heapUsed)}`,
      );
    };
    progress(`warming up for ${warmupSeconds} s at concurrency ${concurrency} over ${exerciseCount} exercises`);
    await phase(warmupSeconds);
    for (let left = soakSeconds; left > 0; left -= sampleSeconds) await phase(Math.min(sampleSeconds, left));

    const first = samples[0]!.memory;
    const last = samples[samples.length - 1]!.memory;
    const change = (pick: (m: MemorySample) => number) => (100 * (pick(last) - pick(first))) / pick(first);
    const rssChange = change((m) => m.rss);
    const heapChange = change((m) => m.heapUsed);
    const targetMet = Math.abs(rssChange) < SOAK_TARGET_PERCENT && Math.abs(heapChange) < SOAK_TARGET_PERCENT;
    const machine = await machineInfo(pool);
    const results = {
      generatedAt: new Date().toISOString(),
      machine,
      settings: {
        warmupSeconds,
        soakSeconds,
        sampleSeconds,
        concurrency,
        exercises: exerciseCount,
        acknowledgersPerNotice: ACKNOWLEDGERS.length,
      },
      samples,
      rssChangePercent: rssChange,
      heapUsedChangePercent: heapChange,
      targetMet,
      failures,
    };
    console.log(
      [
        `notice-simulator soak, ${results.generatedAt}`,
        machineLine(machine),
        `settings: ${Object.entries(results.settings)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(', ')}`,
        '',
        table([
          ['at s', 'requests', 'req/s', 'RSS', 'heap used', 'heap total', 'external'],
          ...samples.map((s, i) => [
            `${f(s.atSeconds, 0)}${i === 0 ? ' (warm-up end)' : ''}`,
            String(s.requests),
            f(s.requestsPerSecond),
            mib(s.memory.rss),
            mib(s.memory.heapUsed),
            mib(s.memory.heapTotal),
            mib(s.memory.external),
          ]),
        ]),
        ...Object.entries(failures).map(([message, n]) => `  ! ${n} × ${message}`),
        '',
        `after a forced GC, warm-up end → end: RSS ${f(rssChange)} %, heap used ${f(heapChange)} % ` +
          `(target: both within ${SOAK_TARGET_PERCENT} %: ${targetMet ? 'met' : 'NOT met'})`,
      ].join('\n'),
    );
    progress(`wrote ${(await writeJson(results, 'soak-')).join(' and ')}`);
  } finally {
    api.close();
    await pool.end();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
