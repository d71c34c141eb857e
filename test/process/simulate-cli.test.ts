import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '../../src/db/database';
import { DEFAULT_DATABASE_TIMEOUTS } from '../../src/db/database-timeouts';
import { parseModel, shippedModelText } from '../../src/simulation/model';
import { FIGURE_NAMES } from '../../src/simulation/result';
import { replicate } from '../../src/simulation/run';

const ROOT = path.resolve(__dirname, '../..');

/** `npm run simulate -- ARGS` as a user types it (through tsx): exit code, stdout, stderr. */
async function simulateCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'scripts', 'simulate.ts'), ...args],
      // The embedded database, whatever this shell points at.
      { cwd: ROOT, timeout: 240_000, env: { ...process.env, DATABASE_URL: '' } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run simulate', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(path.join(tmpdir(), 'simulate-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  // A one-year warm-up (set on the command line) keeps each replication to a few seconds.
  const SHORT = ['--set', 'warmUpFrom=2023-01-01', '--seed', '7'];

  it('runs replications on worker threads with the figures of the same replications in process', async () => {
    const run = await simulateCli([...SHORT, '--replications', '3', '--threads', '2', '--out', out]);
    expect(run.stderr).toContain('3 replication(s)');
    expect(run.code).toBe(0);
    const result = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8'));
    expect(result).toMatchObject({ seed: 7, years: 1, replications: 3, model: 'interpol-2024', start: '2024-01-01' });
    expect(Object.keys(result.figures).sort()).toEqual([...FIGURE_NAMES].sort());
    for (const name of FIGURE_NAMES) {
      const figure = result.figures[name];
      expect(figure.values).toHaveLength(3);
      expect(figure.ci95[0]).toBeLessThanOrEqual(figure.mean);
      expect(figure.ci95[1]).toBeGreaterThanOrEqual(figure.mean);
    }
    expect(Object.keys(result.stockByYear)).toEqual(['2023', '2024']);
    expect(result.timings.replicationSeconds).toHaveLength(3);

    const parsed = parseModel(shippedModelText('interpol-2024'), { warmUpFrom: '2023-01-01' });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const third = replicate({ model: parsed.model, years: 1, seed: 7 }, 2);
    for (const name of FIGURE_NAMES) expect(result.figures[name].values[2]).toBe(third.figures[name]);

    const report = readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(report).toContain('Against INTERPOL’s published figures');
    expect(run.stdout).toContain('Red notices issued in 2024: published 15,548');
  }, 300_000);

  it('persists the first replication as an exercise in the embedded database, and says how to open it', async () => {
    const dataDir = path.join(out, 'data');
    const small = ['--set', 'arrivals.red.issued={"2024":300}', '--set', 'arrivals.yellow.issued={"2023":60}'];
    const run = await simulateCli([...SHORT, ...small, '--replications', '1', '--out', out, '--persist', '--data-dir', dataDir]);
    expect(run.code).toBe(0);
    const line = /persisted ([\d,]+) notices, ([\d,]+) history entries .* as exercise ([0-9a-f-]{36})/.exec(run.stdout);
    expect(line).not.toBeNull();
    expect(run.stdout).toMatch(/open the dashboard \(npm start\) with the facilitator token \S{20,}/);
    // The exercise is in the data directory: a server started on it finds its notices.
    const db = await openDatabase({ dataDir, timeouts: DEFAULT_DATABASE_TIMEOUTS });
    try {
      const [row] = await db.prisma.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM notices WHERE exercise_id = ${line![3]}::uuid`;
      expect(row!.n).toBe(Number(line![1]!.replace(/,/g, '')));
      expect(row!.n).toBeGreaterThan(100);
    } finally {
      await db.close();
    }
  }, 300_000);

  it('names the field of a bad override or model, and writes nothing', async () => {
    const bad = await simulateCli([...SHORT, '--set', 'review.reviewers=-3', '--out', path.join(out, 'bad')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('review.reviewers.value');
    const unknown = await simulateCli(['--set', 'review.coffee=1', '--out', path.join(out, 'bad')]);
    expect(unknown.stderr).toContain('overrides.review.coffee: is not in the model');
    const missing = await simulateCli(['no-such-model.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('neither a shipped model');
    expect(() => readFileSync(path.join(out, 'bad', 'result.json'))).toThrow();
  }, 120_000);
});
