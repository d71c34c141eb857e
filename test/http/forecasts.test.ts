import pino from 'pino';
import request from 'supertest';
import { buildServices, type Services } from '../../src/server';
import { databaseKinds, openTestDatabase } from '../support/databases';
import { bearer, createExercise, publishedNotice, redRequest, send, yellowRequest, type ExerciseFixture } from '../support/fixtures';

type Agent = ReturnType<typeof request>;

async function finished(http: Agent, location: string, token: string): Promise<any> {
  for (;;) {
    const res = await http.get(location).set(bearer(token)).expect(200);
    if (res.body.status === 'done' || res.body.status === 'failed') return res.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.each(databaseKinds())('forecasts from a live exercise [%s]', (kind) => {
  let services: Services;
  let http: Agent;
  let ex: ExerciseFixture;

  beforeAll(async () => {
    services = buildServices(await openTestDatabase(kind), pino({ level: 'silent' }), { authFailureLimit: 1_000_000 });
    http = request(services.app);
    ex = await createExercise(http, ['MC', 'FR']);
    // Two published Red notices, one Yellow, and a Red request waiting for the GS.
    await publishedNotice(http, ex, redRequest());
    await publishedNotice(http, ex, redRequest(), 'FR');
    await publishedNotice(http, ex, yellowRequest());
    const waiting = await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens['ncb:MC']!)).send(redRequest()).expect(201);
    await send(http, ex.tokens['ncb:MC']!, waiting.body.id, { type: 'SUBMIT' });
    // A paused clock: two forecasts start from the same simulated now.
    await http.post(`/api/exercises/${ex.id}/clock`).set(bearer(ex.facilitator)).send({ action: 'pause' }).expect(200);
  });
  afterAll(async () => {
    await services?.forecasts.idle();
    await services?.db.close();
  });

  it('projects today’s notices over the horizon, the same for the same seed', async () => {
    const body = { horizon: 'P1Y', replications: 6, seed: 3 };
    const started = await http.post(`/api/exercises/${ex.id}/forecasts`).set(bearer(ex.facilitator)).send(body).expect(202);
    expect(started.headers.location).toBe(`/api/exercises/${ex.id}/forecasts/${started.body.id}`);
    const forecast = await finished(http, started.headers.location!, ex.facilitator);
    expect(forecast).toMatchObject({ status: 'done', progress: { total: 6 } });
    const f = forecast.result.figures;
    // Valid now: the three published notices; nothing new arrives, so nothing beyond the one in review.
    expect(f.redValidAtStart.values).toEqual([2, 2, 2, 2, 2, 2]);
    expect(f.yellowValidAtStart.values).toEqual([1, 1, 1, 1, 1, 1]);
    for (let i = 0; i < 6; i++) {
      expect(f.redValidAtEnd.values[i]).toBeLessThanOrEqual(3);
      expect(f.redIssued.values[i] + f.redRefused.values[i] + f.redRefusedBySystem.values[i]).toBeLessThanOrEqual(1);
    }
    // A year later the waiting request has been decided in (nearly) every replication.
    expect(f.reviewsCompleted.mean).toBeGreaterThan(0.5);

    const again = await http.post(`/api/exercises/${ex.id}/forecasts`).set(bearer(ex.tokens.observer!)).send(body).expect(202);
    const repeat = await finished(http, again.headers.location!, ex.tokens.observer!);
    expect(repeat.result.figures).toEqual(forecast.result.figures);
  });

  it('changes the rates by overrides: with Red notices withdrawn a hundred times a year, both go', async () => {
    const overrides = { published: { red: { withdrawalsPerYear: 100 } } };
    const started = await http
      .post(`/api/exercises/${ex.id}/forecasts`)
      .set(bearer(ex.facilitator))
      .send({ horizon: 'P90D', replications: 3, seed: 1, overrides })
      .expect(202);
    const forecast = await finished(http, started.headers.location!, ex.facilitator);
    expect(forecast.result.figures.redWithdrawn.mean).toBeGreaterThanOrEqual(2);
  });

  it('is for the facilitator and observers, names a bad field, and knows no other exercise’s forecast', async () => {
    await http.post(`/api/exercises/${ex.id}/forecasts`).set(bearer(ex.tokens['ncb:MC']!)).send({}).expect(403);
    const other = await createExercise(http, ['MC'], 'Other');
    await http.post(`/api/exercises/${ex.id}/forecasts`).set(bearer(other.facilitator)).send({}).expect(404);
    const horizon = await http.post(`/api/exercises/${ex.id}/forecasts`).set(bearer(ex.facilitator)).send({ horizon: 'soon' }).expect(400);
    expect(horizon.body.error.details[0].field).toBe('body.horizon');
    const rate = await http
      .post(`/api/exercises/${ex.id}/forecasts`)
      .set(bearer(ex.facilitator))
      .send({ overrides: { published: { red: { hitsPerYear: -1 } } } })
      .expect(400);
    expect(rate.body.error.details[0].field).toBe('body.overrides.published.red.hitsPerYear.value');
    const mine = await http.post(`/api/exercises/${other.id}/forecasts`).set(bearer(other.facilitator)).send({ replications: 1 }).expect(202);
    await http.get(`/api/exercises/${ex.id}/forecasts/${mine.body.id}`).set(bearer(ex.facilitator)).expect(404);
  });
});
