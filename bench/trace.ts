/**
 * `npx tsx bench/trace.ts`: prints the SQL the app sends for one APPROVE and one circulation
 * ACKNOWLEDGE, to compare with bench/sql.ts, whose baseline is only fair while it matches.
 * Uses (and recreates) BENCH_DATABASE_URL, like the benchmark.
 */
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config/config';
import { start } from '../src/server';
import { approve, createApi, createBenchExercise, noticeUnderReview, tokenOf } from './api';
import { readSettings, recreateDatabase } from './run';

/** Records every statement pg sends while `recording` is on: Prisma's adapter goes through pg.Client#query too. */
function tapQueries(): { statements: string[]; recording: boolean } {
  const tap = { statements: [] as string[], recording: false };
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const q = args[0] as string | { text: string; values?: unknown[] };
    if (tap.recording) {
      const text = typeof q === 'string' ? q : q.text;
      const values = typeof q === 'string' ? ((args[1] as unknown[] | undefined)?.length ?? 0) : (q.values?.length ?? 0);
      tap.statements.push(`${text.replaceAll('"public".', '').slice(0, 200)}${text.length > 200 ? ' …' : ''}  [${values} params]`);
    }
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
  return tap;
}

async function trace(): Promise<void> {
  const { databaseUrl } = readSettings();
  await recreateDatabase(databaseUrl);
  const tap = tapQueries();
  const server = await start({ ...loadConfig({}), port: 0, databaseUrl, dataDir: path.join(os.tmpdir(), 'notice-sim-bench-unused'), logLevel: 'silent' });
  const api = createApi(server.url);
  try {
    const ex = await createBenchExercise(api, ['MC', 'FR']);
    const id = await noticeUnderReview(api, ex, 'MC');
    const record = (label: string, work: () => Promise<{ status: number }>) => async () => {
      tap.statements = [];
      tap.recording = true;
      const res = await work();
      tap.recording = false;
      console.log(`== ${label} → HTTP ${res.status}, ${tap.statements.length} statements\n${tap.statements.join('\n')}\n`);
    };
    await record('APPROVE', () => approve(api, ex, id))();
    await record('ACKNOWLEDGE (FR)', () => api.post(`/api/notices/${id}/circulation/FR/events`, tokenOf(ex, 'ncb:FR'), { type: 'ACKNOWLEDGE' }))();
  } finally {
    api.close();
    await server.stop();
  }
}

trace().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
