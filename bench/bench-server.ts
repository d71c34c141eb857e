import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../src/config/config';
import { start, type RunningServer } from '../src/server';

/**
 * The app as every benchmark's server process starts it: on `BENCH_SERVER_DATABASE_URL` (set by the
 * process that forked it), a port of its own, no logs. A module without side effects, so that the
 * forked scripts (each runs its own `--serve`) can share it.
 */
export function startBenchServer(overrides: Partial<Config> = {}): Promise<RunningServer> {
  return start({
    ...loadConfig({}),
    port: 0,
    databaseUrl: process.env.BENCH_SERVER_DATABASE_URL,
    dataDir: path.join(os.tmpdir(), 'notice-sim-bench-unused'),
    logLevel: 'silent',
    ...overrides,
  });
}
