import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { runScenario, type RunResult } from '../../src/headless/scenario-runner';
import { withFilesRead } from '../../src/scenarios/scenario-catalogue';
import { createScenarioExercise } from '../../src/scenarios/scenario-exercises';
import { parseScenario, type Scenario } from '../../src/scenarios/scenario-schema';
import { buildServices } from '../../src/server';
import { databaseKinds, openTestDatabase } from '../support/databases';
import type { Database } from '../../src/db/database';

const SCENARIOS = path.join(__dirname, '../../scenarios');

async function load(file: string): Promise<Scenario> {
  const parsed = parseScenario(await readFile(path.join(SCENARIOS, file), 'utf8'));
  if (!parsed.ok) throw new Error(`${file}: ${JSON.stringify(parsed.problems)}`);
  return parsed.scenario;
}

const outcomes = (run: RunResult) => Object.fromEntries(run.report.expectations.map((e) => [e.id, e.outcome]));
const events = (run: RunResult) => run.report.timeline.map((e) => (e.country ? `${e.type}@${e.country}` : e.type));

describe.each(databaseKinds())('the example scenarios, run headless [%s]', (kind) => {
  let db: Database;
  let services: ReturnType<typeof buildServices>;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
    services = buildServices(db, pino({ level: 'silent' }), { authFailureLimit: 20 });
  });
  afterAll(() => db.close());

  it('has a test below for every file in scenarios/', async () => {
    expect((await readdir(SCENARIOS)).sort()).toEqual([
      'article3-refused.yaml',
      'extradition-granted.yaml',
      'left-to-expire.yaml',
      'missing-child.yaml',
      'monaco-fingerprints.yaml',
      'monaco-whole-story-germany.csv',
      'monaco-whole-story.yaml',
    ]);
  });

  it('Monaco, the whole story: the mark and the name hit, the identity established, the border hit reported', async () => {
    const scenario = await withFilesRead(SCENARIOS, await load('monaco-whole-story.yaml'));
    const run = await runScenario(services, scenario!);
    expect(events(run)).toEqual([
      'CREATE',
      'SUBMIT',
      'START_REVIEW',
      'APPROVE',
      'ACKNOWLEDGE@RS',
      'REPORT_HIT@FR',
      'PROVISIONAL_ARREST@FR',
      'SURRENDER@FR',
      'WITHDRAW',
    ]);
    expect(outcomes(run)).toEqual({
      requested: 'met',
      published: 'met',
      'hit-reported': 'met',
      'hit-to-arrest': 'met',
      withdrawn: 'met',
    });
    expect(run.report.summary).toMatchObject({ score: 70, maxScore: 70, injects: { done: 14, failed: 0, pending: 0 } });
    // The hit France reported is the one its border search found on the notice.
    const reported = await db.prisma.noticeEvent.findFirst({ where: { exerciseId: run.exerciseId, type: 'REPORT_HIT' } });
    const [hit] = await db.prisma.hit.findMany({ where: { exerciseId: run.exerciseId, matchedKind: 'notice' } });
    expect(reported!.payload).toMatchObject({ hitId: hit!.id });
    expect(hit!.reportedAt).not.toBeNull();
  });

  it('Monaco fingerprints: identified, published, hit in France, arrested, surrendered, withdrawn', async () => {
    const run = await runScenario(services, await load('monaco-fingerprints.yaml'));
    expect(events(run)).toEqual([
      'CREATE',
      'SUBMIT',
      'START_REVIEW',
      'APPROVE',
      'ACKNOWLEDGE@RS',
      'REPORT_HIT@FR',
      'PROVISIONAL_ARREST@FR',
      'SURRENDER@FR',
      'WITHDRAW',
    ]);
    expect(run.report.notices[0]).toMatchObject({ state: 'withdrawn', records: { closed: 194, surrendered: 1 } });
    expect(outcomes(run)).toEqual({ published: 'met', 'hit-to-arrest': 'met', withdrawn: 'met' });
    expect(run.report.summary).toMatchObject({ score: 40, maxScore: 40, injects: { done: 9, failed: 0, pending: 0 } });
  });

  it('extradition granted: arrested in France, asked for in time over I-24/7, granted, surrendered, withdrawn', async () => {
    const run = await runScenario(services, await load('extradition-granted.yaml'));
    expect(events(run)).toEqual([
      'CREATE',
      'SUBMIT',
      'START_REVIEW',
      'APPROVE',
      'REPORT_HIT@FR',
      'PROVISIONAL_ARREST@FR',
      'EXTRADITION_REQUESTED@FR',
      'GRANT_EXTRADITION@FR',
      'SURRENDER@FR',
      'WITHDRAW',
    ]);
    expect(run.report.notices[0]).toMatchObject({ state: 'withdrawn', records: { closed: 194, surrendered: 1 } });
    expect(outcomes(run)).toEqual({ 'request-in-time': 'met', surrender: 'met', answered: 'met', withdrawn: 'met' });
    expect(run.report.summary).toMatchObject({ score: 50, maxScore: 50, injects: { done: 12, failed: 0, pending: 0 } });
    expect(run.report.expectations.find((e) => e.id === 'answered')).toMatchObject({
      notice: null,
      message: 'arrest',
      expects: 'message arrest answered by MC',
      from: '2026-03-10T11:00:00.000Z',
      happenedAt: '2026-03-11T09:00:00.000Z',
    });
    // France's message answered by Monaco in 22 hours; the system told Monaco of the arrest and the surrender.
    const team = (address: string) => run.report.messages!.byAddress.find((a) => a.address === address);
    expect(team('MC')).toMatchObject({ received: 1, answered: 1, firstAnswerSeconds: { median: 22 * 3600 } });
    expect(run.report.messages).toMatchObject({ messages: 4, threads: 3, fromSystem: 2 });
  });

  it('missing child: published, located in Italy, which moves the notice, then withdrawn', async () => {
    const run = await runScenario(services, await load('missing-child.yaml'));
    expect(events(run)).toEqual([
      'CREATE',
      'SUBMIT',
      'START_REVIEW',
      'APPROVE',
      'ACKNOWLEDGE@FR',
      'ACKNOWLEDGE@IT',
      'REPORT_LOCATED@IT',
      'REPORT_LOCATED',
      'WITHDRAW',
    ]);
    const located = run.report.timeline.find((e) => e.type === 'REPORT_LOCATED' && !e.country)!;
    expect(located).toMatchObject({ from: 'published', to: 'located', actor: { role: 'ncb', country: 'IT', participant: 'italy' } });
    expect(run.report.notices[0]).toMatchObject({ type: 'YELLOW', state: 'withdrawn', firstHitCountry: 'IT', records: { closed: 194, located: 1 } });
    expect(run.report.notices[0]!.seconds.submissionToPublication).toBe(5.5 * 3600);
    expect(outcomes(run)).toEqual({ published: 'met', located: 'met', withdrawn: 'met' });
    // Italy's report moved its record and the notice: one action, answering the publication.
    expect(run.report.participants.find((p) => p.key === 'italy')).toMatchObject({ actions: 2, byType: { ACKNOWLEDGE: 1, REPORT_LOCATED: 1 } });
  });

  it('Article 3 concern: information requested and given, then refused; never circulated', async () => {
    const run = await runScenario(services, await load('article3-refused.yaml'));
    expect(run.report.timeline.map((e) => `${e.type}:${e.from}→${e.to}`)).toEqual([
      'CREATE:null→draft',
      'SUBMIT:draft→submitted',
      'START_REVIEW:submitted→under_review',
      'REQUEST_INFO:under_review→info_requested',
      'PROVIDE_INFO:info_requested→under_review',
      'REFUSE:under_review→refused',
    ]);
    expect(run.report.notices[0]).toMatchObject({ state: 'refused', publishedAt: null, records: {} });
    expect(outcomes(run)).toEqual({ question: 'met', answer: 'met', refused: 'met' });
  });

  it('left to expire: the renewal window opens, nobody renews, the notice expires and every record closes', async () => {
    const run = await runScenario(services, await load('left-to-expire.yaml'));
    const system = run.report.timeline.filter((e) => e.actor.role === 'system');
    expect(system.map((e) => [e.type, e.at])).toEqual([
      ['OPEN_RENEWAL', '2030-07-14T10:00:00.000Z'],
      ['EXPIRE', '2031-01-14T10:00:00.000Z'],
    ]);
    expect(run.report.notices[0]).toMatchObject({ state: 'expired', endedAt: '2031-01-14T10:00:00.000Z', records: { closed: 195 } });
    expect(outcomes(run)).toEqual({ published: 'met', 'renewal-asked': 'met', renewed: 'missed', expired: 'met' });
    expect(run.report.summary).toMatchObject({ score: 30, maxScore: 60 });
  });

  it('ends at the end of simulated time, even with an expectation whose window runs past it', async () => {
    const scenario = await load('left-to-expire.yaml');
    scenario.start = '9995-01-01T00:00:00Z';
    scenario.expectations[1]!.within = 'P10Y';
    const run = await runScenario(services, scenario);
    expect(run.report.exercise.now).toBe('9999-12-31T23:59:59.000Z');
    expect(run.report.notices[0]!.state).toBe('expired');
  });

  it('stops at the horizon, leaving later injects pending', async () => {
    const run = await runScenario(services, await load('monaco-fingerprints.yaml'), { horizon: 'P2D' });
    expect(run.report.summary.injects).toMatchObject({ done: 5, pending: 4 });
    expect(run.report.notices[0]!.state).toBe('published');
  });
});

describe.each(databaseKinds())('injects fire once [%s]', (kind) => {
  it('fires each inject exactly once when two servers run the same exercise at the same moment', async () => {
    const first = await openTestDatabase(kind);
    // PostgreSQL: a second client with its own pool, as a second process would have. PGlite: one process only.
    const second = kind === 'postgres' ? await openTestDatabase(kind) : first;
    try {
      const a = buildServices(first, pino({ level: 'silent' }), { authFailureLimit: 20 });
      const b = buildServices(second, pino({ level: 'silent' }), { authFailureLimit: 20 });
      const scenario = await createScenarioExercise(a, await load('monaco-fingerprints.yaml'));
      const created = { id: scenario.exercise.id, facilitatorToken: scenario.facilitatorToken };
      const facilitator = (await a.exercises.authenticate(created.facilitatorToken))!;
      const clock = await a.exercises.actOnClock(facilitator, created.id, { action: 'advance', by: 'P40D' });
      const now = new Date(Date.parse('2026-03-02T09:00:00Z') + 40 * 86_400_000);
      const runs = await Promise.all([a.scheduler.runDue(created.id, now, clock), b.scheduler.runDue(created.id, now, clock), a.scheduler.runDue(created.id, now, clock)]);
      expect(runs.reduce((sum, r) => sum + r.injectsFired, 0)).toBe(9);
      const report = await a.reports.reportOf(created.id);
      expect(report.summary).toMatchObject({ events: 9, injects: { done: 9, failed: 0, pending: 0 }, score: 40 });
    } finally {
      if (second !== first) await second.close();
      await first.close();
    }
  });
});

describe('npm run scenario', () => {
  it('runs a scenario file headless, prints the summary and writes the HTML report', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'scenario-run-'));
    try {
      const out = path.join(dir, 'monaco.html');
      const json = path.join(dir, 'monaco.json');
      const script = path.join(__dirname, '../../scripts/run-scenario.ts');
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', script, path.join(SCENARIOS, 'monaco-fingerprints.yaml'), '--out', out, '--json', json],
        { env: { ...process.env, DATABASE_URL: '' }, timeout: 120_000 },
      );
      expect(stdout).toContain('Monaco fingerprints: ran on an in-memory database');
      expect(stdout).toContain('score 40 of 40');
      const html = await readFile(out, 'utf8');
      expect(html).toContain('<svg');
      expect(JSON.parse(await readFile(json, 'utf8')).summary.score).toBe(40);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names every problem of an invalid file and exits 1', async () => {
    const script = path.join(__dirname, '../../scripts/run-scenario.ts');
    const dir = await mkdtemp(path.join(tmpdir(), 'scenario-bad-'));
    try {
      const file = path.join(dir, 'bad.yaml');
      await (await import('node:fs/promises')).writeFile(file, 'title: Bad\nstart: soon\n');
      const failure = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, file], { timeout: 60_000 }).catch((e: { code: number; stderr: string }) => e);
      expect(failure).toMatchObject({ code: 1 });
      // Each problem in words, with its line and column in the file.
      const { stderr } = failure as { stderr: string };
      expect(stderr).toContain('  briefing (line 1, column 1): missing: this field is required\n');
      expect(stderr).toContain('  start (line 2, column 8): Invalid ISO datetime\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
