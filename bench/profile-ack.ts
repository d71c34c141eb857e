/**
 * `npm run bench:profile`: where the time of one circulation ACKNOWLEDGE goes, end to end. The server
 * runs in a process of its own and is profiled (node:inspector) only while the ACKNOWLEDGEs run; the
 * database's side comes from pg_stat_statements over the same window, and the statements of one event
 * are counted (its round trips). Prints a summary; writes the .cpuprofile (open it in Chrome DevTools or
 * speedscope) to bench/results/.
 *
 * pg_stat_statements must be loaded by the server (`shared_preload_libraries = 'pg_stat_statements'`);
 * without it the database part is left out and the run says so.
 */
import { fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { startBenchServer } from './bench-server';
import pg from 'pg';
import { MEMBER_COUNTRIES } from '../src/countries/member-countries';
import { approve, createApi, createBenchExercise, noticeUnderReview, tokenOf } from './api';
import { mapLimit, runConcurrent } from './measure';
import { readSettings, recreateDatabase } from './run';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

const EVENTS = Number(process.env.BENCH_PROFILE_EVENTS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_PROFILE_CONCURRENCY ?? 16);

/** The server's side: the app, and a CPU profile started and stopped on the parent's word. */
async function serve(): Promise<void> {
  const server = await startBenchServer();
  const session = new Session();
  session.connect();
  let cpuAtStart = process.cpuUsage();
  process.on('message', (message: string) => {
    void (async () => {
      if (message === 'profile:start') {
        cpuAtStart = process.cpuUsage();
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 200 });
        await session.post('Profiler.start');
        process.send?.('profile:started');
      } else if (message === 'profile:stop') {
        const cpu = process.cpuUsage(cpuAtStart);
        const { profile } = await session.post('Profiler.stop');
        process.send?.({ profile, cpuMs: (cpu.user + cpu.system) / 1000 });
      } else if (message === 'stop') {
        await server.stop();
        process.exit(0);
      }
    })();
  });
  process.send?.({ url: server.url });
}

/** Self time by package (or src/ folder) and by function, as shares of the profiled time. */
function summarise(profile: CpuProfile): string {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byPart = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const time = self.get(node.id) ?? 0;
    total += time;
    const { url, functionName, lineNumber } = node.callFrame;
    const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1];
    const part = pkg ?? (url.includes('/src/') ? `src/${url.split('/src/')[1]!.split('/')[0]}` : url ? url.split('/')[0]! : functionName);
    byPart.set(part, (byPart.get(part) ?? 0) + time);
    const fn = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + time);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `  ${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`)
      .join('\n');
  return `self time by part (of ${(total / 1e6).toFixed(1)} s sampled):\n${top(byPart, 18)}\n\nself time by function:\n${top(byFunction, 25)}`;
}

async function main(): Promise<void> {
  const { databaseUrl } = readSettings();
  await recreateDatabase(databaseUrl);
  const child = fork(__filename, ['--serve'], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_SERVER_DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const reply = <T>(pick: (m: unknown) => T | undefined) =>
    new Promise<T>((resolve) => {
      const on = (m: unknown) => {
        const value = pick(m);
        if (value === undefined) return;
        child.off('message', on);
        resolve(value);
      };
      child.on('message', on);
    });
  const url = await reply((m) => (m as { url?: string }).url);
  const api = createApi(url);
  const stats = new pg.Client({ connectionString: databaseUrl });
  await stats.connect();
  try {
    // Enough records that every event is a change of its own: notices × recipients over EVENTS + warm-up.
    const countries = MEMBER_COUNTRIES.slice(0, 1 + Math.ceil((EVENTS + 300) / (2 * CONCURRENCY))).map((c) => c.code);
    if (!countries.includes('MC')) countries.push('MC');
    const ex = await createBenchExercise(api, countries);
    const notices = await mapLimit(Array.from({ length: 2 * CONCURRENCY }), 4, async () => {
      const id = await noticeUnderReview(api, ex, 'MC');
      const res = await approve(api, ex, id);
      if (res.status !== 200) throw new Error(`APPROVE → ${res.status} ${res.text}`);
      return id;
    });
    // Every event a real change on its own record: notice i's record of country c.
    const jobs = countries.filter((c) => c !== 'MC').flatMap((country) => notices.map((noticeId) => ({ noticeId, country })));
    const ack = (j: { noticeId: string; country: string }) =>
      api.post(`/api/notices/${j.noticeId}/circulation/${j.country}/events`, tokenOf(ex, `ncb:${j.country}`), { type: 'ACKNOWLEDGE' });
    // Warm-up, not counted: JIT, the pool's connections, the plans.
    const warm = Math.min(300, Math.floor(jobs.length / 4));
    await runConcurrent(warm, CONCURRENCY, async (i) => void (await ack(jobs[i]!)));
    const measured = jobs.slice(warm, warm + EVENTS);

    let statsOn = true;
    try {
      await stats.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await stats.query('SELECT pg_stat_statements_reset()');
    } catch {
      statsOn = false;
    }
    child.send('profile:start');
    await reply((m) => (m === 'profile:started' ? true : undefined));
    const run = await runConcurrent(measured.length, CONCURRENCY, async (i) => {
      const res = await ack(measured[i]!);
      if (res.status !== 200) throw new Error(`ACKNOWLEDGE → ${res.status}`);
    });
    child.send('profile:stop');
    const { profile, cpuMs } = await reply((m) => ((m as { profile?: CpuProfile }).profile ? (m as { profile: CpuProfile; cpuMs: number }) : undefined));

    const dir = path.join(__dirname, 'results');
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `profile-ack-${new Date().toISOString().slice(0, 10)}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    console.log(
      `${run.ok} ACKNOWLEDGE at concurrency ${CONCURRENCY}: ${run.perSecond.toFixed(0)} ev/s, p50 ${run.p50Ms.toFixed(1)} ms, p95 ${run.p95Ms.toFixed(1)} ms, failed ${run.failed}`,
    );
    // The profiler samples wall time; CPU time says how much of it the server actually ran (profiling included).
    console.log(
      `server CPU: ${(cpuMs / run.ok).toFixed(2)} ms per event (${((100 * cpuMs) / (run.seconds * 1000)).toFixed(0)} % of one core over the run)\n`,
    );
    console.log(summarise(profile));
    if (statsOn) {
      const { rows } = await stats.query<{ query: string; calls: string; mean: number; total: number }>(
        `SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS query, calls, mean_exec_time AS mean, total_exec_time AS total
           FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND query NOT LIKE '%pg_stat_statements%'
          ORDER BY total_exec_time DESC LIMIT 12`,
      );
      const perEvent = rows.reduce((sum, r) => sum + Number(r.calls), 0) / Math.max(1, run.ok);
      console.log(`\npg_stat_statements over the run (${perEvent.toFixed(1)} statements per event, BEGIN/COMMIT included):`);
      for (const r of rows) {
        console.log(`  ${String(r.calls).padStart(7)} calls  ${r.mean.toFixed(3).padStart(7)} ms mean  ${(r.total / 1000).toFixed(2).padStart(6)} s  ${r.query}`);
      }
    } else {
      console.log('\npg_stat_statements is not loaded on this server: the database part is left out');
    }
    console.log(`\nprofile: ${file}`);
  } finally {
    api.close();
    await stats.end();
    child.send('stop');
  }
}

if (process.argv.includes('--serve')) {
  serve().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
