import pino from 'pino';
import request from 'supertest';
import { buildServices } from '../../src/server';
import { databaseKinds, openTestDatabase } from '../support/databases';
import { bearer, createExercise, redRequest, type ExerciseFixture } from '../support/fixtures';
import { describeEachDatabase, type Agent } from '../support/http';

const participantId = async (http: Agent, ex: ExerciseFixture, key: string): Promise<string> => {
  const list = await http.get(`/api/exercises/${ex.id}/participants`).set(bearer(ex.facilitator)).expect(200);
  const [role, country] = key.split(':');
  return list.body.items.find((p: { role: string; country?: string }) => p.role === role && p.country === country).id;
};

describeEachDatabase('tokens and the identity cache', (ctx) => {
  it('refuses a revoked token on its very next request, though it had just been used', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC']);
    const mc = await participantId(http, ex, 'ncb:MC');
    for (let i = 0; i < 3; i++) await http.get('/api/me').set(bearer(ex.tokens['ncb:MC']!)).expect(200);

    await http.delete(`/api/exercises/${ex.id}/participants/${mc}`).set(bearer(ex.facilitator)).expect(204);
    await http.get('/api/me').set(bearer(ex.tokens['ncb:MC']!)).expect(401);
    await http.get('/api/me').set(bearer(ex.tokens.gs!)).expect(200);
  });

  it('refuses a re-issued token’s old value at once, and takes the new one at once', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC']);
    const mc = await participantId(http, ex, 'ncb:MC');
    const old = ex.tokens['ncb:MC']!;
    await http.get('/api/me').set(bearer(old)).expect(200);

    const reissued = await http
      .post(`/api/exercises/${ex.id}/participants/${mc}/token`)
      .set(bearer(ex.facilitator))
      .expect(201);
    await http.get('/api/me').set(bearer(old)).expect(401);
    const me = await http.get('/api/me').set(bearer(reissued.body.token)).expect(200);
    expect(me.body).toMatchObject({ participantId: mc, country: 'MC' });
  });

  it('refuses the old tokens of a token sheet’s participants at once', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC']);
    await http.get('/api/me').set(bearer(ex.tokens.gs!)).expect(200);
    await http.post(`/api/exercises/${ex.id}/token-sheet`).set(bearer(ex.facilitator)).send({}).expect(200);
    await http.get('/api/me').set(bearer(ex.tokens.gs!)).expect(401);
    await http.get('/api/me').set(bearer(ex.facilitator)).expect(200);
  });

  it('reads the clock on every request: a pause stops a team whose token was just used', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC']);
    await http.get('/api/me').set(bearer(ex.tokens['ncb:MC']!)).expect(200);
    await http.post(`/api/exercises/${ex.id}/clock`).set(bearer(ex.facilitator)).send({ action: 'pause' }).expect(200);
    const refused = await http
      .post(`/api/exercises/${ex.id}/notices`)
      .set(bearer(ex.tokens['ncb:MC']!))
      .send(redRequest())
      .expect(409);
    expect(refused.body.error.code).toBe('EXERCISE_PAUSED');
  });

  it('takes a participant added a moment after its token was refused', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, []);
    await http.get('/api/me').set(bearer('nst_not-yet-a-token')).expect(401);
    const added = await http
      .post(`/api/exercises/${ex.id}/participants`)
      .set(bearer(ex.facilitator))
      .send({ role: 'observer' })
      .expect(201);
    await http.get('/api/me').set(bearer(added.body.token)).expect(200);
  });
});

const postgres = databaseKinds().includes('postgres') ? describe : describe.skip;

postgres('two app instances on one PostgreSQL database', () => {
  const open = async () => {
    const db = await openTestDatabase('postgres');
    const { app } = buildServices(db, pino({ level: 'silent' }), { authFailureLimit: 1_000_000 });
    return { db, http: request(app) };
  };

  it('refuse on the first a token revoked or re-issued through the second, on the next request after it answered', async () => {
    const first = await open();
    const second = await open();
    try {
      const ex = await createExercise(first.http, ['MC']);
      const mc = await participantId(first.http, ex, 'ncb:MC');
      const gs = await participantId(first.http, ex, 'gs');
      await first.http.get('/api/me').set(bearer(ex.tokens['ncb:MC']!)).expect(200);
      await first.http.get('/api/me').set(bearer(ex.tokens.gs!)).expect(200);

      await second.http.delete(`/api/exercises/${ex.id}/participants/${mc}`).set(bearer(ex.facilitator)).expect(204);
      await first.http.get('/api/me').set(bearer(ex.tokens['ncb:MC']!)).expect(401);

      const reissued = await second.http
        .post(`/api/exercises/${ex.id}/participants/${gs}/token`)
        .set(bearer(ex.facilitator))
        .expect(201);
      await first.http.get('/api/me').set(bearer(ex.tokens.gs!)).expect(401);
      await first.http.get('/api/me').set(bearer(reissued.body.token)).expect(200);
    } finally {
      await first.db.close();
      await second.db.close();
    }
  });
});
