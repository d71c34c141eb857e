import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pino from 'pino';
import { buildServices } from '../../src/server';
import { bearer, createExercise, redRequest, yellowRequest, type ExerciseFixture } from '../support/fixtures';
import { describeEachDatabase, type Agent, type TestApp } from '../support/http';

const MONACO = readFileSync(path.join(__dirname, '../../scenarios/monaco-fingerprints.yaml'), 'utf8');
const REPLAYED = 'idempotent-replayed';

/** One creating operation: where it is sent, as whom, with what, and how many it has created. */
interface Creating {
  name: string;
  operationId: string;
  path: (ex: ExerciseFixture) => string;
  token: (ex: ExerciseFixture) => string | undefined;
  body: () => object;
  other: () => object;
  /** Another caller of the same operation, where there is one. */
  otherToken?: (ex: ExerciseFixture) => string;
  count: (app: TestApp, ex: ExerciseFixture, name: string) => Promise<number>;
}

const countNotices = async (app: TestApp, ex: ExerciseFixture) =>
  (await app.http.get(`/api/exercises/${ex.id}/notices?limit=200`).set(bearer(ex.tokens.gs!)).expect(200)).body.items.length;
const countParticipants = async (app: TestApp, ex: ExerciseFixture) =>
  (await app.http.get(`/api/exercises/${ex.id}/participants`).set(bearer(ex.facilitator)).expect(200)).body.items.length;
const countExercises = (app: TestApp, _ex: ExerciseFixture, name: string) => app.db.prisma.exercise.count({ where: { name } });

/** Names unique to a test, so that counting what a name created counts only that test's resources. */
let named = '';
const unique = () => named;

const CREATING: Creating[] = [
  {
    name: 'an exercise',
    operationId: 'createExercise',
    path: () => '/api/exercises',
    token: () => undefined,
    body: () => ({ name: unique() }),
    other: () => ({ name: unique(), freezeWhilePaused: false }),
    count: countExercises,
  },
  {
    name: 'an exercise from a scenario (its first inject fired before the answer)',
    operationId: 'createExercise',
    path: () => '/api/exercises',
    token: () => undefined,
    body: () => ({ name: unique(), scenario: MONACO }),
    other: () => ({ name: unique(), scenario: MONACO, teams: ['secretariat'] }),
    count: countExercises,
  },
  {
    name: 'a notice',
    operationId: 'createNotice',
    path: (ex) => `/api/exercises/${ex.id}/notices`,
    token: (ex) => ex.tokens['ncb:MC'],
    body: () => redRequest(),
    other: () => yellowRequest(),
    otherToken: (ex) => ex.tokens['ncb:FR']!,
    count: countNotices,
  },
  {
    name: 'a participant',
    operationId: 'addParticipant',
    path: (ex) => `/api/exercises/${ex.id}/participants`,
    token: (ex) => ex.facilitator,
    body: () => ({ role: 'ncb', country: 'IT', name: unique() }),
    other: () => ({ role: 'observer', name: unique() }),
    count: countParticipants,
  },
];

const post = (http: Agent, op: Creating, ex: ExerciseFixture, key: string | undefined, body = op.body(), token = op.token(ex)) => {
  const req = http.post(op.path(ex));
  if (token) req.set(bearer(token));
  if (key !== undefined) req.set('Idempotency-Key', key);
  return req.send(body);
};

/** An app on the same database whose answers are lost on the way: the connection is cut as the answer would go out. */
async function lossyServer(app: TestApp): Promise<{ url: string; close: () => Promise<void> }> {
  const { app: lossy } = buildServices(app.db, pino({ level: 'silent' }), { authFailureLimit: 1_000_000 });
  const server: Server = createServer((req, res) => {
    res.end = (() => {
      req.socket.destroy();
      return res;
    }) as typeof res.end;
    lossy(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describeEachDatabase('Idempotency-Key on creating requests', (ctx) => {
  let ex: ExerciseFixture;
  beforeEach(async () => {
    named = `idem ${randomUUID()}`;
    ex = await createExercise(ctx().http, ['MC', 'FR']);
  });

  describe.each(CREATING)('creating $name', (op) => {
    it('answers a repeat with the first answer, marked replayed, and creates nothing more', async () => {
      const app = ctx();
      const before = await op.count(app, ex, unique());
      const key = randomUUID();
      const first = await post(app.http, op, ex, key).expect(201);
      const again = await post(app.http, op, ex, key).expect(201);
      expect(first.headers[REPLAYED]).toBeUndefined();
      expect(again.headers[REPLAYED]).toBe('true');
      expect(again.headers['cache-control']).toBe('no-store');
      expect(again.text).toBe(first.text);
      expect(await op.count(app, ex, unique())).toBe(before + 1);
      // Without a key, the same request creates again: the key is what makes a retry safe.
      await post(app.http, op, ex, undefined).expect(201);
      expect(await op.count(app, ex, unique())).toBe(before + 2);
    });

    it('refuses the key with another body (422 IDEMPOTENCY_KEY_REUSED), creating nothing', async () => {
      const app = ctx();
      const key = randomUUID();
      await post(app.http, op, ex, key).expect(201);
      const before = await op.count(app, ex, unique());
      const reused = await post(app.http, op, ex, key, op.other()).expect(422);
      expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await op.count(app, ex, unique())).toBe(before);
    });

    it('creates once for concurrent requests with one key: the others wait for it and get its answer', async () => {
      const app = ctx();
      const before = await op.count(app, ex, unique());
      const key = randomUUID();
      const answers = await Promise.all(Array.from({ length: 6 }, () => post(app.http, op, ex, key)));
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
      const [first, ...others] = answers.filter((a) => a.headers[REPLAYED] === undefined);
      expect(others).toHaveLength(0);
      // A scenario's injects fire after the commit: a repeat answered meanwhile says what the commit knew.
      const committed = ({ injects: _firedSince, ...rest }: { injects?: unknown }) => rest;
      for (const a of answers) expect(committed(a.body)).toEqual(committed(first!.body));
      if (!('scenario' in op.body())) expect(new Set(answers.map((a) => a.text)).size).toBe(1);
      expect(await op.count(app, ex, unique())).toBe(before + 1);
    });

    it('refuses a key that is empty, over 255 characters or not visible ASCII, naming Idempotency-Key', async () => {
      const app = ctx();
      const before = await op.count(app, ex, unique());
      for (const key of ['', 'x'.repeat(256), 'two words', 'café', 'tab\there']) {
        const res = await post(app.http, op, ex, key).expect(400);
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
        expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'headers.idempotency-key' })]);
        expect(res.body.error.message).toContain('Idempotency-Key');
      }
      const longest = `!${randomUUID()}`.padEnd(255, '~');
      await post(app.http, op, ex, longest).expect(201);
      expect(await op.count(app, ex, unique())).toBe(before + 1);
    });

    it('replays the answer to a client that lost it (the connection cut as the answer went out)', async () => {
      const app = ctx();
      const before = await op.count(app, ex, unique());
      const key = randomUUID();
      const lossy = await lossyServer(app);
      try {
        const token = op.token(ex);
        const lost = fetch(`${lossy.url}${op.path(ex)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': key, ...(token && bearer(token)) },
          body: JSON.stringify(op.body()),
        });
        await expect(lost).rejects.toThrow();
      } finally {
        await lossy.close();
      }
      // The client cannot know whether it was applied: it was, once, and the retry says so.
      expect(await op.count(app, ex, unique())).toBe(before + 1);
      const retry = await post(app.http, op, ex, key).expect(201);
      expect(retry.headers[REPLAYED]).toBe('true');
      expect(await op.count(app, ex, unique())).toBe(before + 1);
      if (op.operationId !== 'createExercise') return;
      // The tokens of the replayed answer are the ones created: the facilitator's works.
      const created = retry.body as { id: string; facilitatorToken: string };
      await app.http.get(`/api/exercises/${created.id}/participants`).set(bearer(created.facilitatorToken)).expect(200);
    });
  });

  it('keeps keys apart by caller: the same key from another ncb or facilitator creates its own', async () => {
    const app = ctx();
    const other = await createExercise(app.http, ['MC']);
    const key = randomUUID();
    const notice = CREATING.find((op) => op.operationId === 'createNotice')!;
    const mc = await post(app.http, notice, ex, key).expect(201);
    const fr = await post(app.http, notice, ex, key, notice.body(), notice.otherToken!(ex)).expect(201);
    expect(fr.headers[REPLAYED]).toBeUndefined();
    expect(fr.body.id).not.toBe(mc.body.id);
    expect(fr.body.requestingCountry).toBe('FR');

    const participant = CREATING.find((op) => op.operationId === 'addParticipant')!;
    const mine = await post(app.http, participant, ex, key).expect(201);
    const theirs = await post(app.http, participant, other, key).expect(201);
    expect(theirs.headers[REPLAYED]).toBeUndefined();
    expect(theirs.body.id).not.toBe(mine.body.id);
    // And by operation: the facilitator's key for a participant is not its key for an exercise.
    const exercise = await app.http.post('/api/exercises').set(bearer(ex.facilitator)).set('Idempotency-Key', key).send({ name: unique() }).expect(201);
    expect(exercise.headers[REPLAYED]).toBeUndefined();
    expect(exercise.body.id).not.toBe(ex.id);
  });

  it('refuses the key on another path (another exercise) rather than creating there', async () => {
    const app = ctx();
    const key = randomUUID();
    const participant = CREATING.find((op) => op.operationId === 'addParticipant')!;
    await post(app.http, participant, ex, key).expect(201);
    const elsewhere = await app.http
      .post(`/api/exercises/${randomUUID()}/participants`)
      .set(bearer(ex.facilitator))
      .set('Idempotency-Key', key)
      .send(participant.body())
      .expect(422);
    expect(elsewhere.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('keeps no key for a refused request: the corrected retry with the same key creates', async () => {
    const app = ctx();
    const participant = CREATING.find((op) => op.operationId === 'addParticipant')!;
    const before = await countParticipants(app, ex);
    const key = randomUUID();
    const refused = await post(app.http, participant, ex, key, { role: 'ncb', name: unique() }).expect(400);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ field: 'body.country' })]);
    const corrected = await post(app.http, participant, ex, key).expect(201);
    expect(corrected.headers[REPLAYED]).toBeUndefined();
    expect(await countParticipants(app, ex)).toBe(before + 1);
    expect((await post(app.http, participant, ex, key).expect(201)).headers[REPLAYED]).toBe('true');
  });

  describe('when the creating transaction fails at its commit', () => {
    // A deferred constraint trigger refuses participants of the names listed, at COMMIT: after the
    // participant and the key's record were written in the transaction.
    beforeAll(async () => {
      for (const statement of [
        'CREATE TABLE IF NOT EXISTS test_refused_at_commit (name text PRIMARY KEY)',
        `CREATE OR REPLACE FUNCTION test_refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             IF EXISTS (SELECT 1 FROM test_refused_at_commit WHERE name = NEW.name) THEN
               RAISE EXCEPTION 'refused at commit';
             END IF;
             RETURN NULL;
           END $$`,
        'DROP TRIGGER IF EXISTS test_refuse_at_commit ON participants',
        `CREATE CONSTRAINT TRIGGER test_refuse_at_commit AFTER INSERT ON participants
           DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_refuse_at_commit()`,
      ]) {
        await ctx().db.prisma.$executeRawUnsafe(statement);
      }
    });
    afterAll(async () => {
      for (const statement of [
        'DROP TRIGGER IF EXISTS test_refuse_at_commit ON participants',
        'DROP FUNCTION IF EXISTS test_refuse_at_commit()',
        'DROP TABLE IF EXISTS test_refused_at_commit',
      ]) {
        await ctx().db.prisma.$executeRawUnsafe(statement);
      }
    });

    it('rolls the key back with what it created: the retry with the key creates, once', async () => {
      const app = ctx();
      const participant = CREATING.find((op) => op.operationId === 'addParticipant')!;
      const before = await countParticipants(app, ex);
      await app.db.prisma.$executeRaw`INSERT INTO test_refused_at_commit (name) VALUES (${unique()})`;
      const key = randomUUID();
      const failed = await post(app.http, participant, ex, key);
      expect(failed.status).toBeGreaterThanOrEqual(500);
      expect(await countParticipants(app, ex)).toBe(before);

      // Had the key's record stayed, the retry would be answered from it, and nothing created.
      await app.db.prisma.$executeRaw`DELETE FROM test_refused_at_commit WHERE name = ${unique()}`;
      const retry = await post(app.http, participant, ex, key).expect(201);
      expect(retry.headers[REPLAYED]).toBeUndefined();
      expect((await post(app.http, participant, ex, key).expect(201)).text).toBe(retry.text);
      expect(await countParticipants(app, ex)).toBe(before + 1);
    });
  });

  it('forgets a key once it has expired, and creating prunes expired records', async () => {
    const app = ctx();
    const participant = CREATING.find((op) => op.operationId === 'addParticipant')!;
    const key = randomUUID();
    const [{ since }] = await app.db.prisma.$queryRaw<[{ since: Date }]>`SELECT now() AS since`;
    const first = await post(app.http, participant, ex, key).expect(201);
    // As if a day had passed for this test's records.
    await app.db.prisma.$executeRaw`
      UPDATE idempotency_keys SET expires_at = now() - interval '1 second'
       WHERE operation = 'addParticipant' AND created_at >= ${since}`;
    const expired = () => app.db.prisma.$queryRaw<[{ n: number }]>`
      SELECT count(*)::int AS n FROM idempotency_keys WHERE expires_at <= now()`;
    const [{ n: expiredBefore }] = await expired();
    expect(expiredBefore).toBeGreaterThan(0);

    const after = await post(app.http, participant, ex, key).expect(201);
    expect(after.headers[REPLAYED]).toBeUndefined();
    expect(after.body.id).not.toBe(first.body.id);
    expect((await post(app.http, participant, ex, key).expect(201)).body.id).toBe(after.body.id);
    const [{ n: expiredAfter }] = await expired();
    expect(expiredAfter).toBeLessThan(expiredBefore);
  });

  it('keeps neither the key nor the tokens of the answer readable in the database', async () => {
    const app = ctx();
    const key = `key-${randomUUID()}`;
    const created = await app.http.post('/api/exercises').set('Idempotency-Key', key).send({ name: unique(), scenario: MONACO }).expect(201);
    const tokens: string[] = [created.body.facilitatorToken, ...created.body.participants.map((p: { token: string }) => p.token)];
    const rows = await app.db.prisma.$queryRaw<Record<string, unknown>[]>`
      SELECT scope, operation, key_hash, fingerprint, status, encode(response, 'escape') AS response,
             encode(response, 'base64') AS base64, encode(response, 'hex') AS hex
        FROM idempotency_keys WHERE created_at >= now() - interval '1 minute'`;
    const stored = JSON.stringify(rows);
    expect(rows.some((r) => r.operation === 'createExercise' && r.status === 201)).toBe(true);
    expect(stored).not.toContain(key);
    for (const token of tokens) {
      expect(stored).not.toContain(token);
      expect(stored).not.toContain(token.slice(4, 24));
    }
    expect(stored).not.toContain(created.body.id);
  });

  it('documents the header on the creating operations only, with the replay header and the 422', async () => {
    const { http } = ctx();
    const document = (await http.get('/api/openapi.json').expect(200)).body;
    const operations = Object.values(document.paths as Record<string, Record<string, any>>).flatMap((item) => Object.values(item));
    const taking = operations
      .filter((op) => (op.parameters ?? []).some((p: { in: string; name: string }) => p.in === 'header' && p.name === 'idempotency-key'))
      .map((op) => op.operationId)
      .sort();
    expect(taking).toEqual(['addParticipant', 'createExercise', 'createNotice']);
    for (const op of operations.filter((o) => taking.includes(o.operationId))) {
      expect(op.responses['201'].headers['Idempotent-Replayed']).toBeDefined();
      expect(op.responses['422'].description).toContain('IDEMPOTENCY_KEY_REUSED');
    }
  });
});
