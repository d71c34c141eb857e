/**
 * The app in a process of its own, as it runs in use: the load generator then does not share the
 * server's event loop, and the HTTP figures measure the server rather than both ends in one thread.
 * The IPC channel also answers the bench's own questions (its memory after a forced GC), so nothing
 * of the benchmark needs a route in the app.
 */
import { fork, type ChildProcess } from 'node:child_process';
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

type Request = { type: 'memory'; id: number };
type Reply = { type: 'memory'; id: number; sample: MemorySample };

/** Forks this file as the server on `databaseUrl` (with `--expose-gc`) and resolves once it listens. */
export function startServerProcess(databaseUrl: string): Promise<ServerProcess> {
  const child: ChildProcess = fork(__filename, ['--serve'], {
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

async function serve(): Promise<void> {
  const server = await startBenchServer();
  process.once('SIGTERM', () => {
    void server.stop().then(() => process.exit(0));
  });
  process.on('message', (request: Request) => {
    if (request.type === 'memory')
      process.send?.({ type: 'memory', id: request.id, sample: sampleMemory() } satisfies Reply);
  });
  process.send?.({ url: server.url });
}

if (process.argv.includes('--serve')) {
  serve().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
