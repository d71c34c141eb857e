import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bearer, createExercise, publishedNotice, redRequest, send, type ExerciseFixture } from '../support/fixtures';
import { describeEachDatabase, type TestApp } from '../support/http';

const MONACO = readFileSync(path.join(__dirname, '../../scenarios/monaco-fingerprints.yaml'), 'utf8');

const clock = (app: TestApp, ex: ExerciseFixture, body: object) =>
  app.http.post(`/api/exercises/${ex.id}/clock`).set(bearer(ex.facilitator)).send(body).expect(200);

const readNotice = async (app: TestApp, ex: ExerciseFixture, id: string) => {
  const notice = (await app.http.get(`/api/notices/${id}`).set(bearer(ex.tokens.gs!)).expect(200)).body;
  const history = (await app.http.get(`/api/notices/${id}/history`).set(bearer(ex.tokens.gs!)).expect(200)).body;
  return { state: notice.state as string, version: notice.version as number, history: history.items as unknown[] };
};

const expectPaused = (res: { status: number; body: any }) => {
  expect(res.status).toBe(409);
  expect(res.body.error.code).toBe('EXERCISE_PAUSED');
  expect(res.body.error.message).toMatch(/^The exercise is paused by the facilitator: /);
};

describeEachDatabase('pause means pause', (ctx) => {
  it('refuses a team’s notice event while paused with EXERCISE_PAUSED, writing nothing', async () => {
    const app = ctx();
    const ex = await createExercise(app.http, ['MC']);
    const created = await app.http.post(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens['ncb:MC']!)).send(redRequest()).expect(201);
    const id = created.body.id as string;
    await send(app.http, ex.tokens['ncb:MC']!, id, { type: 'SUBMIT' });
    await clock(app, ex, { action: 'pause' });
    const before = await readNotice(app, ex, id);

    expectPaused(await app.http.post(`/api/notices/${id}/events`).set(bearer(ex.tokens.gs!)).send({ type: 'START_REVIEW' }));
    expectPaused(await app.http.post(`/api/notices/${id}/events`).set(bearer(ex.tokens['ncb:MC']!)).send({ type: 'WITHDRAW', reason: 'x' }));
    expectPaused(await app.http.post(`/api/notices/${id}/events`).set(bearer(ex.tokens.ccf!)).send({ type: 'DELETE', decisionRef: 'CCF/1' }));
    expectPaused(await app.http.post(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens['ncb:MC']!)).send(redRequest()));

    expect(await readNotice(app, ex, id)).toEqual(before);
    const list = await app.http.get(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens['ncb:MC']!)).expect(200);
    expect(list.body.items).toHaveLength(1);
  });

  it('refuses a circulation event while paused; after resume the same event is accepted', async () => {
    const app = ctx();
    const ex = await createExercise(app.http, ['MC', 'FR']);
    const notice = await publishedNotice(app.http, ex, redRequest());
    await clock(app, ex, { action: 'pause' });
    const url = `/api/notices/${notice.id}/circulation/FR/events`;
    expectPaused(await app.http.post(url).set(bearer(ex.tokens['ncb:FR']!)).send({ type: 'ACKNOWLEDGE' }));
    const records = await app.http.get(`/api/notices/${notice.id}/circulation`).set(bearer(ex.tokens['ncb:FR']!)).expect(200);
    expect(records.body.items).toEqual([expect.objectContaining({ country: 'FR', state: 'received' })]);

    await clock(app, ex, { action: 'resume' });
    const acked = await app.http.post(url).set(bearer(ex.tokens['ncb:FR']!)).send({ type: 'ACKNOWLEDGE' }).expect(200);
    expect(acked.body.state).toBe('acknowledged');
  });

  it('judges a country’s event on its own exercise’s clock, even on another exercise’s notice', async () => {
    // The record event reads the clock with the notice: a notice of another exercise brings that
    // exercise's clock, which must not decide whether this caller's exercise is paused.
    const app = ctx();
    const mine = await createExercise(app.http, ['MC', 'FR']);
    const theirs = await createExercise(app.http, ['MC', 'FR']);
    const theirNotice = await publishedNotice(app.http, theirs, redRequest());
    const myNotice = await publishedNotice(app.http, mine, redRequest());
    const fr = bearer(mine.tokens['ncb:FR']!);
    // The token is known (and cached) before the pause, as in a class.
    await app.http.get(`/api/notices/${myNotice.id}/circulation`).set(fr).expect(200);
    await clock(app, mine, { action: 'pause' });
    expectPaused(await app.http.post(`/api/notices/${theirNotice.id}/circulation/FR/events`).set(fr).send({ type: 'ACKNOWLEDGE' }));
    expectPaused(await app.http.post(`/api/notices/${myNotice.id}/circulation/FR/events`).set(fr).send({ type: 'ACKNOWLEDGE' }));

    // The other way round: the caller's exercise runs, the notice's is paused: not its to see (404).
    await clock(app, mine, { action: 'resume' });
    await clock(app, theirs, { action: 'pause' });
    const res = await app.http.post(`/api/notices/${theirNotice.id}/circulation/FR/events`).set(fr).send({ type: 'ACKNOWLEDGE' });
    expect(res.status).toBe(404);
    await app.http.post(`/api/notices/${myNotice.id}/circulation/FR/events`).set(fr).send({ type: 'ACKNOWLEDGE' }).expect(200);
    const records = await app.http.get(`/api/notices/${theirNotice.id}/circulation`).set(bearer(theirs.tokens.gs!)).expect(200);
    expect(records.body.items.find((r: { country: string }) => r.country === 'FR')).toMatchObject({ state: 'received' });
  });

  it('refuses a circulation event on a notice that does not exist with EXERCISE_PAUSED while paused, and 404 once resumed', async () => {
    const app = ctx();
    const ex = await createExercise(app.http, ['MC', 'FR']);
    await clock(app, ex, { action: 'pause' });
    const url = '/api/notices/00000000-0000-4000-8000-000000000000/circulation/FR/events';
    expectPaused(await app.http.post(url).set(bearer(ex.tokens['ncb:FR']!)).send({ type: 'ACKNOWLEDGE' }));
    await clock(app, ex, { action: 'resume' });
    expect((await app.http.post(url).set(bearer(ex.tokens['ncb:FR']!)).send({ type: 'ACKNOWLEDGE' })).status).toBe(404);
  });


  it('judges a notice’s own event on the caller’s exercise clock, even on another exercise’s notice', async () => {
    // A notice event reads the clock with the notice too (APPROVE's hot path): the same rule as a record's.
    const app = ctx();
    const mine = await createExercise(app.http, ['MC']);
    const theirs = await createExercise(app.http, ['MC']);
    const create = async (ex: ExerciseFixture) => {
      const created = await app.http.post(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens['ncb:MC']!)).send(redRequest()).expect(201);
      await send(app.http, ex.tokens['ncb:MC']!, created.body.id, { type: 'SUBMIT' });
      return created.body.id as string;
    };
    const theirNotice = await create(theirs);
    const myNotice = await create(mine);
    const gs = bearer(mine.tokens.gs!);
    await app.http.get(`/api/notices/${myNotice}`).set(gs).expect(200);
    await clock(app, mine, { action: 'pause' });
    expectPaused(await app.http.post(`/api/notices/${theirNotice}/events`).set(gs).send({ type: 'START_REVIEW' }));
    expectPaused(await app.http.post(`/api/notices/${myNotice}/events`).set(gs).send({ type: 'START_REVIEW' }));

    await clock(app, mine, { action: 'resume' });
    await clock(app, theirs, { action: 'pause' });
    expect((await app.http.post(`/api/notices/${theirNotice}/events`).set(gs).send({ type: 'START_REVIEW' })).status).toBe(404);
    const started = await app.http.post(`/api/notices/${myNotice}/events`).set(gs).send({ type: 'START_REVIEW' }).expect(200);
    expect(started.body.state).toBe('under_review');
    expect((await readNotice(app, theirs, theirNotice)).state).toBe('submitted');
  });
  it('lets the facilitator act and everyone read while paused, and the clock view says teams wait', async () => {
    const app = ctx();
    const ex = await createExercise(app.http, ['MC']);
    const paused = (await clock(app, ex, { action: 'pause' })).body;
    expect(paused).toMatchObject({ running: false, freezeWhilePaused: true });
    await clock(app, ex, { action: 'advance', by: 'P1D' });
    await clock(app, ex, { action: 'set_speed', speed: 60 });
    await app.http.post(`/api/exercises/${ex.id}/participants`).set(bearer(ex.facilitator)).send({ role: 'observer' }).expect(201);
    const me = await app.http.get('/api/me').set(bearer(ex.tokens['ncb:MC']!)).expect(200);
    expect(me.body.exercise.freezeWhilePaused).toBe(true);
    await app.http.get(`/api/exercises/${ex.id}/clock`).set(bearer(ex.tokens.gs!)).expect(200);
    // An observer changes nothing anyway: its answer stays the 403 of its role.
    const res = await app.http.post(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens.observer!)).send(redRequest());
    expect(res.status).toBe(403);
  });

  it('lets teams play on a paused clock in an exercise created with freezeWhilePaused: false', async () => {
    const app = ctx();
    const created = await app.http.post('/api/exercises').send({ name: 'Self-paced', freezeWhilePaused: false }).expect(201);
    const ex: ExerciseFixture = { id: created.body.id, facilitator: created.body.facilitatorToken, tokens: {} };
    const mc = await app.http.post(`/api/exercises/${ex.id}/participants`).set(bearer(ex.facilitator)).send({ role: 'ncb', country: 'MC' }).expect(201);
    const paused = (await clock(app, ex, { action: 'pause' })).body;
    expect(paused).toMatchObject({ running: false, freezeWhilePaused: false });
    const notice = await app.http.post(`/api/exercises/${ex.id}/notices`).set(bearer(mc.body.token)).send(redRequest()).expect(201);
    const submitted = await send(app.http, mc.body.token, notice.body.id, { type: 'SUBMIT' });
    expect(submitted.state).toBe('submitted');
    expect((await app.http.get('/api/me').set(bearer(mc.body.token)).expect(200)).body.exercise.freezeWhilePaused).toBe(false);
  });

  it('starts a scenario exercise paused with teams waiting, unless it opts out', async () => {
    const app = ctx();
    const frozen = (await app.http.post('/api/exercises').send({ scenario: MONACO, teams: ['secretariat'] }).expect(201)).body;
    expect(frozen.clock).toMatchObject({ running: false, freezeWhilePaused: true });
    const token = (body: any, key: string) => body.participants.find((p: { key: string }) => p.key === key).token as string;
    const items = (await app.http.get(`/api/exercises/${frozen.id}/notices`).set(bearer(token(frozen, 'secretariat'))).expect(200)).body.items;
    // Monaco's request fired at the start, as an inject: injects are not a team's requests.
    expect(items).toHaveLength(1);
    expectPaused(await app.http.post(`/api/exercises/${frozen.id}/notices`).set(bearer(token(frozen, 'monaco'))).send(redRequest()));

    const open = (await app.http.post('/api/exercises').send({ scenario: MONACO, teams: ['monaco'], freezeWhilePaused: false }).expect(201)).body;
    expect(open.clock).toMatchObject({ running: false, freezeWhilePaused: false });
    await app.http.post(`/api/exercises/${open.id}/notices`).set(bearer(token(open, 'monaco'))).send(redRequest()).expect(201);
  });

  it('fires injects and system deadlines when the facilitator advances a paused clock', async () => {
    const app = ctx();
    const scenario = (await app.http.post('/api/exercises').send({ scenario: MONACO }).expect(201)).body;
    const fac = scenario.facilitatorToken as string;
    const advanced = await app.http.post(`/api/exercises/${scenario.id}/clock`).set(bearer(fac)).send({ action: 'advance', by: 'P2D' }).expect(200);
    // SUBMIT, START_REVIEW, APPROVE and Serbia's ACKNOWLEDGE, all as their participants, on a paused clock.
    expect(advanced.body).toMatchObject({ running: false, injectsFired: 4, injectsFailed: 0 });
    const notices = (await app.http.get(`/api/exercises/${scenario.id}/notices`).set(bearer(fac)).expect(200)).body.items;
    expect(notices.map((n: { state: string }) => n.state)).toEqual(['published']);

    const ex = await createExercise(app.http, ['MC']);
    const notice = await publishedNotice(app.http, ex, redRequest());
    await clock(app, ex, { action: 'pause' });
    const jumped = (await clock(app, ex, { action: 'advance', by: 'P4Y7M' })).body;
    expect(jumped.deadlinesFired).toBe(1);
    const after = await readNotice(app, ex, notice.id);
    expect(after.state).toBe('renewal_pending');
    expect(after.history.at(-1)).toMatchObject({ type: 'OPEN_RENEWAL', actor: { role: 'system' } });
  });
});
