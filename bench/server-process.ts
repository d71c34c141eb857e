/**
 * The app in a process of its own, as it runs in use: the load generator then does not share the
 * server's event loop, and the HTTP figures measure the server rather than both ends in one thread.
 * The IPC channel also answers the bench's own questions (its memory after a forced GC), so nothing
 * of the benchmark needs a route in the app.
 */
import { fork, type ChildProcess } from 'node:child_process';
import cluster from 'node:cluster';
import pino from 'pino';
import { startWorkers } from '../src/cluster';
import { loadConfig } from '../src/config/config';
import { migrateOnce } from '../src/server';
import { startBenchServer } from './bench-server';

/** The server process's memory after a forced garbage collection, in bytes. */
export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

export interface ServerProcess {
  url: string;
  /** Forces a full GC in the server and reports its memory then. */
  memory(): Promise<MemorySample>;
  stop(): Promise<void>;
}

type Request = { type: 'memory'; id: number } | { type: 'url' };
type Reply = { type: 'memory'; id: number; sample: MemorySample };

/**
 * Forks this file as the server on `databaseUrl` (with `--expose-gc`) and resolves once it listens.
 * With `workers` > 1 the forked process is a cluster's primary, as `WORKERS` makes `npm start`'s
 * (src/cluster.ts): it migrates, forks the workers, and its memory figures are their sums.
 */
export function startServerProcess(databaseUrl: string, workers = 1): Promise<ServerProcess> {
  const child: ChildProcess = fork(__filename, [workers > 1 ? `--serve=${workers}` : '--serve'], {
    execArgv: [
      '--expose-gc',
      '--import',
      'tsx',
      ...(process.env.BENCH_SERVER_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_PROFILE}`] : []),
    ],
    env: { ...process.env, BENCH_SERVER_DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 0;
  const waiting = new Map<number, (sample: MemorySample) => void>();
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`benchmark server exited with code ${code}`)));
    child.once('message', (message: { url: string }) => {
      child.on('message', (reply: Reply) => {
        if (reply.type !== 'memory') return;
        waiting.get(reply.id)?.(reply.sample);
        waiting.delete(reply.id);
      });
      resolve({
        url: message.url,
        memory: () =>
          new Promise<MemorySample>((answer) => {
            const id = nextId++;
            waiting.set(id, answer);
            child.send({ type: 'memory', id } satisfies Request);
          }),
        stop: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** A full collection, twice (the first may leave finalised objects for the second), then the figures. */
function sampleMemory(): MemorySample {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the benchmark server runs without --expose-gc');
  gc();
  gc();
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  return { rss, heapUsed, heapTotal, external };
}

/** What this process adds up: its own figures, or (a cluster's primary) the sum of its workers'. */
let measure: () => Promise<MemorySample> = async () => sampleMemory();

async function serve(): Promise<void> {
  const server = await startBenchServer();
  process.once('SIGTERM', () => {
    void server.stop().then(() => process.exit(0));
  });
  if (cluster.isWorker) {
    // The primary asks for the figures; a worker's process.send answers it.
    process.on('message', (request: Request) => {
      if (request.type === 'memory')
        process.send?.({ type: 'memory', id: request.id, sample: sampleMemory() } satisfies Reply);
      if (request.type === 'url') process.send?.({ url: server.url });
    });
    return;
  }
  answerTheBench();
  process.send?.({ url: server.url });
}

/** The bench's questions over the fork's IPC channel. */
function answerTheBench(): void {
  process.on('message', (request: Request) => {
    if (request.type !== 'memory') return;
    void measure().then((sample) => process.send?.({ type: 'memory', id: request.id, sample } satisfies Reply));
  });
}

/** A cluster's primary: migrates once, forks `count` workers of this file, and sums their memory for the bench. */
async function servePrimary(count: number): Promise<void> {
  const logger = pino({ level: 'warn' });
  const config = { ...loadConfig({}), databaseUrl: process.env.BENCH_SERVER_DATABASE_URL };
  await migrateOnce(config, logger);
  const pool = await startWorkers({
    count,
    logger,
    exec: { file: __filename, args: ['--serve'], execArgv: process.execArgv },
  });
  let nextId = 0;
  measure = async () => {
    const samples = await Promise.all(
      pool.workers().map(
        (worker) =>
          new Promise<MemorySample>((resolve) => {
            const id = nextId++;
            const onReply = (reply: Reply) => {
              if (reply.type !== 'memory' || reply.id !== id) return;
              worker.off('message', onReply);
              resolve(reply.sample);
            };
            worker.on('message', onReply);
            worker.send({ type: 'memory', id } satisfies Request);
          }),
      ),
    );
    const sum = (key: keyof MemorySample) => samples.reduce((total, s) => total + s[key], 0);
    return { rss: sum('rss'), heapUsed: sum('heapUsed'), heapTotal: sum('heapTotal'), external: sum('external') };
  };
  process.once('SIGTERM', () => {
    void pool.stop().then(() => process.exit(0));
  });
  answerTheBench();
  // Every worker listens on the one port the cluster shares: ask one of them for it.
  const url = await new Promise<string>((resolve) => {
    const worker = pool.workers()[0]!;
    worker.once('message', (m: { url?: string }) => m.url && resolve(m.url));
    worker.send({ type: 'url' });
  });
  process.send?.({ url });
}

const serveArg = process.argv.find((a) => a.startsWith('--serve'));
if (serveArg) {
  const count = Number(serveArg.split('=')[1] ?? 1);
  (cluster.isPrimary && count > 1 ? servePrimary(count) : serve()).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
