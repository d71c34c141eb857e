/**
 * `npm run bench:profile-approve`: where the time of one APPROVE (a notice's publication) goes, one request
 * at a time as in the bench's APPROVE row. The server runs in a process of its own
 * (bench/profile-server.ts). A first run takes the latency, the server's CPU time per APPROVE and
 * pg_stat_statements (statements per APPROVE: its round trips); a second, profiled through node:inspector,
 * gives the self time by package and function. Writes the .cpuprofile to bench/results/ (not in git).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { MEMBER_COUNTRIES } from '../src/countries/member-countries';
import { approve, createApi, createBenchExercise, noticeUnderReview } from './api';
import { mapLimit, runConcurrent } from './measure';
import { resetStatements, startProfiledServer, statementsReport, summarise } from './profile-server';
import { readSettings, recreateDatabase } from './run';
import { approveSql, approvedWriteOf } from './sql';

const APPROVALS = Number(process.env.BENCH_PROFILE_APPROVALS ?? 200);
const WARMUP = 30;

async function main(): Promise<void> {
  const { databaseUrl } = readSettings();
  await recreateDatabase(databaseUrl);
  const server = await startProfiledServer(databaseUrl);
  const api = createApi(server.url);
  const stats = new pg.Client({ connectionString: databaseUrl });
  await stats.connect();
  try {
    const ex = await createBenchExercise(api, ['MC']);
    const reviews = await mapLimit(Array.from({ length: WARMUP + 2 * APPROVALS }), 4, () => noticeUnderReview(api, ex, 'MC'));
    const forSql = await mapLimit(Array.from({ length: WARMUP + APPROVALS }), 4, () => noticeUnderReview(api, ex, 'MC'));
    const approveAll = (ids: string[]) =>
      runConcurrent(ids.length, 1, async (i) => {
        const res = await approve(api, ex, ids[i]!);
        if (res.status !== 200) throw new Error(`APPROVE → ${res.status} ${res.text.slice(0, 200)}`);
      });
    // Warm-up, not counted: JIT, the pool's connections, the plans.
    await approveAll(reviews.slice(0, WARMUP));

    const statsOn = await resetStatements(stats);
    let timed!: Awaited<ReturnType<typeof approveAll>>;
    const { cpuMs, systemMs } = await server.cpuDuring(async () => {
      timed = await approveAll(reviews.slice(WARMUP, WARMUP + APPROVALS));
    });
    console.log(
      `${timed.ok} APPROVE one at a time: p50 ${timed.p50Ms.toFixed(2)} ms, p95 ${timed.p95Ms.toFixed(2)} ms, failed ${timed.failed} ${JSON.stringify(timed.failures)}`,
    );
    const per = (ms: number) => (ms / Math.max(1, timed.ok)).toFixed(2);
    console.log(`server CPU: ${per(cpuMs)} ms per APPROVE, ${per(systemMs)} ms of it in the kernel (no profiler)\n`);
    if (!statsOn) console.log('pg_stat_statements is not loaded on this server: the database part is left out');
    if (statsOn) console.log(await statementsReport(stats, timed.ok));

    // The mirrored SQL (bench/sql.ts) on the same notices' twins, at the same moment: what the app adds.
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
    try {
      const gs = { tokenHash: '', exerciseId: ex.id, participantId: ex.participants.get('gs')!, role: 'gs' as const, country: null };
      const write = await approvedWriteOf(pool, reviews[WARMUP]!);
      const recipients = MEMBER_COUNTRIES.map((c) => c.code).filter((c) => c !== 'MC');
      const sqlAll = (ids: string[]) => runConcurrent(ids.length, 1, (i) => approveSql(pool, gs, ids[i]!, write, recipients));
      await sqlAll(forSql.slice(0, WARMUP));
      const sql = await sqlAll(forSql.slice(WARMUP));
      console.log(`\nmirrored SQL (bench/sql.ts): ${sql.ok} APPROVE, p50 ${sql.p50Ms.toFixed(2)} ms, p95 ${sql.p95Ms.toFixed(2)} ms, failed ${sql.failed} ${JSON.stringify(sql.failures)}`);
    } finally {
      await pool.end();
    }

    let profiled!: Awaited<ReturnType<typeof approveAll>>;
    const { profile, cpuMs: profiledCpuMs } = await server.profileDuring(async () => {
      profiled = await approveAll(reviews.slice(WARMUP + APPROVALS));
    });
    const dir = path.join(__dirname, 'results');
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `profile-approve-${new Date().toISOString().slice(0, 10)}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    console.log(
      `\nprofiled: ${profiled.ok} APPROVE, p50 ${profiled.p50Ms.toFixed(2)} ms, server CPU ${(profiledCpuMs / Math.max(1, profiled.ok)).toFixed(2)} ms per APPROVE (profiler included)\n`,
    );
    console.log(summarise(profile));
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
