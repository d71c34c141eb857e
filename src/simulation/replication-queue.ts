/**
 * Replications past one machine, as pg-boss jobs in the PostgreSQL the server uses (no second server):
 * `simulateQueued` sends one job per replication and collects their outputs as they finish;
 * `workReplications` (npm run simulate:worker, on any machine pointed at the same database) takes jobs
 * and runs them on its worker threads. A worker killed mid-job stops its heartbeat: pg-boss fails the job
 * within about `HEARTBEAT_SECONDS` and another worker takes it again. A replication gives the same figures
 * wherever it runs (./run.ts), so the result equals the in-process one for the same seed.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { PgBoss } from 'pg-boss';
import type { ReplicationDone, ReplicationTask } from './replication-worker';
import { combine, type RunSpec, type SimulationResult } from './run';
import { replicationPool } from './simulate';

export const REPLICATION_QUEUE = 'simulation-replication';
/** A job not heard from this long is failed and retried (pg-boss's minimum is 10). */
const HEARTBEAT_SECONDS = 10;
const RETRIES = 3;

type QueuedTask = ReplicationTask & { run: string };

/** pg-boss on `databaseUrl`, its tables created or migrated, the queue made. pg-boss ships as an ES module only. */
export async function startBoss(databaseUrl: string, onError: (error: Error) => void): Promise<PgBoss> {
  const { PgBoss } = await import('pg-boss');
  const boss = new PgBoss({ connectionString: databaseUrl, superviseIntervalSeconds: 2, schedule: false });
  boss.on('error', onError);
  await boss.start();
  if (!(await boss.getQueue(REPLICATION_QUEUE))) {
    await boss
      .createQueue(REPLICATION_QUEUE, {
        heartbeatSeconds: HEARTBEAT_SECONDS,
        retryLimit: RETRIES,
        expireInSeconds: 3600,
      })
      // Another process may have made it meanwhile.
      .catch(async (error: unknown) => {
        if (!(await boss.getQueue(REPLICATION_QUEUE))) throw error;
      });
  }
  return boss;
}

export async function simulateQueued(
  spec: RunSpec & { modelName: string; replications: number },
  options: { databaseUrl: string; onProgress?: (done: number, total: number) => void; onError?: (e: Error) => void },
): Promise<SimulationResult> {
  const started = performance.now();
  const boss = await startBoss(options.databaseUrl, options.onError ?? (() => {}));
  try {
    const run = randomUUID();
    const task: RunSpec = { model: spec.model, years: spec.years, seed: spec.seed };
    const ids = await Promise.all(
      Array.from({ length: spec.replications }, (_, replication) =>
        boss.send(REPLICATION_QUEUE, { run, spec: task, replication } satisfies QueuedTask),
      ),
    );
    const done = new Map<number, ReplicationDone>();
    while (done.size < ids.length) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      for (const job of await boss.findJobs<QueuedTask>(REPLICATION_QUEUE, { data: { run }, limit: ids.length })) {
        if (job.state === 'failed') {
          throw new Error(
            `replication ${job.data.replication + 1} failed ${RETRIES + 1} times: ${JSON.stringify(job.output)}`,
          );
        }
        if (job.state === 'completed' && !done.has(job.data.replication)) {
          done.set(job.data.replication, job.output as ReplicationDone);
          options.onProgress?.(done.size, ids.length);
        }
      }
    }
    const ordered = [...done.keys()].sort((a, b) => a - b).map((i) => done.get(i)!);
    return combine(
      { ...task, modelName: spec.modelName },
      ordered.map((d) => d.result),
      { wallSeconds: (performance.now() - started) / 1000, replicationSeconds: ordered.map((d) => d.seconds) },
    );
  } finally {
    await boss.stop({ graceful: false });
  }
}

/** Takes replication jobs until `signal` aborts; `onJob` hears each start and end. */
export async function workReplications(options: {
  databaseUrl: string;
  threads?: number;
  signal: AbortSignal;
  onJob?: (what: 'start' | 'done', replication: number, run: string) => void;
  onError?: (e: Error) => void;
}): Promise<void> {
  const threads = options.threads ?? availableParallelism();
  const pool = await replicationPool(threads);
  const boss = await startBoss(options.databaseUrl, options.onError ?? (() => {}));
  try {
    await boss.work<QueuedTask, ReplicationDone>(
      REPLICATION_QUEUE,
      { localConcurrency: threads, pollingIntervalSeconds: 1 },
      async ([job]) => {
        const { run, spec, replication } = job!.data;
        options.onJob?.('start', replication, run);
        const result = await pool.run({ spec, replication });
        options.onJob?.('done', replication, run);
        return result;
      },
    );
    await new Promise((resolve) => options.signal.addEventListener('abort', resolve, { once: true }));
  } finally {
    await boss.stop({ graceful: true, timeout: 30_000 });
    await pool.destroy();
  }
}
