import http from 'node:http';
import { postgresTestUrl, databaseKinds } from '../support/databases';
import { alive, npmStart, type LogLine, type ServerProcess } from '../support/server-process';

/**
 * `WORKERS=2 npm start` on PostgreSQL: a primary that migrates and forks two workers sharing one
 * port, a worker that dies replaced, a SIGTERM passed on to both; and on the embedded database,
 * a plain refusal rather than two processes on one PGlite folder.
 */

/** GET on a connection of its own (no keep-alive), so the cluster hands each request to the next worker. */
const getOnce = (url: string) =>
  new Promise<number>((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
      })
      .once('error', reject);
  });

const isLine = (msg: string) => (l: LogLine) => l.msg === msg;

(databaseKinds().includes('postgres') ? describe : describe.skip)('WORKERS=2 on PostgreSQL', () => {
  let server: ServerProcess;
  let url: string;
  let primary: number;

  beforeAll(async () => {
    server = npmStart({ DATABASE_URL: postgresTestUrl(), WORKERS: '2' });
    await server.waitForLine(isLine('all workers listening'));
    url = server.lines().find(isLine('listening'))!.url as string;
    primary = server.lines().find(isLine('all workers listening'))!.pid as number;
  }, 150_000);

  afterAll(() => server?.kill());

  /** Every worker the primary saw listen, in order (a replaced one too). */
  const workerPids = () =>
    server
      .lines()
      .filter(isLine('worker listening'))
      .map((l) => l.workerPid as number);
  const servedBy = () =>
    new Set(
      server
        .lines()
        .filter((l) => l.msg === 'request completed')
        .map((l) => l.pid as number),
    );

  it('migrates once in the primary, then both workers serve requests on the one port', async () => {
    // The primary applied the migrations; each worker found nothing left to apply.
    const workersReady = server.lines().filter((l) => l.msg === 'database ready');
    expect(workersReady).toHaveLength(2);
    for (const line of workersReady) expect(line.migrationsApplied).toEqual([]);

    for (let i = 0; i < 12; i++) expect(await getOnce(`${url}/api/ready`)).toBe(200);
    const pids = servedBy();
    expect(pids.size).toBe(2);
    expect(pids.has(primary)).toBe(false);
  });

  it('replaces a worker that dies, and keeps serving meanwhile', async () => {
    const [victim] = workerPids();
    process.kill(victim!, 'SIGKILL');
    await server.waitForLine((l) => l.msg === 'worker died: replacing it' && l.workerPid === victim);
    // The other worker answers while the new one starts.
    expect(await getOnce(`${url}/api/ready`)).toBe(200);
    await server.waitForLine(() => workerPids().length === 3);
    const replacement = workerPids()[2]!;
    expect(replacement).not.toBe(victim);
    expect(alive(replacement)).toBe(true);
    expect(alive(primary)).toBe(true);
  });

  it('passes SIGTERM on to the workers, which drain, and ends with code 0', async () => {
    const workers = workerPids().filter(alive);
    expect(workers).toHaveLength(2);
    process.kill(primary, 'SIGTERM');
    const exit = await server.exit(30_000);
    expect(exit.code).toBe(0);
    for (const pid of workers) expect(alive(pid)).toBe(false);
    // Each worker stopped as a single server does, after its drain.
    expect(server.lines().filter((l) => l.msg === 'stopped' && workers.includes(l.pid as number))).toHaveLength(2);
  });
});

describe('WORKERS above 1 on the embedded database', () => {
  it('refuses to start, saying that it needs DATABASE_URL', async () => {
    const server = npmStart({ DATA_DIR: 'memory://', WORKERS: '2' });
    try {
      const exit = await server.exit(60_000);
      expect(exit.code).toBe(2);
      expect(server.output()).toMatch(/WORKERS: more than one server process needs DATABASE_URL \(PostgreSQL\)/);
    } finally {
      server.kill();
    }
  }, 70_000);
});
