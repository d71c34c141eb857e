import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { alive, listening, npmStart, type ServerProcess } from '../support/server-process';

describe('npm start', () => {
  let dataDir: string;
  let server: ServerProcess | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'npm-start-'));
  });

  afterEach(() => {
    // Whatever the test's outcome, nothing it started is left running.
    server?.kill();
    server = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  // SIGINT (Ctrl-C) takes the same path; one start is slow enough (a new folder's migrations) for one test.
  const signal = 'SIGTERM';
  it(
    'stops on SIGTERM sent to its own process id: the server shuts down gracefully and the port closes',
    async () => {
      server = npmStart({ DATA_DIR: dataDir });
      const started = await listening(server);
      const health = await fetch(`${started.url}/api/health`);
      expect(health.status).toBe(200);

      process.kill(server.npm.pid!, signal);
      const exit = await server.exit(30_000);

      // The server ends with 0 after its shutdown, and npm with it.
      expect(exit).toEqual({ code: 0, signal: null });
      expect(server.output()).toContain(`"signal":"${signal}","msg":"shutting down"`);
      expect(alive(started.pid)).toBe(false);
      await expect(fetch(`${started.url}/api/health`)).rejects.toThrow();
    },
    150_000,
  );
});
