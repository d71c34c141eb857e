import { bearer, createExercise } from '../support/fixtures';
import { createTestApp, describeEachDatabase, type TestApp } from '../support/http';

describeEachDatabase('hardening', (ctx) => {
  it('sends security headers and no framework banner', async () => {
    const res = await ctx().http.get('/api/health').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('allows no cross-origin browser calls unless origins are configured', async () => {
    const res = await ctx().http.get('/api/health').set('Origin', 'https://evil.example').expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await ctx().http.options('/api/exercises').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});

async function withApp(security: Parameters<typeof createTestApp>[1], test: (app: TestApp) => Promise<void>): Promise<void> {
  const app = await createTestApp('pglite', security);
  try {
    await test(app);
  } finally {
    await app.db.close();
  }
}

describe('configured hardening', () => {
  it('answers only the configured origins', () =>
    withApp({ corsOrigins: ['https://trainer.example'] }, async ({ http }) => {
      const ok = await http.get('/api/health').set('Origin', 'https://trainer.example').expect(200);
      expect(ok.headers['access-control-allow-origin']).toBe('https://trainer.example');
      const other = await http.get('/api/health').set('Origin', 'https://evil.example').expect(200);
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    }));

  it('answers 429 with Retry-After after too many failed authentications from one address, and never to a valid token', () =>
    withApp({ authFailureLimit: 5 }, async ({ http }) => {
      const ex = await createExercise(http, []);
      const guess = (i: number) => http.get(`/api/exercises/${ex.id}/notices`).set(bearer(`nst_guess${i}`));
      for (let i = 0; i < 4; i++) await guess(i).expect(401);
      // Successes do not count against the limit.
      await http.get(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens.gs!)).expect(200);
      await http.get(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens.gs!)).expect(200);
      await guess(4).expect(401);
      const limited = await guess(5).expect(429);
      expect(limited.body.error.code).toBe('TOO_MANY_FAILED_AUTHENTICATIONS');
      expect(limited.headers['ratelimit-policy']).toBeDefined();
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
      // A malformed header counts as a failure too, and is refused as well.
      await http.get(`/api/exercises/${ex.id}/notices`).set('Authorization', 'Basic abc').expect(429);
      // One trainee's typos do not lock the room behind the same address out: valid tokens still work.
      await http.get(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens.gs!)).expect(200);
      await http.get(`/api/exercises/${ex.id}/clock`).set(bearer(ex.facilitator)).expect(200);
      await guess(6).expect(429);
    }));

  it('limits failed admin tokens the same way, and lets the admin token through', () =>
    withApp({ authFailureLimit: 2, adminToken: 'an-admin-token-of-16+' }, async ({ http }) => {
      const create = (token: string) => http.post('/api/exercises').set(bearer(token)).send({ name: 'Room 1' });
      await create('wrong-1').expect(401);
      await create('wrong-2').expect(401);
      await create('wrong-3').expect(429);
      await create('an-admin-token-of-16+').expect(201);
    }));

  it('answers an unexpected failure with a bare 500: no stack trace or SQL', () =>
    withApp({}, async ({ http, db }) => {
      const ex = await createExercise(http, []);
      // A query that fails for a reason no one foresaw (not an outage): its table is gone.
      await db.prisma.$executeRawUnsafe('ALTER TABLE notices RENAME TO notices_gone');
      const res = await http.get(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens.gs!));
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: { code: 'INTERNAL', message: 'Internal server error' } });
      expect(res.text).not.toMatch(/SELECT|prisma|at .*\.ts|pglite|notices/i);
    }));

  it('never puts a stack trace or SQL in a response, even when the database is gone', () =>
    withApp({}, async ({ http, db }) => {
      const ex = await createExercise(http, []);
      await db.close();
      const res = await http.get(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens.gs!));
      // A database that is gone is a 503 with Retry-After now, in words, with nothing of the failure shown.
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('2');
      expect(res.body).toEqual({
        error: {
          code: 'DATABASE_UNAVAILABLE',
          message: 'The database cannot be reached or did not answer in time; nothing was written. Try again shortly',
        },
      });
      expect(res.text).not.toMatch(/SELECT|prisma|at .*\.ts|pglite|pool/i);
    }));
});
