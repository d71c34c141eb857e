/**
 * `npm run bench:startup`: wall time from spawning the server on the embedded PGlite to its first 200
 * from `/api/ready`, on an existing data folder (issue 14, target 6: under 2 s). The folder is made by a
 * first, untimed start; then `BENCH_STARTS` (default 3) timed starts, each stopped with SIGTERM.
 * Beside the wall time it prints the CPU time the server process had used when it answered (Linux,
 * from /proc): on a machine others share, wall time grows with their load, CPU time much less.
 *
 * What it starts is the command of package.json's `start` script (`node scripts/start.js`), read from
 * there, so it times what `npm start` runs: the check that dist/ is up to date, then the server.
 * It does not time npm's own wrapper around it (npm's CLI starting, about 0.2–0.3 s here), which is
 * not the server's. The first, untimed start also builds dist/ if src/ changed. `BENCH_STARTUP_COMMAND`
 * times another command instead (e.g. `node --import tsx src/main.ts`, the start before the build).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/** The server's command: `BENCH_STARTUP_COMMAND`, or `npm start`'s without its `exec` (node: this Node). */
function serverCommand(): string[] {
  const script: string =
    process.env.BENCH_STARTUP_COMMAND ??
    (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const words = script
    .trim()
    .split(/\s+/)
    .filter((word, i) => !(i === 0 && word === 'exec'));
  if (words[0] !== 'node') throw new Error(`not a node command: ${script}`);
  return [process.execPath, ...words.slice(1)];
}

interface Start {
  wallMs: number;
  /** User + system CPU time of the server process at its first ready answer; NaN where /proc is absent. */
  cpuMs: number;
}

/** utime + stime of `pid` (fields 14 and 15 of /proc/<pid>/stat, in clock ticks of 10 ms on Linux). */
function cpuMsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

async function timedStart(dataDir: string, port: number): Promise<Start> {
  const started = performance.now();
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  const [command, ...args] = serverCommand();
  const child = spawn(command!, args, { cwd: ROOT, env, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/api/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return { wallMs: performance.now() - started, cpuMs: cpuMsOf(child.pid) };
      if (performance.now() - started > 60_000) throw new Error('not ready within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-startup-'));
  const port = 20_000 + (process.pid % 20_000);
  console.log(`timing: node ${serverCommand().slice(1).join(' ')}`);
  try {
    const first = await timedStart(dataDir, port);
    console.log(
      `new folder (creates and migrates it): ${first.wallMs.toFixed(0)} ms (cpu ${first.cpuMs.toFixed(0)} ms)`,
    );
    const starts = Number(process.env.BENCH_STARTS || 3);
    const runs: Start[] = [];
    for (let i = 1; i <= starts; i++) {
      const run = await timedStart(dataDir, port);
      runs.push(run);
      console.log(`existing folder, start ${i}: ${run.wallMs.toFixed(0)} ms to ready (cpu ${run.cpuMs.toFixed(0)} ms)`);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
    const wall = median(runs.map((r) => r.wallMs));
    console.log(
      `median of ${starts}: ${wall.toFixed(0)} ms to ready (cpu ${median(runs.map((r) => r.cpuMs)).toFixed(0)} ms); ` +
        `target < 2000 ms ${wall < 2000 ? 'met' : 'NOT met'}`,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
