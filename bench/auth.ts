/**
 * `npx tsx bench/auth.ts`: what authenticating one request costs on PostgreSQL, with and without the
 * identity cache (src/exercises/identity-cache.ts), at BENCH_CONCURRENCY (default 16) callers and
 * BENCH_AUTH_CALLS (default 4000) calls each way. Without it, a token is looked up by its hash joined
 * with its exercise; with it (a hit), the exercise's clock is read by primary key. Uses (and recreates)
 * BENCH_AUTH_DATABASE_URL (default notice_sim_bench_auth on the local server).
 */
import { performance } from 'node:perf_hooks';
import { openMigratedDatabase } from '../src/db/database';
import { inProcessNotifications } from '../src/db/notifications';
import { createExerciseService, type ExerciseService } from '../src/exercises/exercise-service';
import { createExerciseStore } from '../src/exercises/exercise-store';
import { createIdentityCache } from '../src/exercises/identity-cache';
import { withIdentityCache } from '../src/exercises/identity-caching-store';
import { listenForRevocations } from '../src/exercises/revocations';
import { recreateDatabase } from './run';

const databaseUrl = process.env.BENCH_AUTH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/notice_sim_bench_auth';
const concurrency = Number(process.env.BENCH_CONCURRENCY || 16);
const calls = Number(process.env.BENCH_AUTH_CALLS || 4000);

async function measure(label: string, exercises: ExerciseService, tokens: string[]): Promise<void> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < calls) {
      const token = tokens[next++ % tokens.length]!;
      const t0 = performance.now();
      if (!(await exercises.authenticate(token))) throw new Error('a bench token was refused');
      latencies.push(performance.now() - t0);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(2);
  console.log(
    `${label.padEnd(28)} ${String(Math.round(calls / seconds)).padStart(6)} auth/s  p50 ${at(0.5)} ms  p95 ${at(0.95)} ms  (concurrency ${concurrency})`,
  );
}

async function main(): Promise<void> {
  await recreateDatabase(databaseUrl);
  const db = await openMigratedDatabase({ databaseUrl, poolSize: 10 });
  try {
    const store = createExerciseStore(db.prisma);
    const plain = createExerciseService(store);
    const cache = createIdentityCache({ maxEntries: 10_000, ttlMs: 5 * 60_000 });
    const revocations = listenForRevocations(inProcessNotifications(), cache);
    await revocations.ready;
    const cached = createExerciseService(withIdentityCache(store, { cache, revocations }));
    const created = await plain.createWith({
      name: 'auth bench',
      clock: { simEpoch: new Date(), wallAnchor: new Date(), speed: 1, running: true, freezeWhilePaused: true },
      participants: Array.from({ length: 16 }, () => ({ role: 'gs' as const, country: null })),
    });
    const tokens = created.participants.map((p) => p.token);
    // Warm both paths (connections, plans, the cache's entries) before either is timed.
    for (const service of [plain, cached]) for (const token of tokens) await service.authenticate(token);
    for (let round = 1; round <= 2; round++) {
      await measure(`join, no cache (round ${round})`, plain, tokens);
      await measure(`cache hit + clock (round ${round})`, cached, tokens);
    }
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
