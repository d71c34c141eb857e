import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

interface Started {
  npm: ChildProcess;
  url: string;
  /** The server's own process id, from its log (npm's child). */
  serverPid: number;
  log: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `npm start` on a fresh PGlite folder and a free port, and waits until it says where it listens. */
function npmStart(dataDir: string): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  delete env.ADMIN_TOKEN;
  const npm = spawn('npm', ['start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    npm.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not listen in time:\n${output}`)), 110_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const listening = /\{[^\n]*"msg":"listening"[^\n]*\}/.exec(output);
      if (!listening) return;
      clearTimeout(timer);
      const line = JSON.parse(listening[0]) as { url: string; pid: number };
      resolve({ npm, url: line.url, serverPid: line.pid, log: () => output, exited });
    };
    npm.stdout!.on('data', read);
    npm.stderr!.on('data', read);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before listening:\n${output}`));
    });
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start', () => {
  let dataDir: string;
  let started: Started | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'npm-start-'));
  });

  afterEach(() => {
    // Whatever the test's outcome, nothing it started is left running.
    for (const pid of [started?.npm.pid, started?.serverPid]) if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
    started = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  // SIGINT (Ctrl-C) takes the same path; one start is slow enough (tsx and the migrations) for one test.
  const signal = 'SIGTERM';
  it(
    'stops on SIGTERM sent to its own process id: the server shuts down gracefully and the port closes',
    async () => {
      started = await npmStart(dataDir);
      const health = await fetch(`${started.url}/api/health`);
      expect(health.status).toBe(200);

      process.kill(started.npm.pid!, signal);
      const exit = await Promise.race([
        started.exited,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('npm start is still running')), 30_000)),
      ]);

      // The server ends with 0 after its shutdown, and npm with it.
      expect(exit).toEqual({ code: 0, signal: null });
      expect(started.log()).toContain(`"signal":"${signal}","msg":"shutting down"`);
      expect(alive(started.serverPid)).toBe(false);
      await expect(fetch(`${started.url}/api/health`)).rejects.toThrow();
    },
    150_000,
  );
});
