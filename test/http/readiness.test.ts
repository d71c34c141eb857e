import { Agent, get } from 'node:http';
import pino from 'pino';
import request from 'supertest';
import { loadConfig } from '../../src/config/config';
import { start, type RunningServer } from '../../src/server';
import { databaseKinds, postgresTestUrl } from '../support/databases';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

const silent = pino({ level: 'silent' });

/** The server on PGlite in memory, or on PostgreSQL through `proxy`. */
const startOn = (databaseUrl?: string) =>
  start({ ...loadConfig({}), port: 0, databaseUrl, dataDir: 'memory://', logLevel: 'silent', shutdownGraceMs: 2_000 }, silent);

describe('readiness on the embedded database', () => {
  it('answers 503 DATABASE_UNAVAILABLE with Retry-After once the database has closed under it', async () => {
    const server = await startOn();
    const http = request(server.url);
    await http.get('/api/ready').expect(200, { status: 'ready', database: 'pglite' });
    await server.db.close();
    const away = await http.get('/api/ready').expect(503);
    expect(away.body.error.code).toBe('DATABASE_UNAVAILABLE');
    expect(away.headers['retry-after']).toMatch(/^\d+$/);
    await http.get('/api/health').expect(200);
    await server.stop();
  });
});

describe('readiness while the server stops', () => {
  it('answers 503 SHUTTING_DOWN with Retry-After once the server has begun to stop, while liveness was ok before', async () => {
    const server = await startOn();
    const http = request(server.url);
    await http.get('/api/ready').expect(200, { status: 'ready', database: 'pglite' });
    await http.get('/api/health').expect(200);
    // A connection kept alive across the start of the stop: its next request is refused, not reset.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const getOn = () =>
      new Promise<{ status: number; headers: Record<string, unknown>; body: string; reused: boolean }>((resolve, reject) => {
        const req = get(`${server.url}/api/ready`, { agent }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body, reused: req.reusedSocket }));
        });
        req.on('error', reject);
      });
    expect((await getOn()).status).toBe(200);
    const stopped = server.stop();
    const refused = await getOn();
    expect(refused.reused).toBe(true);
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body).error.code).toBe('SHUTTING_DOWN');
    expect(refused.headers.connection).toBe('close');
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    await stopped;
    agent.destroy();
  });
});

if (databaseKinds().includes('postgres')) {
  describe('readiness while PostgreSQL is away [postgres]', () => {
    let proxy: TcpProxy;
    let server: RunningServer;
    beforeAll(async () => {
      const target = new URL(postgresTestUrl());
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      server = await startOn(proxy.url(postgresTestUrl()));
    });
    afterAll(async () => {
      // The proxy drops what is still connected first, so that no query stuck in the blackhole holds up the close.
      await proxy.close();
      await server.stop();
    });

    it('answers 503 DATABASE_UNAVAILABLE with Retry-After while connections are refused, 200 again once they are not', async () => {
      const http = request(server.url);
      await http.get('/api/ready').expect(200, { status: 'ready', database: 'postgres' });
      await proxy.refuse();
      const away = await http.get('/api/ready').expect(503);
      expect(away.body.error.code).toBe('DATABASE_UNAVAILABLE');
      expect(away.headers['retry-after']).toMatch(/^\d+$/);
      // Liveness is not readiness: the process is alive.
      await http.get('/api/health').expect(200);
      await proxy.heal();
      await http.get('/api/ready').expect(200, { status: 'ready', database: 'postgres' });
    });

    it('answers 503 within its own short timeout while the database does not answer at all, long before the outage ends', async () => {
      const http = request(server.url);
      await http.get('/api/ready').expect(200);
      proxy.blackhole();
      const asked = Date.now();
      const probes = await Promise.all([1, 2, 3].map(() => http.get('/api/ready')));
      const took = Date.now() - asked;
      expect(probes.map((p) => [p.status, p.body.error?.code])).toEqual([1, 2, 3].map(() => [503, 'DATABASE_UNAVAILABLE']));
      // The check waits 1 s; the outage lasts until healed below, after this assertion.
      expect(took).toBeLessThan(8_000);
      await proxy.heal();
      // The query lost in the blackhole is not waited for again: the next probe asks afresh.
      await http.get('/api/ready').expect(200);
    });
  });
}
