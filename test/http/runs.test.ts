import { readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { loadConfig } from '../../src/config/config';
import { start, type RunningServer } from '../../src/server';
import { databaseKinds, postgresTestUrl, type DatabaseKind } from '../support/databases';
import { bearer, createExercise, publishedNotice, redRequest, send, type ExerciseFixture } from '../support/fixtures';
import { openSse } from '../support/sse';

const MONACO = readFileSync(path.join(__dirname, '../../scenarios/monaco-fingerprints.yaml'), 'utf8');
const MONACO_START = '2026-03-02T09:00:00.000Z';

interface ScenarioExercise {
  id: string;
  facilitatorToken: string;
  token: (key: string) => string;
}

describe.each(databaseKinds())('resetting an exercise [%s]', (kind: DatabaseKind) => {
  let server: RunningServer;
  let http: ReturnType<typeof request>;
  beforeAll(async () => {
    server = await start(
      {
        ...loadConfig({}),
        port: 0,
        databaseUrl: kind === 'postgres' ? postgresTestUrl() : undefined,
        dataDir: 'memory://',
        logLevel: 'silent',
      },
      pino({ level: 'silent' }),
    );
    http = request(server.url);
  });
  afterAll(() => server.stop());

  const fromScenario = async (body: object): Promise<ScenarioExercise> => {
    const created = (await http.post('/api/exercises').send(body).expect(201)).body;
    const token = (key: string) => created.participants.find((p: { key: string }) => p.key === key).token;
    return { id: created.id, facilitatorToken: created.facilitatorToken, token };
  };
  const clock = (id: string, facilitator: string, body: object) =>
    http.post(`/api/exercises/${id}/clock`).set(bearer(facilitator)).send(body).expect(200);
  const reset = (id: string, token: string) => http.post(`/api/exercises/${id}/reset`).set(bearer(token));
  const list = async (ex: { id: string }, token: string, query = '') =>
    (await http.get(`/api/exercises/${ex.id}/notices${query}`).set(bearer(token)).expect(200)).body.items as {
      id: string;
      run: number;
      state: string;
    }[];
  const report = async (ex: ScenarioExercise, query = '') =>
    (await http.get(`/api/exercises/${ex.id}/report${query}`).set(bearer(ex.facilitatorToken)).expect(200)).body;

  it('is the facilitator’s alone: a team or an observer gets 403 and nothing changes', async () => {
    const ex = await fromScenario({ scenario: MONACO, teams: ['secretariat'] });
    for (const key of ['secretariat', 'monaco', 'evaluator']) {
      const res = await reset(ex.id, ex.token(key)).expect(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect(await list(ex, ex.facilitatorToken)).toHaveLength(1);
    const other = await createExercise(http, []);
    await reset(ex.id, other.facilitator).expect(404);
  });

  it('starts the next run on the scenario’s clock, paused at its start; the earlier run stays readable', async () => {
    const ex = await fromScenario({ scenario: MONACO, teams: ['secretariat'] });
    await clock(ex.id, ex.facilitatorToken, { action: 'resume' });
    await clock(ex.id, ex.facilitatorToken, { action: 'advance', by: 'PT2H' });
    const [before] = await list(ex, ex.facilitatorToken);
    expect(before).toMatchObject({ run: 1, state: 'submitted' });

    const res = await reset(ex.id, ex.facilitatorToken).expect(200);
    expect(res.body).toEqual({ run: 2, clock: { now: MONACO_START, running: false, speed: 60, freezeWhilePaused: true } });
    const read = await http
      .get(`/api/exercises/${ex.id}/clock`)
      .set(bearer(ex.token('monaco')))
      .expect(200);
    expect(read.body).toMatchObject({ now: MONACO_START, running: false });

    // Monaco's request is due at the start: it fired again, as a notice of run 2.
    const [now] = await list(ex, ex.facilitatorToken);
    expect(now).toMatchObject({ run: 2, state: 'draft' });
    expect(now!.id).not.toBe(before!.id);
    expect(await list(ex, ex.facilitatorToken, '?run=1')).toEqual([expect.objectContaining({ id: before!.id })]);
    const old = await http
      .get(`/api/notices/${before!.id}`)
      .set(bearer(ex.token('monaco')))
      .expect(200);
    expect(old.body).toMatchObject({ run: 1, state: 'submitted', allowedEvents: [] });
    const history = await http
      .get(`/api/notices/${before!.id}/history`)
      .set(bearer(ex.token('monaco')))
      .expect(200);
    expect(history.body.items.map((h: { type: string }) => h.type)).toEqual(['CREATE', 'SUBMIT']);
  });

  it('keeps the exercise’s own setting for teams on a paused clock across a reset', async () => {
    const selfPaced = await createExercise(http, ['MC'], 'Self-paced', { freezeWhilePaused: false });
    expect((await reset(selfPaced.id, selfPaced.facilitator).expect(200)).body.clock.freezeWhilePaused).toBe(false);
    // Paused by the reset, yet a self-paced class still acts.
    await http.post(`/api/exercises/${selfPaced.id}/notices`).set(bearer(selfPaced.tokens['ncb:MC']!)).send(redRequest()).expect(201);
    const frozen = await createExercise(http, ['MC']);
    expect((await reset(frozen.id, frozen.facilitator).expect(200)).body.clock.freezeWhilePaused).toBe(true);
    await http.post(`/api/exercises/${frozen.id}/notices`).set(bearer(frozen.tokens['ncb:MC']!)).send(redRequest()).expect(409);
  });

  it('refuses any event on a notice of an earlier run with 409 EARLIER_RUN, and a run out of range with 400', async () => {
    const ex = await createExercise(http, ['MC', 'FR']);
    const published = await publishedNotice(http, ex, redRequest());
    await reset(ex.id, ex.facilitator).expect(200);
    await clock(ex.id, ex.facilitator, { action: 'resume' });

    const refused = await send(http, ex.tokens['ncb:MC']!, published.id, { type: 'SUSPEND', reason: 'x' }, 409);
    expect(refused.error).toMatchObject({ code: 'EARLIER_RUN', details: { run: 1, currentRun: 2 } });
    expect(refused.error.message).toMatch(/run 1 .*reset.*read-only/);
    const hit = await http
      .post(`/api/notices/${published.id}/circulation/FR/events`)
      .set(bearer(ex.tokens['ncb:FR']!))
      .send({ type: 'REPORT_HIT', details: 'Nice' })
      .expect(409);
    expect(hit.body.error.code).toBe('EARLIER_RUN');
    const history = await http.get(`/api/notices/${published.id}/history`).set(bearer(ex.tokens.gs!)).expect(200);
    expect(history.body.items.at(-1).type).toBe('APPROVE');

    for (const run of ['3', '0', 'two']) {
      const bad = await http.get(`/api/exercises/${ex.id}/notices?run=${run}`).set(bearer(ex.tokens.gs!)).expect(400);
      expect(bad.body.error.details[0].field).toBe('query.run');
    }
    await http.get(`/api/public/exercises/${ex.id}/notices?run=3`).expect(400);
    const extracts = async (q: string) => (await http.get(`/api/public/exercises/${ex.id}/notices${q}`)).body.items;
    expect(await extracts('')).toEqual([]);
    expect((await extracts('?run=1')).map((e: { id: string }) => e.id)).toEqual([published.id]);
    const heat = async (q: string) =>
      (await http.get(`/api/exercises/${ex.id}/heatmap?machine=notice-red${q}`).set(bearer(ex.tokens.gs!)).expect(200))
        .body.states;
    expect(await heat('')).toContainEqual({ state: 'published', count: 0 });
    expect(await heat('&run=1')).toContainEqual({ state: 'published', count: 1 });
  });

  it('keeps participants and their tokens, returns an exercise without a scenario to its own start, and never fires the earlier run’s deadlines', async () => {
    const before = Date.now();
    const ex: ExerciseFixture = await createExercise(http, ['MC']);
    const after = Date.now();
    const mc = ex.tokens['ncb:MC']!;
    const created = await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(mc)).send(redRequest()).expect(201);
    const id = created.body.id as string;
    await send(http, mc, id, { type: 'SUBMIT' });
    await send(http, ex.tokens.gs!, id, { type: 'START_REVIEW' });
    // Unanswered for 60 days, a request for information is refused by the system.
    await send(http, ex.tokens.gs!, id, { type: 'REQUEST_INFO', question: 'Which court?' });
    await clock(ex.id, ex.facilitator, { action: 'advance', by: 'P10D' });

    const res = await reset(ex.id, ex.facilitator).expect(200);
    expect(res.body.run).toBe(2);
    expect(res.body.clock.running).toBe(false);
    const startedAt = Date.parse(res.body.clock.now);
    expect(startedAt).toBeGreaterThanOrEqual(before);
    expect(startedAt).toBeLessThanOrEqual(after);

    const fired = await clock(ex.id, ex.facilitator, { action: 'advance', by: 'P90D' });
    expect(fired.body.deadlinesFired).toBe(0);
    const old = await http.get(`/api/notices/${id}`).set(bearer(mc)).expect(200);
    expect(old.body.state).toBe('info_requested');

    // Every token still works, in the new run.
    await clock(ex.id, ex.facilitator, { action: 'resume' });
    for (const token of Object.values(ex.tokens)) await http.get('/api/me').set(bearer(token)).expect(200);
    const again = await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(mc)).send(redRequest()).expect(201);
    expect(again.body.run).toBe(2);
    expect((await list(ex, ex.tokens.gs!)).map((n) => n.id)).toEqual([again.body.id]);
    expect((await list(ex, ex.tokens.gs!, '?run=1')).map((n) => n.id)).toEqual([id]);
  });

  it('puts the scenario’s injects back to pending: they fire again on advance, in run 2, and run 1’s report stays', async () => {
    const ex = await fromScenario({ scenario: MONACO, teams: ['secretariat'] });
    await clock(ex.id, ex.facilitatorToken, { action: 'advance', by: 'PT2H' });
    const first = await report(ex);
    expect(first.summary.injects).toEqual({ done: 2, failed: 0, pending: 5, skipped: 2 });

    await reset(ex.id, ex.facilitatorToken).expect(200);
    const second = await report(ex);
    // Monaco's request at the start fired at once; the rest waits again, and the team's part stays skipped.
    expect(second.summary.injects).toEqual({ done: 1, failed: 0, pending: 6, skipped: 2 });
    expect(second.summary.notices).toBe(1);

    await clock(ex.id, ex.facilitatorToken, { action: 'advance', by: 'PT2H' });
    const [notice] = await list(ex, ex.facilitatorToken);
    // SUBMIT found run 2's notice by its key, not run 1's.
    expect(notice).toMatchObject({ run: 2, state: 'submitted' });
    await clock(ex.id, ex.facilitatorToken, { action: 'resume' });
    const gs = ex.token('secretariat');
    await send(http, gs, notice!.id, { type: 'START_REVIEW' });
    await send(http, gs, notice!.id, { type: 'APPROVE', article3Cleared: true });
    const played = await clock(ex.id, ex.facilitatorToken, { action: 'advance', by: 'P40D' });
    expect(played.body).toMatchObject({ injectsFired: 5, injectsFailed: 0 });
    expect((await list(ex, ex.facilitatorToken))[0]).toMatchObject({ id: notice!.id, state: 'withdrawn' });

    const earlier = await report(ex, '?run=1');
    expect(earlier.summary.injects).toEqual(first.summary.injects);
    expect(earlier.notices.map((n: { id: string }) => n.id)).toEqual(first.notices.map((n: { id: string }) => n.id));
    expect((await report(ex)).summary.injects).toEqual({ done: 7, failed: 0, pending: 0, skipped: 2 });
    await http.get(`/api/exercises/${ex.id}/report?run=3`).set(bearer(ex.facilitatorToken)).expect(400);
    const html = await http.get(`/api/exercises/${ex.id}/report?run=1&format=html`).set(bearer(ex.facilitatorToken));
    expect(html.status).toBe(200);
  });

  it('tells open streams, at a position of its own, and positions keep rising across runs', async () => {
    const ex = await createExercise(http, ['MC']);
    const mc = ex.tokens['ncb:MC']!;
    const open = await openSse(`${server.url}/api/exercises/${ex.id}/stream`, bearer(mc));
    await open.waitFor('ready', 1);
    await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(mc)).send(redRequest()).expect(201);
    const [created] = await open.waitFor('notice-event', 1);

    await reset(ex.id, ex.facilitator).expect(200);
    const [message] = await open.waitFor('reset', 1);
    expect(JSON.parse(message!.data)).toEqual({ run: 2, clock: expect.objectContaining({ running: false }) });
    expect(Number(message!.id)).toBe(Number(created!.id) + 1);

    await clock(ex.id, ex.facilitator, { action: 'resume' });
    await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(mc)).send(redRequest()).expect(201);
    const events = await open.waitFor('notice-event', 2);
    expect(Number(events[1]!.id)).toBe(Number(message!.id) + 1);
    open.close();

    // A client that saw only the first event gets the reset, then what followed.
    const again = await openSse(`${server.url}/api/exercises/${ex.id}/stream`, {
      ...bearer(ex.tokens.observer!),
      'Last-Event-ID': created!.id!,
    });
    await again.waitFor('notice-event', 1);
    expect(again.messages.filter((m) => m.event !== 'ready').map((m) => [m.event, Number(m.id)])).toEqual([
      ['reset', Number(message!.id)],
      ['notice-event', Number(events[1]!.id)],
    ]);
    again.close();
  });
});
