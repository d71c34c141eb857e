/**
 * Several server processes on one PostgreSQL database (`WORKERS`), so that one machine's cores all
 * serve: Node's cluster hands each new connection to the next worker in turn. Nothing of the
 * workers' correctness depends on being one process: positions are numbered after commit by whichever
 * process kicks the sequencer, deadlines fire once whichever ticker finds them, streams hear every
 * process's commits through LISTEN/NOTIFY and revocations reach every identity cache the same way
 * (each tested with two processes on one database). The primary migrates the database once, then
 * forks the workers; it serves nothing itself.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

export interface WorkerPool {
  /** The live workers (a crashed one is replaced after `restartDelayMs`). */
  workers(): Worker[];
  /** Stops every worker (SIGTERM: each drains as a single server does) and resolves once all have exited. */
  stop(): Promise<void>;
  /** Resolves with the exit code the primary should end with: 0 after `stop`, else why the pool gave up. */
  ended: Promise<number>;
}

export interface WorkerPoolOptions {
  count: number;
  logger: Logger;
  /** What each worker runs (default: this process's own script and arguments). */
  exec?: { file: string; args?: string[]; execArgv?: string[] };
  /** How long to wait before replacing a worker that died (ms). */
  restartDelayMs?: number;
  /** More unexpected exits than this within a minute and the pool gives up (exit 1): every start is failing. */
  maxRestartsPerMinute?: number;
}

/**
 * Forks `count` workers and resolves once each listens. A worker that exits before then fails the
 * start (the others are stopped, and the promise rejects with its exit code); one that dies later is
 * replaced. Call it in the primary only, after the migrations.
 */
export async function startWorkers(options: WorkerPoolOptions): Promise<WorkerPool> {
  const { count, logger } = options;
  const restartDelayMs = options.restartDelayMs ?? 1_000;
  const maxRestarts = options.maxRestartsPerMinute ?? 5;
  if (options.exec) {
    cluster.setupPrimary({
      exec: options.exec.file,
      args: options.exec.args ?? [],
      ...(options.exec.execArgv && { execArgv: options.exec.execArgv }),
    });
  }
  const live = new Set<Worker>();
  const restarts: number[] = [];
  let stopping = false;
  let endWith!: (code: number) => void;
  const ended = new Promise<number>((resolve) => (endWith = resolve));

  const stopAll = async (): Promise<void> => {
    stopping = true;
    const exits = [...live].map(
      (w) => new Promise<void>((resolve) => (w.isDead() ? resolve() : w.once('exit', () => resolve()))),
    );
    for (const w of live) if (!w.isDead()) w.process.kill('SIGTERM');
    await Promise.all(exits);
  };

  const fork = (onReady?: () => void, onFailedStart?: (code: number) => void): Worker => {
    const worker = cluster.fork();
    live.add(worker);
    let ready = false;
    worker.once('listening', () => {
      ready = true;
      logger.info({ worker: worker.id, workerPid: worker.process.pid }, 'worker listening');
      onReady?.();
    });
    worker.once('exit', (code, signal) => {
      live.delete(worker);
      if (stopping) return;
      const exitCode = code ?? 1;
      if (!ready) {
        onFailedStart?.(exitCode);
        if (onFailedStart) return;
      }
      logger.error({ worker: worker.id, workerPid: worker.process.pid, code, signal }, 'worker died: replacing it');
      const now = Date.now();
      restarts.push(now);
      while (restarts.length && restarts[0]! < now - 60_000) restarts.shift();
      if (restarts.length > maxRestarts) {
        logger.fatal({ restarts: restarts.length }, 'workers keep dying: stopping');
        void stopAll().then(() => endWith(1));
        return;
      }
      setTimeout(() => {
        if (!stopping) fork();
      }, restartDelayMs).unref();
    });
    return worker;
  };

  await new Promise<void>((resolve, reject) => {
    let listening = 0;
    let failed = false;
    for (let i = 0; i < count; i++) {
      fork(
        () => {
          if (++listening === count) resolve();
        },
        (code) => {
          if (failed) return;
          failed = true;
          // One worker could not start (the database away, a port taken): none should run.
          void stopAll().then(() => reject(new WorkerStartError(code)));
        },
      );
    }
  });
  logger.info({ workers: count }, 'all workers listening');

  return {
    workers: () => [...live],
    stop: async () => {
      await stopAll();
      endWith(0);
    },
    ended,
  };
}

/** A worker exited before it listened; `code` is its exit code, which the primary passes on. */
export class WorkerStartError extends Error {
  constructor(readonly code: number) {
    super(`a worker exited with code ${code} before it was listening`);
    this.name = 'WorkerStartError';
  }
}
