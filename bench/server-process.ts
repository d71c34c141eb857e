/**
 * The app in a process of its own, as it runs in use: the load generator then does not share the
 * server's event loop, and the HTTP figures measure the server rather than both ends in one thread.
 */
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/config';
import { start } from '../src/server';

export interface ServerProcess {
  url: string;
  stop(): Promise<void>;
}

/** Forks this file as the server on `databaseUrl` and resolves once it listens. */
export function startServerProcess(databaseUrl: string): Promise<ServerProcess> {
  const child: ChildProcess = fork(__filename, ['--serve'], {
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_SERVER_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_PROFILE}`] : [])],
    env: { ...process.env, BENCH_SERVER_DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`benchmark server exited with code ${code}`)));
    child.once('message', (message: { url: string }) => {
      resolve({
        url: message.url,
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

async function serve(): Promise<void> {
  const server = await start({
    ...loadConfig({}),
    port: 0,
    databaseUrl: process.env.BENCH_SERVER_DATABASE_URL,
    dataDir: path.join(os.tmpdir(), 'notice-sim-bench-unused'),
    logLevel: 'silent',
  });
  process.once('SIGTERM', () => {
    void server.stop().then(() => process.exit(0));
  });
  process.send?.({ url: server.url });
}

if (process.argv.includes('--serve')) {
  serve().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
