import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseModel, shippedModelText } from '../../src/simulation/model';
import { FIGURE_NAMES } from '../../src/simulation/result';
import { replicate } from '../../src/simulation/run';
import { databaseKinds, postgresTestUrl } from '../support/databases';

const ROOT = path.resolve(__dirname, '../..');

/** A script of scripts/ as `npm run` starts it (through tsx), its output gathered. */
function script(
  name: string,
  args: string[],
): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', name), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: postgresTestUrl() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { child, output: () => text, exited: new Promise((resolve) => child.on('close', (code) => resolve(code))) };
}

async function until(check: () => boolean, what: string, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

(databaseKinds().includes('postgres') ? describe : describe.skip)('replications as pg-boss jobs in PostgreSQL', () => {
  const workers: ReturnType<typeof script>[] = [];
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(path.join(tmpdir(), 'simulate-queue-'));
  });
  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    rmSync(out, { recursive: true, force: true });
  });

  it('runs on two workers, one killed mid-job, with the figures of the in-process run', async () => {
    const a = script('simulate-worker.ts', ['--threads', '1']);
    const b = script('simulate-worker.ts', ['--threads', '1']);
    workers.push(a, b);
    await until(
      () => a.output().includes('taking replications') && b.output().includes('taking replications'),
      'workers',
    );
    const cli = script('simulate.ts', [
      '--queue',
      '--replications',
      '4',
      '--seed',
      '11',
      '--set',
      'warmUpFrom=2023-01-01',
      '--out',
      out,
    ]);

    // The first worker dies as soon as it has taken a job: its job must be taken again by the other.
    await until(() => /took replication (\d+)/.test(a.output()), 'a job on the first worker');
    a.child.kill('SIGKILL');
    const lost = Number(/took replication (\d+)/.exec(a.output())![1]);
    expect(await cli.exited).toBe(0);
    expect(b.output()).toContain(`finished replication ${lost} of run`);

    const result = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8'));
    expect(result).toMatchObject({ seed: 11, replications: 4 });
    const parsed = parseModel(shippedModelText('interpol-2024'), { warmUpFrom: '2023-01-01' });
    if (!parsed.ok) throw new Error('model');
    for (let i = 0; i < 4; i++) {
      const alone = replicate({ model: parsed.model, years: 1, seed: 11 }, i);
      for (const name of FIGURE_NAMES) expect(result.figures[name].values[i]).toBe(alone.figures[name]);
    }
  }, 240_000);
});
