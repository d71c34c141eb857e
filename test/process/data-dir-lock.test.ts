import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

interface Run {
  npm: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The `listening` log line's address and server pid; rejects if the run ends first. */
  listening: Promise<{ url: string; pid: number }>;
}

/** Runs `npm <args>` on PGlite in `dataDir` and a free port. */
function npm(args: string[], dataDir: string): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  delete env.ADMIN_TOKEN;
  // A process group of its own, so that whatever it started can be ended with it.
  const child = spawn('npm', args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const listening = new Promise<{ url: string; pid: number }>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const line = /\{[^\n]*"msg":"listening"[^\n]*\}/.exec(output);
      if (line) resolve(JSON.parse(line[0]) as { url: string; pid: number });
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    void exited.then(({ code }) =>
      reject(new Error(`npm ${args.join(' ')} exited (${code}) before listening:\n${output}`)),
    );
  });
  // A run that is meant to be refused never listens: that is no unhandled rejection.
  listening.catch(() => {});
  return { npm: child, output: () => output, exited, listening };
}

/** Ends a run's whole process group (npm and the server under it), if any of it is left. */
const end = (run: Run) => {
  try {
    process.kill(-run.npm.pid!, 'SIGKILL');
  } catch {
    // Gone already.
  }
};

describe('one process per PGlite data folder', () => {
  let dataDir: string;
  const runs: Run[] = [];
  const run = (args: string[]) => {
    const r = npm(args, dataDir);
    runs.push(r);
    return r;
  };

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'data-dir-lock-process-'));
  });

  afterAll(() => {
    runs.forEach(end);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a second npm start and a scenario run on a folder a server owns; after kill -9 a new start takes over with the data', async () => {
    const first = run(['start']);
    const { url, pid } = await first.listening;
    const created = await fetch(`${url}/api/exercises`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Written before the crash' }),
    });
    expect(created.status).toBe(201);
    const { facilitatorToken } = (await created.json()) as { facilitatorToken: string };

    // A second server on the folder stops at once, naming the folder and the owner, without a stack trace.
    const second = run(['start']);
    // Today's code would listen: fail then, rather than wait for an exit that never comes.
    const outcome = await Promise.race([second.exited, second.listening.then(() => 'listening' as const)]);
    expect(outcome).toEqual({ code: expect.any(Number), signal: null });
    expect((await second.exited).code).not.toBe(0);
    expect(second.output()).toContain(`The data folder ${dataDir} is in use by another process: pid ${pid} on host`);
    expect(second.output()).not.toMatch(/^\s+at /m);

    // So does a scenario run pointed at it.
    const report = path.join(dataDir, 'report.html');
    const scenario = run([
      'run',
      'scenario',
      '--',
      'scenarios/monaco-fingerprints.yaml',
      '--data-dir',
      dataDir,
      '--out',
      report,
    ]);
    expect((await scenario.exited).code).not.toBe(0);
    expect(scenario.output()).toContain(`The data folder ${dataDir} is in use by another process: pid ${pid} on host`);
    expect(scenario.output()).not.toMatch(/^\s+at /m);

    // The first server was never disturbed.
    const asFacilitator = { headers: { authorization: `Bearer ${facilitatorToken}` } };
    expect((await fetch(`${url}/api/me`, asFacilitator)).status).toBe(200);

    // Killed without a chance to give the folder back, its lock is taken over at once by the next start.
    process.kill(pid, 'SIGKILL');
    await first.exited;
    const third = await run(['start']).listening;
    const me = await fetch(`${third.url}/api/me`, asFacilitator);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { exercise: { name: string } }).exercise.name).toBe('Written before the crash');
  }, 150_000);
});
