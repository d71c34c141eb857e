import { databaseKinds, postgresTestUrl } from '../support/databases';
import { listening, npmStart, type ServerProcess } from '../support/server-process';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

/**
 * Start-up with PostgreSQL not reachable yet: `npm start` pointed through a TCP proxy that refuses
 * connections. The tests that never let it through need no PostgreSQL behind the proxy.
 */
describe('start-up while PostgreSQL cannot be reached', () => {
  let proxy: TcpProxy;
  let server: ServerProcess | undefined;

  beforeEach(async () => {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    await proxy.refuse();
  });

  afterEach(async () => {
    server?.kill();
    server = undefined;
    await proxy.close();
  });

  const attemptLines = (s: ServerProcess) => s.lines().filter((l) => l.msg === 'database not reachable yet; trying again');
  const viaProxy = 'postgresql://postgres@127.0.0.1:5432/postgres';

  it('tries once with DATABASE_STARTUP_TIMEOUT=0 and exits non-zero, saying what it could not reach', async () => {
    server = npmStart({ DATABASE_URL: proxy.url(viaProxy), DATABASE_STARTUP_TIMEOUT: '0' });
    const exit = await server.exit(60_000);
    expect(exit.code).toBe(1);
    expect(server.output()).toContain(`PostgreSQL at 127.0.0.1:${proxy.port} could not be reached within 0 s (1 attempt)`);
    expect(server.output()).toContain('DATABASE_STARTUP_TIMEOUT');
    expect(attemptLines(server)).toEqual([]);
  }, 90_000);

  it('keeps trying with growing delays, logging each failed attempt, then gives up after DATABASE_STARTUP_TIMEOUT', async () => {
    server = npmStart({ DATABASE_URL: proxy.url(viaProxy), DATABASE_STARTUP_TIMEOUT: '4' });
    const exit = await server.exit(90_000);
    expect(exit.code).toBe(1);
    const attempts = attemptLines(server);
    // 250 ms doubling with jitter, capped at 5 s: within 4 s at least three failed attempts are logged.
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    for (const line of attempts) {
      expect(line.level).toBe(40);
      expect(line.reason).toMatch(/ECONNREFUSED|reach/);
      expect(line.nextDelayMs).toBeGreaterThan(0);
    }
    const delays = attempts.map((l) => l.nextDelayMs as number);
    // Each delay is drawn from [base, 2·base) with the base doubling: the third is longer than the first.
    expect(delays[2]!).toBeGreaterThan(delays[0]!);
    expect(attempts.map((l) => l.attempt)).toEqual(attempts.map((_, i) => i + 1));
    expect(server.output()).toMatch(/PostgreSQL at 127\.0\.0\.1:\d+ could not be reached within 4 s \(\d+ attempts\)/);
    expect(server.output()).not.toContain('"msg":"listening"');
  }, 120_000);

  if (databaseKinds().includes('postgres')) {
    it('waits for PostgreSQL: refused at first, let through after a few failed attempts, it comes up and serves', async () => {
      server = npmStart({ DATABASE_URL: proxy.url(postgresTestUrl()), DATABASE_STARTUP_TIMEOUT: '60' });
      await server.waitForLine((l) => l.msg === 'database not reachable yet; trying again' && l.attempt === 2, 60_000);
      await proxy.heal();
      const { url } = await listening(server);
      const ready = await fetch(`${url}/api/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', database: 'postgres' });
      expect((await fetch(`${url}/api/countries`)).status).toBe(200);
      expect(attemptLines(server).length).toBeGreaterThanOrEqual(2);
    }, 150_000);

    it('does not retry a failure that waiting cannot mend (a role the server does not know)', async () => {
      await proxy.heal();
      const u = new URL(proxy.url(postgresTestUrl()));
      u.username = 'no_such_role_for_the_simulator';
      const started = Date.now();
      server = npmStart({ DATABASE_URL: u.toString(), DATABASE_STARTUP_TIMEOUT: '60' });
      const exit = await server.exit(60_000);
      expect(exit.code).toBe(1);
      // Well before the 60 s it would have waited for a server that could not be reached.
      expect(Date.now() - started).toBeLessThan(45_000);
      expect(server.output()).toContain('not retried: not a connection failure');
      expect(server.output()).toContain('no_such_role_for_the_simulator');
      expect(attemptLines(server)).toEqual([]);
    }, 90_000);
  }
});
