/**
 * `npm run simulate:worker [-- --threads N]`: takes the world simulation's replications queued in the
 * database at DATABASE_URL (`npm run simulate -- --queue`) and runs them on this machine's worker
 * threads, until Ctrl-C or SIGTERM (a job under way is finished first, within 30 s; past that it is
 * taken again elsewhere).
 */
import { parseArgs } from 'node:util';
import { workReplications } from '../src/simulation/replication-queue';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { threads: { type: 'string' } } });
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error('simulate:worker takes its jobs from PostgreSQL: set DATABASE_URL');
    return 2;
  }
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
    console.error(`--threads must be a whole number of at least 1, not ${values.threads}`);
    return 2;
  }
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
  console.log(`simulate:worker: taking replications from the database (${threads ?? 'one per core'} thread(s))`);
  await workReplications({
    databaseUrl,
    ...(threads !== undefined && { threads }),
    signal: stop.signal,
    onJob: (what, replication, run) => console.log(`${what === 'start' ? 'took' : 'finished'} replication ${replication + 1} of run ${run}`),
    onError: (error) => console.error(`simulate:worker: ${error.message}`),
  });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
