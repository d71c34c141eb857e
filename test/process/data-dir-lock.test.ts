import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listening, npmRun, type ServerProcess } from '../support/server-process';

describe('one process per PGlite data folder', () => {
  let dataDir: string;
  const runs: ServerProcess[] = [];
  const run = (args: string[]) => {
    const r = npmRun(args, { DATA_DIR: dataDir });
    runs.push(r);
    return r;
  };

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'data-dir-lock-process-'));
  });

  afterAll(() => {
    for (const r of runs) r.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a second npm start and a scenario run on a folder a server owns; after kill -9 a new start takes over with the data', async () => {
    const first = run(['start']);
    const { url, pid } = await listening(first);
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
    const outcome = await Promise.race([second.exited, listening(second).then(() => 'listening' as const)]);
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
    const third = await listening(run(['start']));
    const me = await fetch(`${third.url}/api/me`, asFacilitator);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { exercise: { name: string } }).exercise.name).toBe('Written before the crash');
  }, 150_000);
});
