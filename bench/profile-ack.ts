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
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { MEMBER_COUNTRIES } from '../src/countries/member-countries';
import { approve, createApi, createBenchExercise, noticeUnderReview, tokenOf } from './api';
import { mapLimit, runConcurrent } from './measure';
import { resetStatements, startProfiledServer, statementsReport, summarise } from './profile-server';
import { readSettings, recreateDatabase } from './run';

const EVENTS = Number(process.env.BENCH_PROFILE_EVENTS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_PROFILE_CONCURRENCY ?? 16);

async function main(): Promise<void> {
  const { databaseUrl } = readSettings();
  await recreateDatabase(databaseUrl);
  const server = await startProfiledServer(databaseUrl);
  const api = createApi(server.url);
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

    const statsOn = await resetStatements(stats);
    let run!: Awaited<ReturnType<typeof runConcurrent>>;
    const { profile, cpuMs } = await server.profileDuring(async () => {
      run = await runConcurrent(measured.length, CONCURRENCY, async (i) => {
        const res = await ack(measured[i]!);
        if (res.status !== 200) throw new Error(`ACKNOWLEDGE → ${res.status}`);
      });
    });

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
    console.log(
      statsOn
        ? `\n${await statementsReport(stats, run.ok)}`
        : '\npg_stat_statements is not loaded on this server: the database part is left out',
    );
    console.log(`\nprofile: ${file}`);
  } finally {
    api.close();
    await stats.end();
    server.send('stop');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
