import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MONACO_RED_REQUEST } from '../../src/notices/example-requests';
import { bearer } from '../support/fixtures';
import { describeEachDatabase, type TestApp } from '../support/http';

const MONACO = readFileSync(path.join(__dirname, '../../scenarios/monaco-fingerprints.yaml'), 'utf8');
const START = Date.parse('2026-03-02T09:00:00Z');
const H = 3_600;

interface Created {
  id: string;
  facilitatorToken: string;
  clock: { now: string; running: boolean; speed: number };
  participants: { key: string; id: string; role: string; country?: string; name?: string; token: string }[];
  injects: { scheduled: number; skipped: number; fired: number; failed: number };
}

async function fromScenario(app: TestApp, body: object): Promise<Created & { token: (key: string) => string }> {
  const res = await app.http.post('/api/exercises').send(body);
  if (res.status !== 201) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  const created = res.body as Created;
  return { ...created, token: (key) => created.participants.find((p) => p.key === key)!.token };
}

const advance = (app: TestApp, ex: Created, by: string) =>
  app.http.post(`/api/exercises/${ex.id}/clock`).set(bearer(ex.facilitatorToken)).send({ action: 'advance', by }).expect(200);

const onlyNotice = async (app: TestApp, ex: Created) => {
  const items = (await app.http.get(`/api/exercises/${ex.id}/notices`).set(bearer(ex.facilitatorToken)).expect(200)).body.items;
  expect(items).toHaveLength(1);
  return items[0] as { id: string; state: string };
};

describeEachDatabase('exercises from a scenario', (ctx) => {
  it('plays the Monaco scenario while a team plays the General Secretariat, and reports what happened', async () => {
    const app = ctx();
    // The team plays between the facilitator's advances, on a paused clock, so that each action has an exact
    // simulated time: the exercise lets teams act while paused.
    const ex = await fromScenario(app, { scenario: MONACO, teams: ['secretariat'], freezeWhilePaused: false });
    expect(ex.clock).toEqual({ now: new Date(START).toISOString(), running: false, speed: 60, freezeWhilePaused: false });
    expect(ex.participants.map((p) => [p.key, p.role, p.country ?? null])).toEqual([
      ['monaco', 'ncb', 'MC'],
      ['france', 'ncb', 'FR'],
      ['serbia', 'ncb', 'RS'],
      ['italy', 'ncb', 'IT'],
      ['secretariat', 'gs', null],
      ['evaluator', 'observer', null],
    ]);
    // Nine injects, two of them the secretariat's (played by the team); Monaco's request is due at the start.
    expect(ex.injects).toEqual({ scheduled: 7, skipped: 2, fired: 1, failed: 0 });
    const notice = await onlyNotice(app, ex);
    expect(notice.state).toBe('draft');

    expect((await advance(app, ex, 'PT2H')).body).toMatchObject({ injectsFired: 1, injectsFailed: 0, deadlinesFired: 0 });
    const gs = ex.token('secretariat');
    await app.http.post(`/api/notices/${notice.id}/events`).set(bearer(gs)).send({ type: 'START_REVIEW' }).expect(200);
    await advance(app, ex, 'PT20H');
    await app.http.post(`/api/notices/${notice.id}/events`).set(bearer(gs)).send({ type: 'APPROVE', article3Cleared: true }).expect(200);
    expect((await advance(app, ex, 'P40D')).body).toMatchObject({ injectsFired: 5, injectsFailed: 0 });
    expect((await onlyNotice(app, ex)).state).toBe('withdrawn');

    const report = (await app.http.get(`/api/exercises/${ex.id}/report`).set(bearer(ex.facilitatorToken)).expect(200)).body;
    const at = (hours: number) => new Date(START + hours * H * 1000).toISOString();
    expect(report.timeline.map((e: { at: string; type: string; actor: { participant?: string }; country?: string }) => [e.at, e.type, e.actor.participant, e.country ?? null])).toEqual([
      [at(0), 'CREATE', 'monaco', null],
      [at(1), 'SUBMIT', 'monaco', null],
      [at(2), 'START_REVIEW', 'secretariat', null],
      [at(22), 'APPROVE', 'secretariat', null],
      [at(26), 'ACKNOWLEDGE', 'serbia', 'RS'],
      [at(192), 'REPORT_HIT', 'france', 'FR'],
      [at(193), 'PROVISIONAL_ARREST', 'france', 'FR'],
      [at(720), 'SURRENDER', 'france', 'FR'],
      [at(744), 'WITHDRAW', 'monaco', null],
    ]);
    expect(report.notices).toEqual([
      expect.objectContaining({
        key: 'petrovic',
        state: 'withdrawn',
        submittedAt: at(1),
        publishedAt: at(22),
        firstHitAt: at(192),
        firstHitCountry: 'FR',
        endedAt: at(744),
        seconds: { submissionToPublication: 21 * H, publicationToFirstHit: 170 * H, publicationToEnd: 722 * H },
        records: { closed: 194, surrendered: 1 },
      }),
    ]);
    const who = (key: string) => report.participants.find((p: { key: string | null }) => p.key === key);
    expect(who('secretariat')).toMatchObject({
      actions: 2,
      byType: { START_REVIEW: 1, APPROVE: 1 },
      // Both answer Monaco's SUBMIT: one hour to open the review, 21 hours to the decision.
      responseSeconds: { count: 2, median: 11 * H, mean: 11 * H, max: 21 * H },
    });
    // Each of France's actions is timed from what prompted it: the hit from publication, the arrest from the hit.
    expect(who('france').responses.map((r: { type: string; after: { type: string }; seconds: number }) => [r.type, r.after.type, r.seconds])).toEqual([
      ['REPORT_HIT', 'APPROVE', 170 * H],
      ['PROVISIONAL_ARREST', 'REPORT_HIT', 1 * H],
      ['SURRENDER', 'PROVISIONAL_ARREST', 527 * H],
    ]);
    expect(who('france')).toMatchObject({ label: 'NCB Paris (France)', actions: 3, responseSeconds: { count: 3, median: 170 * H, max: 527 * H } });
    expect(who('monaco').responses).toEqual([
      { at: at(744), notice: 'petrovic', seq: 9, type: 'WITHDRAW', rule: 'purpose', after: { type: 'SURRENDER', seq: 8, at: at(720), country: 'FR' }, seconds: 24 * H },
    ]);
    expect(who('italy')).toMatchObject({ actions: 0, responseSeconds: { count: 0, median: null } });
    expect(report.expectations.map((e: { id: string; outcome: string; happenedAt: string }) => [e.id, e.outcome, e.happenedAt])).toEqual([
      ['published', 'met', at(22)],
      ['hit-to-arrest', 'met', at(193)],
      ['withdrawn', 'met', at(744)],
    ]);
    expect(report.summary).toMatchObject({ notices: 1, events: 9, injects: { done: 7, failed: 0, pending: 0, skipped: 2 }, score: 40, maxScore: 40 });
    expect(report.summary.refusals.total).toBe(0);

    const html = await app.http.get(`/api/exercises/${ex.id}/report?format=html`).set(bearer(ex.token('evaluator'))).expect(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.text).toContain('Score 40 of 40');
    expect(html.text).toContain('<svg');
    expect(html.text).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('scripts every part when no team plays, with each inject acting as its participant', async () => {
    const app = ctx();
    const ex = await fromScenario(app, { scenario: MONACO, name: 'Scripted run' });
    expect(ex.injects).toEqual({ scheduled: 9, skipped: 0, fired: 1, failed: 0 });
    expect((await advance(app, ex, 'P3D')).body).toMatchObject({ injectsFired: 4, now: new Date(START + 72 * H * 1000).toISOString() });
    expect((await advance(app, ex, 'P40D')).body).toMatchObject({ injectsFired: 4 });
    const notice = await onlyNotice(app, ex);
    const history = (await app.http.get(`/api/notices/${notice.id}/history`).set(bearer(ex.token('secretariat'))).expect(200)).body.items;
    expect(history.map((h: { type: string; actor: { role: string; country?: string } }) => `${h.type}:${h.actor.role}${h.actor.country ?? ''}`)).toEqual([
      'CREATE:ncbMC',
      'SUBMIT:ncbMC',
      'START_REVIEW:gs',
      'APPROVE:gs',
      'ACKNOWLEDGE:ncbRS',
      'REPORT_HIT:ncbFR',
      'PROVISIONAL_ARREST:ncbFR',
      'SURRENDER:ncbFR',
      'WITHDRAW:ncbMC',
    ]);
    const report = (await app.http.get(`/api/exercises/${ex.id}/report`).set(bearer(ex.facilitatorToken)).expect(200)).body;
    expect(report.exercise).toMatchObject({ name: 'Scripted run', title: 'Monaco fingerprints', start: new Date(START).toISOString() });
    expect(report.summary.score).toBe(40);
  });

  it('marks an inject failed, with the error it met, when a team got there first, and plays on', async () => {
    const app = ctx();
    // The secretariat acts by hand between advances, on a paused clock: the exercise lets teams act while paused.
    const ex = await fromScenario(app, { scenario: MONACO, freezeWhilePaused: false });
    await advance(app, ex, 'PT3H');
    const notice = await onlyNotice(app, ex);
    // The secretariat's team approves by hand before its scripted approval comes due.
    await app.http.post(`/api/notices/${notice.id}/events`).set(bearer(ex.token('secretariat'))).send({ type: 'APPROVE', article3Cleared: true }).expect(200);
    expect((await advance(app, ex, 'P1D')).body).toMatchObject({ injectsFired: 1, injectsFailed: 1 });
    const report = (await app.http.get(`/api/exercises/${ex.id}/report`).set(bearer(ex.facilitatorToken)).expect(200)).body;
    const approval = report.injects.find((i: { does: string }) => i.does === 'APPROVE on petrovic');
    expect(approval).toMatchObject({ status: 'failed', error: { status: 409, code: 'INVALID_TRANSITION' } });
    expect(report.summary.injects).toEqual({ done: 4, failed: 1, pending: 4, skipped: 0 });
    // Expectations still open are pending, not missed, while their window runs.
    expect(report.expectations.map((e: { outcome: string }) => e.outcome)).toEqual(['met', 'pending', 'pending']);
  });

  it('says which expectations were missed when the clock runs past them', async () => {
    const app = ctx();
    // Nobody plays the secretariat and no script does: the notice is never published.
    const ex = await fromScenario(app, { scenario: MONACO, teams: ['secretariat'] });
    expect((await advance(app, ex, 'P3D')).body).toMatchObject({ injectsFired: 1, injectsFailed: 1 });
    const report = (await app.http.get(`/api/exercises/${ex.id}/report`).set(bearer(ex.facilitatorToken)).expect(200)).body;
    expect(report.expectations.map((e: { id: string; outcome: string }) => [e.id, e.outcome])).toEqual([
      ['published', 'missed'],
      ['hit-to-arrest', 'pending'],
      ['withdrawn', 'pending'],
    ]);
    expect(report.injects[4]).toMatchObject({ status: 'failed', error: { status: 404, code: 'NOT_FOUND' } });
    expect(report.summary).toMatchObject({ score: 0, maxScore: 40 });
    expect(report.notices[0]).toMatchObject({ state: 'submitted', publishedAt: null, seconds: { submissionToPublication: null } });
    // Monaco withdraws its unpublished request; a hit that never came can no longer come.
    expect((await advance(app, ex, 'P40D')).body).toMatchObject({ injectsFired: 1, injectsFailed: 3 });
    const final = (await app.http.get(`/api/exercises/${ex.id}/report`).set(bearer(ex.facilitatorToken)).expect(200)).body;
    expect(final.expectations.map((e: { id: string; outcome: string }) => [e.id, e.outcome])).toEqual([
      ['published', 'missed'],
      ['hit-to-arrest', 'missed'],
      ['withdrawn', 'met'],
    ]);
    expect(final.summary).toMatchObject({ score: 10, maxScore: 40 });
  });

  it('gives a notice a team creates by hand the local key of its skipped create, so the script finds it', async () => {
    const app = ctx();
    // Monaco's team requests at the paused start: the exercise lets teams act while paused.
    const ex = await fromScenario(app, { scenario: MONACO, teams: ['monaco'], freezeWhilePaused: false });
    expect(ex.injects).toMatchObject({ skipped: 3, fired: 0 });
    const created = await app.http.post(`/api/exercises/${ex.id}/notices`).set(bearer(ex.token('monaco'))).send(MONACO_RED_REQUEST).expect(201);
    await app.http.post(`/api/notices/${created.body.id}/events`).set(bearer(ex.token('monaco'))).send({ type: 'SUBMIT' }).expect(200);
    expect((await advance(app, ex, 'P2D')).body).toMatchObject({ injectsFired: 3, injectsFailed: 0 });
    expect((await onlyNotice(app, ex)).state).toBe('published');
    const report = (await app.http.get(`/api/exercises/${ex.id}/report`).set(bearer(ex.facilitatorToken)).expect(200)).body;
    expect(report.notices[0]).toMatchObject({ key: 'petrovic', id: created.body.id });
    expect(report.expectations[0]).toMatchObject({ id: 'published', outcome: 'met' });
  });

  it('fires the injects a running clock has passed before a team’s request, so the request does not overtake them', async () => {
    const app = ctx();
    const ex = await fromScenario(app, { scenario: MONACO });
    const clock = (body: object) => app.http.post(`/api/exercises/${ex.id}/clock`).set(bearer(ex.facilitatorToken)).send(body).expect(200);
    // One simulated hour per wall second, and no ticker in this test app: only the request can fire them.
    await clock({ action: 'set_speed', speed: 3600 });
    await clock({ action: 'resume' });
    await new Promise((resolve) => setTimeout(resolve, 3_300));
    // The SUBMIT and START_REVIEW injects (due at 1 h and 3 h) fire before this request is answered,
    // and so before the question, which the notice would otherwise refuse in draft.
    const notice = (await app.db.prisma.notice.findFirstOrThrow({ where: { exerciseId: ex.id } }));
    expect(notice.state).toBe('draft');
    await app.http
      .post(`/api/notices/${notice.id}/events`)
      .set(bearer(ex.token('secretariat')))
      .send({ type: 'REQUEST_INFO', question: 'Which court issued the warrant?' })
      .expect(200);
    const history = (await app.http.get(`/api/notices/${notice.id}/history`).set(bearer(ex.token('secretariat'))).expect(200)).body.items;
    expect(history.map((h: { type: string }) => h.type)).toEqual(['CREATE', 'SUBMIT', 'START_REVIEW', 'REQUEST_INFO']);
  });

  it('fires the injects due before a country’s circulation event too, which finds the notice they published', async () => {
    const app = ctx();
    const ex = await fromScenario(app, { scenario: MONACO });
    const clock = (body: object) => app.http.post(`/api/exercises/${ex.id}/clock`).set(bearer(ex.facilitatorToken)).send(body).expect(200);
    const notice = await app.db.prisma.notice.findFirstOrThrow({ where: { exerciseId: ex.id } });
    const url = `/api/notices/${notice.id}/circulation/IT/events`;
    // Known to the server (its identity cached) while the notice is a draft, which Italy may not see yet.
    await app.http.get(`/api/notices/${notice.id}/circulation`).set(bearer(ex.token('italy'))).expect(404);
    // A simulated day per wall second: the APPROVE inject (at 1 day) falls due within the wait.
    await clock({ action: 'set_speed', speed: 86_400 });
    await clock({ action: 'resume' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const acked = await app.http.post(url).set(bearer(ex.token('italy'))).send({ type: 'ACKNOWLEDGE' }).expect(200);
    expect(acked.body).toMatchObject({ country: 'IT', state: 'acknowledged' });
    const history = (await app.http.get(`/api/notices/${notice.id}/history`).set(bearer(ex.token('secretariat'))).expect(200)).body.items;
    expect(history.map((h: { type: string }) => h.type).slice(0, 4)).toEqual(['CREATE', 'SUBMIT', 'START_REVIEW', 'APPROVE']);
    expect(history.at(-1)).toMatchObject({ type: 'ACKNOWLEDGE', country: 'IT' });
  });

  it('keeps the report from the teams in play', async () => {
    const app = ctx();
    const ex = await fromScenario(app, { scenario: MONACO });
    for (const key of ['monaco', 'secretariat']) {
      const res = await app.http.get(`/api/exercises/${ex.id}/report`).set(bearer(ex.token(key))).expect(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    const other = await fromScenario(app, { scenario: MONACO });
    await app.http.get(`/api/exercises/${ex.id}/report`).set(bearer(other.facilitatorToken)).expect(404);
    await app.http.get(`/api/exercises/${ex.id}/report`).expect(401);
    const bad = await app.http.get(`/api/exercises/${ex.id}/report?format=pdf`).set(bearer(ex.facilitatorToken)).expect(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ field: 'query.format' })]);
  });

  it.each([
    ['no name and no scenario', {}, 'body.name'],
    ['teams without a scenario', { teams: ['x'], name: 'No scenario' }, 'body.teams'],
    ['a team not in the scenario', { scenario: MONACO, teams: ['nobody'] }, 'body.teams.0'],
    ['text that is not YAML', { scenario: 'title: [unclosed' }, 'body.scenario'],
    ['an inject by an unknown participant', { scenario: MONACO.replace('as: serbia', 'as: belgium') }, 'body.scenario.injects.4.as'],
    ['a start that is not a time', { scenario: MONACO.replace('start: 2026-03-02T09:00:00Z', 'start: yesterday') }, 'body.scenario.start'],
    ['a scenario object with fields missing', { scenario: { title: 'Bare' } }, 'body.scenario.briefing'],
  ])('refuses %s, naming the field, and creates nothing', async (_label, body, field) => {
    const app = ctx();
    const before = await app.db.prisma.exercise.count();
    const res = await app.http.post('/api/exercises').send(body).expect(400);
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(await app.db.prisma.exercise.count()).toBe(before);
  });

  it('names a bad inject by its number from 1 and its line in the YAML text, keeping the path', async () => {
    const app = ctx();
    const text = MONACO.replace('as: serbia', 'as: belgium');
    const line = text.slice(0, text.indexOf('as: belgium')).split('\n').length;
    const res = await app.http.post('/api/exercises').send({ scenario: text }).expect(400);
    expect(res.body.error.details).toEqual([
      {
        field: 'body.scenario.injects.4.as',
        message: 'no participant "belgium"',
        where: 'inject 5, as',
        line,
        column: 23,
      },
    ]);
    expect(res.body.error.message).toBe(`inject 5, as (line ${line}, column 23): no participant "belgium"`);
  });
});
