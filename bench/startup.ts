/**
 * `npm run bench:startup`: wall time from spawning the server on the embedded PGlite to its first 200
 * from `/api/ready`, on an existing data folder (issue 14, target 6: under 2 s). The folder is made by a
 * first, untimed start; then `BENCH_STARTS` (default 3) timed starts, each stopped with SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

async function timedStart(dataDir: string, port: number): Promise<number> {
  const started = performance.now();
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/api/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return performance.now() - started;
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
  try {
    const first = await timedStart(dataDir, port);
    console.log(`new folder (creates and migrates it): ${first.toFixed(0)} ms`);
    const starts = Number(process.env.BENCH_STARTS || 3);
    for (let i = 1; i <= starts; i++) {
      console.log(`existing folder, start ${i}: ${(await timedStart(dataDir, port)).toFixed(0)} ms to ready`);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
