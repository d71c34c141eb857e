/**
 * A simulation run on worker threads: the replications of one model spread over a piscina pool (one
 * thread per core by default), combined in replication order when the last is done. The same seed gives
 * the same result whatever the number of threads: each replication's streams depend only on the seed and
 * its number (./run.ts).
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import { PROJECT_ROOT } from '../kernel/project-root';
import type { ReplicationDone, ReplicationTask } from './replication-worker';
import { combine, type RunSpec, type SimulationResult } from './run';

export interface SimulateOptions {
  /** Called as each replication finishes, with how many are done. */
  onProgress?: (done: number, total: number) => void;
  /** Worker threads; default one per core. */
  threads?: number;
  signal?: AbortSignal;
}

/**
 * The worker's file, JavaScript bundled by scripts/build.js: beside the server's bundle when running from
 * it; from src/ (tsx, Jest), built first when stale, as `npm start` builds. Workers run bundled code, not
 * src/ through tsx: tsx's kept names cost a fifth of a replication's time.
 */
async function workerFile(): Promise<string> {
  if (!__filename.endsWith('.ts')) return path.join(__dirname, 'replication-worker.js');
  // A path built at run time, so that the server's bundle does not take the build script in.
  const build = require(path.join(PROJECT_ROOT, 'scripts', 'build.js')) as {
    ensureBuilt(root: string): Promise<string>;
    workerOf(root: string): string;
  };
  await build.ensureBuilt(PROJECT_ROOT);
  return build.workerOf(PROJECT_ROOT);
}

/** Worker threads that run replications (`pool.run({ spec, replication })`); destroy it when done. */
export async function replicationPool(threads: number): Promise<Piscina<ReplicationTask, ReplicationDone>> {
  return new Piscina<ReplicationTask, ReplicationDone>({
    filename: await workerFile(),
    minThreads: threads,
    maxThreads: threads,
    // A replication allocates several short-lived objects per event: a larger young generation leaves the
    // collector less to do (a full replication, two at a time: 22.9 s with 48 MB, 22.0 s with 192 MB).
    resourceLimits: { maxYoungGenerationSizeMb: 192 },
  });
}

export async function simulate(
  spec: RunSpec & { modelName: string; replications: number },
  options: SimulateOptions = {},
): Promise<SimulationResult> {
  const started = performance.now();
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), spec.replications));
  const pool = await replicationPool(threads);
  const run: RunSpec = { model: spec.model, years: spec.years, seed: spec.seed };
  let done = 0;
  try {
    const finished = await Promise.all(
      Array.from({ length: spec.replications }, (_, replication) =>
        pool.run({ spec: run, replication }, options.signal ? { signal: options.signal } : {}).then((result) => {
          done += 1;
          options.onProgress?.(done, spec.replications);
          return result;
        }),
      ),
    );
    return combine(
      { ...run, modelName: spec.modelName },
      finished.map((f) => f.result),
      { wallSeconds: (performance.now() - started) / 1000, replicationSeconds: finished.map((f) => f.seconds) },
    );
  } finally {
    await pool.destroy();
  }
}
