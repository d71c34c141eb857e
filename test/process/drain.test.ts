import { Agent, request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { databaseKinds, openTestDatabase, postgresTestUrl, type DatabaseKind } from '../support/databases';
import { bearer, createExercise, redRequest } from '../support/fixtures';
import { alive, listening, npmStart, type LogLine, type ServerProcess } from '../support/server-process';
import { openSse } from '../support/sse';

/** What a client saw of one request: a whole response, or the error of its socket. */
type Outcome =
  | {
      kind: 'response';
      status: number;
      headers: Record<string, string | string[] | undefined>;
      body: any;
      reusedSocket: boolean;
      sentAfterDraining: boolean;
    }
  | { kind: 'error'; code: string; reusedSocket: boolean; sentAfterDraining: boolean };

/** One request through `agent` (keep-alive), the body read to its end. */
function send(
  agent: Agent,
  url: string,
  options: { method: string; path: string; token?: string; body?: unknown },
  sentAfterDraining: boolean,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = httpRequest(
      `${url}${options.path}`,
      {
        agent,
        method: options.method,
        headers: {
          ...(options.token && bearer(options.token)),
          ...(payload !== undefined && { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            kind: 'response',
            status: res.statusCode!,
            headers: res.headers,
            body: text ? JSON.parse(text) : null,
            reusedSocket: req.reusedSocket,
            sentAfterDraining,
          }),
        );
        res.on('error', (err: NodeJS.ErrnoException) =>
          resolve({ kind: 'error', code: err.code ?? err.message, reusedSocket: req.reusedSocket, sentAfterDraining }),
        );
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) =>
      resolve({ kind: 'error', code: err.code ?? err.message, reusedSocket: req.reusedSocket, sentAfterDraining }),
    );
    req.end(payload);
  });
}

const isDraining = (l: LogLine) => l.msg === 'draining';

function serverEnvFor(kind: DatabaseKind, dataDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return kind === 'postgres' ? { DATABASE_URL: postgresTestUrl(), ...extra } : { DATA_DIR: dataDir, ...extra };
}

describe.each(databaseKinds())('SIGTERM under keep-alive load [%s]', (kind) => {
  let dataDir: string;
  let server: ServerProcess | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'drain-'));
  });
  afterEach(() => {
    server?.kill();
    server = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'answers every request in full, refuses those after the signal with 503 and Connection: close, ends streams, exits 0 and keeps every acknowledged write',
    async () => {
      server = npmStart(serverEnvFor(kind, dataDir));
      const { url, pid } = await listening(server);
      const ex = await createExercise(request(url), ['MC']);
      const ncb = ex.tokens['ncb:MC']!;
      const stream = await openSse(`${url}/api/exercises/${ex.id}/stream`, bearer(ex.tokens.gs!));
      await stream.waitFor('ready', 1);

      // Several loops, each on its own kept-alive connection, creating notices (one row each) as fast as answered.
      const LOOPS = 6;
      const agent = new Agent({ keepAlive: true, maxSockets: LOOPS });
      let draining = false;
      const outcomes: Outcome[] = [];
      let stopLoops = false;
      const loop = async () => {
        // Bounded: until the server has gone (refused), at most 2000 requests or 60 s.
        const until = Date.now() + 60_000;
        for (let i = 0; i < 2000 && Date.now() < until && !stopLoops; i++) {
          const outcome = await send(agent, url, { method: 'POST', path: `/api/exercises/${ex.id}/notices`, token: ncb, body: redRequest() }, draining);
          outcomes.push(outcome);
          if (outcome.kind === 'error') return;
        }
      };
      const loops = Array.from({ length: LOOPS }, loop);
      // Under way: some notices created on every connection before the signal.
      while (outcomes.length < 60) await new Promise((r) => setTimeout(r, 20));

      process.kill(pid, 'SIGTERM');
      // From the server's word that it drains (or its exit, if it never says so) on, requests count as sent after.
      const drainingLine = await server.waitForLine(isDraining, 30_000).catch(() => null);
      draining = true;
      const exit = await server.exit(60_000);
      stopLoops = true;
      await Promise.all(loops);
      agent.destroy();
      await expect(stream.ended(5_000)).resolves.toBe(true);

      // No request was cut: each got a whole response, or found the listener closed (a new connection, refused).
      const errors = outcomes.filter((o) => o.kind === 'error');
      expect(errors.map((e) => e.code)).toEqual(errors.map(() => 'ECONNREFUSED'));
      expect(errors.every((e) => !e.reusedSocket)).toBe(true);
      // Each loop ends on a refused connection once the server has gone.
      expect(errors).toHaveLength(LOOPS);
      const responses = outcomes.filter((o) => o.kind === 'response');
      // A request running at the signal is answered (201) with Connection: close; one arriving after it, on a
      // connection kept alive, is refused (503).
      expect(responses.every((r) => r.status === 201 || r.status === 503)).toBe(true);
      for (const r of responses.filter((o) => o.status === 503)) {
        expect(r.body.error.code).toBe('SHUTTING_DOWN');
        expect(r.headers.connection).toBe('close');
        expect(r.headers['retry-after']).toMatch(/^\d+$/);
      }
      // Everything sent once the server said it was draining was refused, with Connection: close.
      const afterDraining = responses.filter((r) => r.sentAfterDraining);
      expect(afterDraining.every((r) => r.status === 503 && r.headers.connection === 'close')).toBe(true);

      // Every 201 is in the database, and nothing else: what was refused was not written.
      const acknowledged = responses.filter((r) => r.status === 201).map((r) => r.body.id as string);
      expect(acknowledged.length).toBeGreaterThanOrEqual(60);
      const db = await openTestDatabase(kind, { dataDir });
      try {
        const stored = await db.prisma.notice.findMany({ where: { exerciseId: ex.id }, select: { id: true } });
        expect(stored.map((n) => n.id).sort()).toEqual([...acknowledged].sort());
      } finally {
        await db.close();
      }

      expect(exit).toEqual({ code: 0, signal: null });
      expect(typeof drainingLine?.inFlight).toBe('number');
      expect(server.lines().some((l) => l.msg === 'stopped')).toBe(true);
      expect(server.output()).not.toContain('"level":50');
    },
    180_000,
  );
});

if (databaseKinds().includes('postgres')) {
  describe('SIGTERM while a request waits on a row lock [postgres]', () => {
    let server: ServerProcess | undefined;
    let locker: Client | undefined;

    afterEach(async () => {
      server?.kill();
      server = undefined;
      await locker?.end().catch(() => undefined);
      locker = undefined;
    });

    /** A notice, and a transaction of the test's own holding its row, so that an event on it waits. */
    async function heldNotice(url: string) {
      const http = request(url);
      const ex = await createExercise(http, ['MC']);
      const ncb = ex.tokens['ncb:MC']!;
      const created = await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(ncb)).send(redRequest()).expect(201);
      locker = new Client({ connectionString: postgresTestUrl() });
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM notices WHERE id = $1 FOR UPDATE', [created.body.id]);
      return { ex, ncb, noticeId: created.body.id as string };
    }

    /** Until a session of the server waits for the test's lock. */
    async function untilWaitingOnLock() {
      const until = Date.now() + 30_000;
      while (Date.now() < until) {
        const { rows } = await locker!.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        if (rows[0].n > 0) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('no session waits on the lock');
    }

    it('lets the request finish after the signal, with Connection: close, refusing a new one on a kept-alive socket meanwhile', async () => {
      server = npmStart({ DATABASE_URL: postgresTestUrl() });
      const { url, pid } = await listening(server);
      const { ncb, noticeId } = await heldNotice(url);
      const agent = new Agent({ keepAlive: true, maxSockets: 2 });
      // Two kept-alive connections: one for the request that will wait, one idle when the signal comes.
      const warm = await Promise.all([1, 2].map(() => send(agent, url, { method: 'GET', path: '/api/health' }, false)));
      expect(warm).toMatchObject([
        { kind: 'response', status: 200 },
        { kind: 'response', status: 200 },
      ]);

      const held = send(agent, url, { method: 'POST', path: `/api/notices/${noticeId}/events`, token: ncb, body: { type: 'SUBMIT' } }, false);
      await untilWaitingOnLock();
      process.kill(pid, 'SIGTERM');
      const draining = await server.waitForLine(isDraining, 30_000);
      expect(draining.inFlight).toBe(1);

      const refused = await send(agent, url, { method: 'GET', path: '/api/ready' }, true);
      expect(refused).toMatchObject({ kind: 'response', status: 503, body: { error: { code: 'SHUTTING_DOWN' } } });
      if (refused.kind !== 'response') throw new Error('no response');
      expect(refused.reusedSocket).toBe(true);
      expect(refused.headers.connection).toBe('close');
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
      // A new connection finds nobody listening.
      const fresh = await send(new Agent(), url, { method: 'GET', path: '/api/health' }, true);
      expect(fresh).toMatchObject({ kind: 'error', code: 'ECONNREFUSED' });
      // The server waits for the request (and the database stays open under it).
      expect(alive(pid)).toBe(true);
      expect(server.lines().some((l) => l.msg === 'stopped')).toBe(false);

      await locker!.query('COMMIT');
      const answered = await held;
      expect(answered).toMatchObject({ kind: 'response', status: 200, body: { state: 'submitted' } });
      if (answered.kind !== 'response') throw new Error('no response');
      expect(answered.headers.connection).toBe('close');
      expect(await server.exit(30_000)).toEqual({ code: 0, signal: null });
      expect(server.output()).not.toContain('"level":50');
      const { rows } = await locker!.query('SELECT state FROM notices WHERE id = $1', [noticeId]);
      expect(rows).toEqual([{ state: 'submitted' }]);
      agent.destroy();
    }, 150_000);

    it('after SHUTDOWN_GRACE_MS cuts the connection left, but closes the database only once its handler has returned', async () => {
      server = npmStart({ DATABASE_URL: postgresTestUrl(), SHUTDOWN_GRACE_MS: '300' });
      const { url, pid } = await listening(server);
      const { ncb, noticeId } = await heldNotice(url);
      const held = send(new Agent(), url, { method: 'POST', path: `/api/notices/${noticeId}/events`, token: ncb, body: { type: 'SUBMIT' } }, false);
      await untilWaitingOnLock();
      process.kill(pid, 'SIGTERM');
      await server.waitForLine((l) => l.msg === 'waiting for handlers still running', 30_000);
      // The client's connection was cut at the grace's end: it never got an answer.
      expect(await held).toMatchObject({ kind: 'error' });
      expect(alive(pid)).toBe(true);

      await locker!.query('COMMIT');
      expect(await server.exit(30_000)).toEqual({ code: 0, signal: null });
      const log = server.lines();
      expect(log.some((l) => l.msg === 'grace over: closing the connections left')).toBe(true);
      // The handler ran to its end on an open database: no failure logged, the event stored.
      expect(server.output()).not.toContain('"level":50');
      const { rows } = await locker!.query('SELECT state FROM notices WHERE id = $1', [noticeId]);
      expect(rows).toEqual([{ state: 'submitted' }]);
    }, 150_000);
  });
}
