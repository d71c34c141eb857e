/**
 * The server side of the profiling scripts (profile-ack.ts, profile-approve.ts): the app in a process of its
 * own, profiled through node:inspector only between the parent's `profile:start` and `profile:stop`, and a
 * summary of a profile's self time by package and function. Also pg_stat_statements over the same window.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import type pg from 'pg';
import { startBenchServer } from './bench-server';

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** The server's side: the app, and a CPU profile started and stopped on the parent's word. */
async function serve(): Promise<void> {
  const server = await startBenchServer();
  const session = new Session();
  session.connect();
  let cpuAtStart = process.cpuUsage();
  process.on('message', (message: string) => {
    void (async () => {
      if (message === 'profile:start') {
        cpuAtStart = process.cpuUsage();
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 200 });
        await session.post('Profiler.start');
        process.send?.('profile:started');
      } else if (message === 'cpu:start') {
        // CPU time alone, without the profiler's own cost.
        cpuAtStart = process.cpuUsage();
        process.send?.('cpu:started');
      } else if (message === 'cpu:stop') {
        const cpu = process.cpuUsage(cpuAtStart);
        process.send?.({ cpuMs: (cpu.user + cpu.system) / 1000, systemMs: cpu.system / 1000 });
      } else if (message === 'profile:stop') {
        const cpu = process.cpuUsage(cpuAtStart);
        const { profile } = await session.post('Profiler.stop');
        process.send?.({ profile, cpuMs: (cpu.user + cpu.system) / 1000 });
      } else if (message === 'stop') {
        await server.stop();
        process.exit(0);
      }
    })();
  });
  process.send?.({ url: server.url });
}

export interface ProfiledServer {
  url: string;
  /** Waits for the first message `pick` accepts. */
  reply<T>(pick: (m: unknown) => T | undefined): Promise<T>;
  send(message: string): void;
  /** The server's CPU time (ms, and of it in the kernel) while `work` ran, without the profiler. */
  cpuDuring(work: () => Promise<void>): Promise<{ cpuMs: number; systemMs: number }>;
  /** The server's CPU profile and CPU time (ms) while `work` ran. */
  profileDuring(work: () => Promise<void>): Promise<{ profile: CpuProfile; cpuMs: number }>;
}

/** Forks this module as the server, on `databaseUrl`. */
export async function startProfiledServer(databaseUrl: string): Promise<ProfiledServer> {
  const child: ChildProcess = fork(__filename, ['--serve'], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_SERVER_DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const reply = <T>(pick: (m: unknown) => T | undefined) =>
    new Promise<T>((resolve) => {
      const on = (m: unknown) => {
        const value = pick(m);
        if (value === undefined) return;
        child.off('message', on);
        resolve(value);
      };
      child.on('message', on);
    });
  const send = (message: string) => child.send(message);
  const url = await reply((m) => (m as { url?: string }).url);
  return {
    url,
    reply,
    send,
    async cpuDuring(work) {
      send('cpu:start');
      await reply((m) => (m === 'cpu:started' ? true : undefined));
      await work();
      send('cpu:stop');
      return reply((m) =>
        (m as { systemMs?: number }).systemMs === undefined ? undefined : (m as { cpuMs: number; systemMs: number }),
      );
    },
    async profileDuring(work) {
      send('profile:start');
      await reply((m) => (m === 'profile:started' ? true : undefined));
      await work();
      send('profile:stop');
      return reply((m) =>
        (m as { profile?: CpuProfile }).profile ? (m as { profile: CpuProfile; cpuMs: number }) : undefined,
      );
    },
  };
}

/** Self time by package (or src/ folder) and by function, as shares of the profiled time. */
export function summarise(profile: CpuProfile): string {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byPart = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const time = self.get(node.id) ?? 0;
    total += time;
    const { url, functionName, lineNumber } = node.callFrame;
    const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1];
    const part = pkg ?? (url.includes('/src/') ? `src/${url.split('/src/')[1]!.split('/')[0]}` : url ? url.split('/')[0]! : functionName);
    byPart.set(part, (byPart.get(part) ?? 0) + time);
    const fn = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + time);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `  ${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`)
      .join('\n');
  return `self time by part (of ${(total / 1e6).toFixed(1)} s sampled):\n${top(byPart, 18)}\n\nself time by function:\n${top(byFunction, 25)}`;
}

/** Resets pg_stat_statements; false when the extension is not loaded on this server. */
export async function resetStatements(stats: pg.Client): Promise<boolean> {
  try {
    await stats.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await stats.query('SELECT pg_stat_statements_reset()');
    return true;
  } catch {
    return false;
  }
}

/** pg_stat_statements since the reset: statements per event (BEGIN/COMMIT included) and the top ones. */
export async function statementsReport(stats: pg.Client, events: number): Promise<string> {
  const { rows } = await stats.query<{ query: string; calls: string; mean: number; total: number }>(
    `SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS query, calls, mean_exec_time AS mean, total_exec_time AS total
       FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND query NOT LIKE '%pg_stat_statements%'
      ORDER BY total_exec_time DESC LIMIT 14`,
  );
  const { rows: all } = await stats.query<{ calls: string }>(
    `SELECT coalesce(sum(calls), 0) AS calls FROM pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%pg_stat_statements%'`,
  );
  const perEvent = Number(all[0]?.calls ?? 0) / Math.max(1, events);
  const lines = rows.map(
    (r) =>
      `  ${String(r.calls).padStart(7)} calls  ${r.mean.toFixed(3).padStart(7)} ms mean  ${(r.total / 1000).toFixed(2).padStart(6)} s  ${r.query}`,
  );
  return `pg_stat_statements over the run (${perEvent.toFixed(1)} statements per event, BEGIN/COMMIT included):\n${lines.join('\n')}`;
}

if (process.argv.includes('--serve')) {
  serve().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
