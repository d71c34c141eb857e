import { bearer, createExercise } from '../support/fixtures';
import { createTestApp, describeEachDatabase } from '../support/http';

describeEachDatabase('participants', (ctx) => {
  it('lists every participant to the facilitator, never with a token', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC', 'RS']);
    const res = await http.get(`/api/exercises/${ex.id}/participants`).set(bearer(ex.facilitator)).expect(200);
    expect(res.body.items.map((p: { role: string; country?: string }) => `${p.role}${p.country ? `:${p.country}` : ''}`)).toEqual([
      'facilitator',
      'gs',
      'ccf',
      'observer',
      'ncb:MC',
      'ncb:RS',
    ]);
    const text = JSON.stringify(res.body);
    for (const token of [ex.facilitator, ...Object.values(ex.tokens)]) expect(text).not.toContain(token);
    expect(Object.keys(res.body.items[0]).sort()).toEqual(['createdAt', 'id', 'revokedAt', 'role']);
  });

  it('lets only the facilitator list or revoke, and only in its own exercise', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC']);
    const other = await createExercise(http, []);
    const list = await http.get(`/api/exercises/${ex.id}/participants`).set(bearer(ex.facilitator)).expect(200);
    const gsId = list.body.items.find((p: { role: string }) => p.role === 'gs').id;
    for (const token of [ex.tokens.gs!, ex.tokens.observer!, ex.tokens['ncb:MC']!]) {
      await http.get(`/api/exercises/${ex.id}/participants`).set(bearer(token)).expect(403);
      await http.delete(`/api/exercises/${ex.id}/participants/${gsId}`).set(bearer(token)).expect(403);
    }
    await http.get(`/api/exercises/${ex.id}/participants`).set(bearer(other.facilitator)).expect(404);
    await http.delete(`/api/exercises/${other.id}/participants/${gsId}`).set(bearer(other.facilitator)).expect(404);
    await http.get(`/api/notices/00000000-0000-4000-8000-000000000000`).set(bearer(ex.tokens.gs!)).expect(404);
  });

  it('refuses a revoked token from then on, and keeps the revocation time on a second revoke', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC']);
    const list = await http.get(`/api/exercises/${ex.id}/participants`).set(bearer(ex.facilitator)).expect(200);
    const mc = list.body.items.find((p: { country?: string }) => p.country === 'MC');
    await http.get(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens['ncb:MC']!)).expect(200);

    await http.delete(`/api/exercises/${ex.id}/participants/${mc.id}`).set(bearer(ex.facilitator)).expect(204);
    const refused = await http.get(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens['ncb:MC']!)).expect(401);
    expect(refused.body.error.code).toBe('UNAUTHORIZED');
    const after = await http.get(`/api/exercises/${ex.id}/participants`).set(bearer(ex.facilitator)).expect(200);
    const revokedAt = after.body.items.find((p: { id: string }) => p.id === mc.id).revokedAt;
    expect(Date.parse(revokedAt)).not.toBeNaN();

    await http.delete(`/api/exercises/${ex.id}/participants/${mc.id}`).set(bearer(ex.facilitator)).expect(204);
    const again = await http.get(`/api/exercises/${ex.id}/participants`).set(bearer(ex.facilitator)).expect(200);
    expect(again.body.items.find((p: { id: string }) => p.id === mc.id).revokedAt).toBe(revokedAt);
    await http.get(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens.gs!)).expect(200);
  });

  it('will not revoke the facilitator, and says which participant is unknown or malformed', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, []);
    const list = await http.get(`/api/exercises/${ex.id}/participants`).set(bearer(ex.facilitator)).expect(200);
    const self = list.body.items.find((p: { role: string }) => p.role === 'facilitator').id;
    await http.delete(`/api/exercises/${ex.id}/participants/${self}`).set(bearer(ex.facilitator)).expect(403);
    await http.delete(`/api/exercises/${ex.id}/participants/6f1c1a51-2b7e-4e43-9a55-0a9a4a8c2f10`).set(bearer(ex.facilitator)).expect(404);
    const bad = await http.delete(`/api/exercises/${ex.id}/participants/nobody`).set(bearer(ex.facilitator)).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toContain('params.pid');
    await http.get(`/api/exercises/${ex.id}/participants`).set(bearer(ex.facilitator)).expect(200);
  });
});

describe('ADMIN_TOKEN', () => {
  it('is required, and compared exactly, to create an exercise when configured', async () => {
    const app = await createTestApp('pglite', { adminToken: 'the-admin-secret-token' });
    try {
      const body = { name: 'Guarded' };
      await app.http.post('/api/exercises').send(body).expect(401);
      await app.http.post('/api/exercises').set(bearer('the-admin-secret-tokeN')).send(body).expect(401);
      await app.http.post('/api/exercises').set(bearer('the-admin-secret-token-and-more')).send(body).expect(401);
      const created = await app.http.post('/api/exercises').set(bearer('the-admin-secret-token')).send(body).expect(201);
      // The admin token is for creating exercises only; inside an exercise the facilitator's token rules.
      await app.http.get(`/api/exercises/${created.body.id}/participants`).set(bearer('the-admin-secret-token')).expect(401);
    } finally {
      await app.db.close();
    }
  });
});
