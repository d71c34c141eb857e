import pino from 'pino';
import { Client } from 'pg';
import request from 'supertest';
import { openDatabase, type Database } from '../../src/db/database';
import { buildServices } from '../../src/server';
import { databaseKinds, postgresTestUrl } from '../support/databases';
import { bearer, createExercise, redRequest, send, type ExerciseFixture } from '../support/fixtures';
import type { Agent } from '../support/http';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

/**
 * The service with PostgreSQL behind a TCP proxy that refuses connections or stops answering. Short
 * limits for speed (300 ms to connect, 1 s a statement, 2 s a transaction); the outage lasts until
 * `heal()`, after every answer is in.
 */
const TIMEOUTS = { connectMs: 300, statementMs: 1_000, transactionMs: 2_000 };
const APP = 'database-outage';

if (databaseKinds().includes('postgres')) {
  describe('while PostgreSQL is away [postgres]', () => {
    let proxy: TcpProxy;
    let db: Database;
    let http: Agent;
    let direct: Client;
    let ex: ExerciseFixture;

    beforeAll(async () => {
      proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
      const url = new URL(proxy.url(postgresTestUrl()));
      url.searchParams.set('application_name', APP);
      db = await openDatabase({ databaseUrl: url.toString(), poolSize: 4, timeouts: TIMEOUTS });
      http = request(buildServices(db, pino({ level: 'silent' }), { authFailureLimit: 1_000_000 }).app);
      direct = new Client({ connectionString: postgresTestUrl() });
      await direct.connect();
      ex = await createExercise(http, ['MC', 'FR']);
    });
    afterEach(async () => {
      await proxy.heal();
    });
    afterAll(async () => {
      await db.close();
      await direct.end();
      await proxy.close();
    });

    /** A notice under review: its APPROVE writes the notice, its deadline rows and its history row in one statement. */
    async function noticeUnderReview(): Promise<string> {
      const created = await http
        .post(`/api/exercises/${ex.id}/notices`)
        .set(bearer(ex.tokens['ncb:MC']!))
        .send(redRequest())
        .expect(201);
      const id = (created.body as { id: string }).id;
      await send(http, ex.tokens['ncb:MC']!, id, { type: 'SUBMIT' });
      await send(http, ex.tokens.gs!, id, { type: 'START_REVIEW' });
      return id;
    }
    const approve = (id: string) =>
      http.post(`/api/notices/${id}/events`).set(bearer(ex.tokens.gs!)).send({ type: 'APPROVE', article3Cleared: true });
    const count = async (sql: string, value: string) =>
      (await direct.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, [value])).rows[0]!.n;
    /** The notice as stored: state, version, history rows and circulation records. */
    const stored = async (id: string) => ({
      state: (await direct.query('SELECT state FROM notices WHERE id = $1', [id])).rows[0]?.state,
      history: await count('notice_events WHERE notice_id = $1', id),
      records: await count('circulation_records WHERE notice_id = $1', id),
    });
    const unavailable = (res: request.Response) => {
      expect({ status: res.status, code: res.body?.error?.code, retryAfter: res.headers['retry-after'] }).toEqual({
        status: 503,
        code: 'DATABASE_UNAVAILABLE',
        retryAfter: '2',
      });
    };
    /** Whether the server still holds a transaction of ours open (as it would, behind a dead network, without its own limits). */
    const openTransactions = async () =>
      (
        await direct.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND xact_start IS NOT NULL',
          [APP],
        )
      ).rows[0]!.n;
    async function untilNoOpenTransaction(): Promise<void> {
      const deadline = Date.now() + 20_000;
      while ((await openTransactions()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(await openTransactions()).toBe(0);
    }

    it('answers a read and a write 503 with Retry-After while connections are refused, and works again after', async () => {
      const id = await noticeUnderReview();
      const name = `refused-${Date.now()}`;
      await proxy.refuse();

      unavailable(await http.get(`/api/notices/${id}`).set(bearer(ex.tokens.gs!)));
      unavailable(await http.post('/api/exercises').send({ name }));
      unavailable(await approve(id));

      await proxy.heal();
      expect(await count('exercises WHERE name = $1', name)).toBe(0);
      expect(await stored(id)).toEqual({ state: 'under_review', history: 3, records: 0 });
      await http.get(`/api/notices/${id}`).set(bearer(ex.tokens.gs!)).expect(200);
      await http.post('/api/exercises').send({ name }).expect(201);
      expect((await approve(id)).status).toBe(200);
    });

    it('answers a country’s record event 503 while connections are refused, not 401, and takes it after', async () => {
      const id = await noticeUnderReview();
      expect((await approve(id)).status).toBe(200);
      const ack = () =>
        http.post(`/api/notices/${id}/circulation/FR/events`).set(bearer(ex.tokens['ncb:FR']!)).send({ type: 'ACKNOWLEDGE' });
      // The token is known (cached) from before, so only the route's own reads meet the refused database.
      await http.get(`/api/notices/${id}/circulation`).set(bearer(ex.tokens['ncb:FR']!)).expect(200);
      await proxy.refuse();
      unavailable(await ack());
      await proxy.heal();
      expect(await count('circulation_records WHERE notice_id = $1', id)).toBe(0);
      expect((await ack()).body.state).toBe('acknowledged');
    });

    it('answers a read and a write 503 within seconds while nothing answers, and applies nothing late', async () => {
      const id = await noticeUnderReview();
      const name = `blackholed-${Date.now()}`;
      proxy.blackhole();
      const started = Date.now();
      const [read, write] = await Promise.all([
        http.get(`/api/notices/${id}`).set(bearer(ex.tokens.gs!)),
        http.post('/api/exercises').send({ name }),
      ]);
      // Before: as long as the outage. Now the limits (300 ms to connect, 2 s for an answer) end it.
      expect(Date.now() - started).toBeLessThan(10_000);
      unavailable(read);
      unavailable(write);

      await untilNoOpenTransaction();
      await proxy.heal();
      expect(await count('exercises WHERE name = $1', name)).toBe(0);
      await http.get(`/api/notices/${id}`).set(bearer(ex.tokens.gs!)).expect(200);
    });

    it('rolls back a write the network lost half-way: the server ends the transaction itself, nothing is half-written', async () => {
      const id = await noticeUnderReview();
      expect((await approve(id)).status).toBe(200);
      const withdraw = () =>
        http.post(`/api/notices/${id}/events`).set(bearer(ex.tokens['ncb:MC']!)).send({ type: 'WITHDRAW', reason: 'Found' });
      // A withdrawal closes the circulation, so it takes the locked path: it has locked the notice and closed
      // its records when its deadline rows go unanswered.
      proxy.blackholeAt('DELETE FROM deadlines');
      const started = Date.now();
      unavailable(await withdraw());
      expect(Date.now() - started).toBeLessThan(10_000);

      // The proxy passes nothing on, not even the client hanging up: the transaction ends only by the
      // server's own limit (idle in transaction), never by a COMMIT arriving late.
      await untilNoOpenTransaction();
      await proxy.heal();
      expect(await stored(id)).toEqual({ state: 'published', history: 4, records: 0 });
      expect((await withdraw()).status).toBe(200);
      expect(await stored(id)).toEqual({ state: 'withdrawn', history: 5, records: 0 });
    });

    it('answers 504 when the network goes during a notice’s one-statement event, and does not try it again on the locked path', async () => {
      const id = await noticeUnderReview();
      // APPROVE is written in one autocommit statement (its deadline rows in it): its answer lost, nobody can
      // tell whether it committed.
      proxy.blackholeAt('DELETE FROM deadlines', { deliver: true });
      const lost = await approve(id);
      expect({ status: lost.status, code: lost.body.error?.code }).toEqual({ status: 504, code: 'COMMIT_OUTCOME_UNKNOWN' });
      await proxy.heal();
      // It did commit, once: a retry on the locked path would have met its own result.
      expect(await stored(id)).toEqual({ state: 'published', history: 4, records: 0 });
      const again = await approve(id);
      expect({ status: again.status, code: again.body.error?.code }).toEqual({ status: 409, code: 'INVALID_TRANSITION' });
    });

    it('answers 504 COMMIT_OUTCOME_UNKNOWN when the network goes during the COMMIT: it may or may not have committed', async () => {
      const lost = `commit-lost-${Date.now()}`;
      proxy.blackholeAt('COMMIT');
      const first = await http.post('/api/exercises').send({ name: lost });
      expect({ status: first.status, code: first.body.error?.code }).toEqual({ status: 504, code: 'COMMIT_OUTCOME_UNKNOWN' });
      expect(first.headers['retry-after']).toBeUndefined();
      await untilNoOpenTransaction();
      await proxy.heal();
      // That COMMIT never reached the server.
      expect(await count('exercises WHERE name = $1', lost)).toBe(0);

      const answerLost = `answer-lost-${Date.now()}`;
      proxy.blackholeAt('COMMIT', { deliver: true });
      const second = await http.post('/api/exercises').send({ name: answerLost });
      expect({ status: second.status, code: second.body.error?.code }).toEqual({ status: 504, code: 'COMMIT_OUTCOME_UNKNOWN' });
      await proxy.heal();
      // This one did, and only its answer was lost: the same 504, which is why it cannot say 503.
      expect(await count('exercises WHERE name = $1', answerLost)).toBe(1);
    });

    it("answers 504 when the network goes during a country's one-statement event, and does not try it again on the locked path", async () => {
      const id = await noticeUnderReview();
      expect((await approve(id)).status).toBe(200);
      const acknowledge = () =>
        http.post(`/api/notices/${id}/circulation/FR/events`).set(bearer(ex.tokens['ncb:FR']!)).send({ type: 'ACKNOWLEDGE' });
      // The hot path's write commits as it runs: its answer lost, nobody can tell whether it did.
      proxy.blackholeAt('INSERT INTO circulation_records', { deliver: true });
      const lost = await acknowledge();
      expect({ status: lost.status, code: lost.body.error?.code }).toEqual({ status: 504, code: 'COMMIT_OUTCOME_UNKNOWN' });
      await proxy.heal();
      // It did commit, once: a retry on the locked path would have met its own result.
      expect(await stored(id)).toEqual({ state: 'published', history: 5, records: 1 });
      const again = await acknowledge();
      expect({ status: again.status, code: again.body.error?.code }).toEqual({ status: 409, code: 'INVALID_TRANSITION' });
    });
  });
}
