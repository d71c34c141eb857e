import pino from 'pino';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import { buildServices, type Services } from '../../src/server';
import { shippedModelText, parseModel } from '../../src/simulation/model';
import { FIGURE_NAMES } from '../../src/simulation/result';
import { replicate } from '../../src/simulation/run';
import { databaseKinds, openTestDatabase } from '../support/databases';

const ADMIN = 'simulations-admin-token-0123';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The shipped model as JSON, with a one-year warm-up so that a replication takes seconds. */
function shortModel(): Record<string, unknown> {
  return { ...(parseYaml(shippedModelText('interpol-2024')!) as Record<string, unknown>), warmUpFrom: '2023-01-01' };
}

describe.each(databaseKinds())('simulations through the API [%s]', (kind) => {
  let services: Services;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    const db = await openTestDatabase(kind);
    services = buildServices(db, pino({ level: 'silent' }), { authFailureLimit: 1_000_000, adminToken: ADMIN });
    http = request(services.app);
  });
  afterAll(async () => {
    await services?.simulations.idle();
    await services?.db.close();
  });

  it('starts a simulation at once, streams its progress, and gives the in-process figures and a report', async () => {
    const started = await http
      .post('/api/simulations')
      .set(bearer(ADMIN))
      .send({ model: shortModel(), years: 1, replications: 2, seed: 5 })
      .expect(202);
    const { id } = started.body as { id: string };
    expect(started.headers.location).toBe(`/api/simulations/${id}`);
    // Not done yet: the report waits for it.
    const early = await http.get(`/api/simulations/${id}/report`).set(bearer(ADMIN)).expect(409);
    expect(early.body.error.code).toBe('SIMULATION_NOT_DONE');

    const stream = await http.get(`/api/simulations/${id}/stream`).set(bearer(ADMIN)).expect(200);
    expect(stream.headers['content-type']).toContain('text/event-stream');
    expect(stream.text).toContain('event: progress\ndata: {"done":2,"total":2}');
    expect(stream.text).toMatch(/event: done\ndata: \{"id":"[^"]+","status":"done"/);

    const got = await http.get(`/api/simulations/${id}`).set(bearer(ADMIN)).expect(200);
    expect(got.body).toMatchObject({ id, status: 'done', model: 'custom', progress: { done: 2, total: 2 }, seed: 5 });
    const parsed = parseModel(shortModel());
    if (!parsed.ok) throw new Error('model');
    const second = replicate({ model: parsed.model, years: 1, seed: 5 }, 1);
    for (const name of FIGURE_NAMES) expect(got.body.result.figures[name].values[1]).toBe(second.figures[name]);

    const report = await http.get(`/api/simulations/${id}/report`).set(bearer(ADMIN)).expect(200);
    expect(report.headers['content-type']).toContain('text/html');
    expect(report.text).toContain('Against INTERPOL’s published figures');
    const list = await http.get('/api/simulations').set(bearer(ADMIN)).expect(200);
    expect(list.body.items[0]).toMatchObject({ id, status: 'done', result: null });
  }, 180_000);

  it('names the bad field of a model, an override or a name, and starts nothing', async () => {
    const before = (await http.get('/api/simulations').set(bearer(ADMIN)).expect(200)).body.items.length;
    const model = shortModel();
    const bad = await http
      .post('/api/simulations')
      .set(bearer(ADMIN))
      .send({ model: { ...model, review: { ...(model.review as object), reviewers: { value: -1, basis: 'assumed', source: 'x' } } } })
      .expect(400);
    expect(bad.body.error.details).toContainEqual(expect.objectContaining({ field: 'body.model.review.reviewers.value' }));
    const override = await http.post('/api/simulations').set(bearer(ADMIN)).send({ overrides: { review: { coffee: 1 } } }).expect(400);
    expect(override.body.error.details).toEqual([{ field: 'body.overrides.review.coffee', message: 'is not in the model' }]);
    const name = await http.post('/api/simulations').set(bearer(ADMIN)).send({ model: 'interpol-1999' }).expect(400);
    expect(name.body.error.details[0].field).toBe('body.model');
    const many = await http.post('/api/simulations').set(bearer(ADMIN)).send({ replications: 1000 }).expect(400);
    expect(many.body.error.details[0].field).toBe('body.replications');
    expect((await http.get('/api/simulations').set(bearer(ADMIN)).expect(200)).body.items).toHaveLength(before);
  });

  it('asks for the administrator token, and knows no simulation it does not have', async () => {
    await http.post('/api/simulations').send({}).expect(401);
    await http.get('/api/simulations').expect(401);
    await http.get('/api/simulations/6f1e4a8e-0000-4000-8000-000000000000').set(bearer(ADMIN)).expect(404);
    const malformed = await http.get('/api/simulations/not-an-id/report').set(bearer(ADMIN)).expect(400);
    expect(malformed.body.error.details[0].field).toBe('params.id');
    const schema = await http.get('/api/simulations/schema').expect(200);
    expect(schema.body.$defs.SimulationModel.properties).toHaveProperty('review');
  });
});
