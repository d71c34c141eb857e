import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConfigError, loadConfig } from '../../src/config/config';

describe('configuration', () => {
  it('defaults to port 3000, the embedded database in ./data and info logs', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', databaseUrl: undefined, logLevel: 'info' });
    expect(config.dataDir).toBe(path.resolve('./data'));
    // A throw-away database is not a folder: it must not be created as one in the working directory.
    expect(loadConfig({ DATA_DIR: 'memory://' }).dataDir).toBe('memory://');
  });

  it('reads every setting from the environment, treating empty values as unset', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgresql://app@db:5432/notices',
      DATA_DIR: '/tmp/x',
      LOG_LEVEL: 'debug',
      UNRELATED: 'ignored',
    });
    expect(config).toEqual({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgresql://app@db:5432/notices',
      dataDir: '/tmp/x',
      logLevel: 'debug',
      adminToken: undefined,
      corsOrigins: [],
      authFailureLimit: 20,
      publicUrl: 'http://localhost:8080',
      databaseStartupTimeoutSeconds: 60,
      shutdownGraceMs: 10_000,
      streamPollMs: 1000,
      databaseTimeouts: { connectMs: 2000, statementMs: 5000, transactionMs: 10000 },
      workers: 1,
    });
    // Two processes behind a load balancer hear each other through LISTEN/NOTIFY: the poll may be rare.
    expect(loadConfig({ STREAM_POLL_MS: '60000' }).streamPollMs).toBe(60_000);
    expect(() => loadConfig({ STREAM_POLL_MS: '0' })).toThrow(/STREAM_POLL_MS/);
    expect(loadConfig({ ADMIN_TOKEN: 'a-long-admin-secret', CORS_ORIGINS: 'https://a.example, http://localhost:5173', AUTH_FAILURE_LIMIT: '5' })).toMatchObject({
      adminToken: 'a-long-admin-secret',
      corsOrigins: ['https://a.example', 'http://localhost:5173'],
      authFailureLimit: 5,
    });
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  });

  it('runs several server processes on PostgreSQL only: the embedded database belongs to one process', () => {
    const pg = { DATABASE_URL: 'postgresql://app@db:5432/notices' };
    expect(loadConfig({ ...pg, WORKERS: '3' }).workers).toBe(3);
    expect(loadConfig({ ...pg, WORKERS: 'auto' }).workers).toBe(os.availableParallelism());
    // `auto` on the embedded database is one process, not an error: a default that fits both.
    expect(loadConfig({ WORKERS: 'auto' }).workers).toBe(1);
    expect(loadConfig({ WORKERS: '1' }).workers).toBe(1);
    expect(() => loadConfig({ WORKERS: '2' })).toThrow(/WORKERS: more than one server process needs DATABASE_URL/);
    for (const bad of ['0', '65', 'two', '1.5', ' 2']) {
      expect(() => loadConfig({ ...pg, WORKERS: bad })).toThrow(/WORKERS/);
    }
  });

  it('lists every bad value at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/DATABASE_URL/);
    expect(problems).toMatch(/LOG_LEVEL/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
  });

  it('refuses a short ADMIN_TOKEN without showing it, and origins that are not URLs', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'short-secret' })).toThrow(/ADMIN_TOKEN: must be at least 16 characters \(got \(hidden\)\)/);
    expect(() => loadConfig({ ADMIN_TOKEN: 'short-secret' })).not.toThrow(/short-secret/);
    expect(() => loadConfig({ CORS_ORIGINS: 'example.com' })).toThrow(/CORS_ORIGINS/);
  });

  it('builds sign-in links on PUBLIC_URL, by default this host on its port, and refuses one that is not http(s)', () => {
    expect(loadConfig({}).publicUrl).toBe('http://localhost:3000');
    expect(loadConfig({ PUBLIC_URL: 'https://training.example/room/' }).publicUrl).toBe('https://training.example/room');
    expect(loadConfig({ PUBLIC_URL: 'http://192.168.1.20:3000' }).publicUrl).toBe('http://192.168.1.20:3000');
    expect(() => loadConfig({ PUBLIC_URL: 'ftp://training.example' })).toThrow(/PUBLIC_URL: must be an http\(s\) URL/);
    expect(() => loadConfig({ PUBLIC_URL: 'training.example' })).toThrow(/PUBLIC_URL/);
    expect(() => loadConfig({ PUBLIC_URL: 'https://training.example/#x' })).toThrow(/PUBLIC_URL: must not carry a query or a fragment/);
  });

  it('waits DATABASE_STARTUP_TIMEOUT seconds for PostgreSQL at start-up and SHUTDOWN_GRACE_MS for requests at a stop', () => {
    expect(loadConfig({})).toMatchObject({ databaseStartupTimeoutSeconds: 60, shutdownGraceMs: 10_000 });
    expect(loadConfig({ DATABASE_STARTUP_TIMEOUT: '0', SHUTDOWN_GRACE_MS: '250' })).toMatchObject({
      databaseStartupTimeoutSeconds: 0,
      shutdownGraceMs: 250,
    });
  });

  it('refuses a start-up timeout or a grace that is not a whole number in range, naming the variable', () => {
    for (const bad of ['abc', '-1', '1.5', ' ', '1e3', '10s']) {
      expect(() => loadConfig({ DATABASE_STARTUP_TIMEOUT: bad })).toThrow(/DATABASE_STARTUP_TIMEOUT: must be a whole number of seconds/);
      expect(() => loadConfig({ SHUTDOWN_GRACE_MS: bad })).toThrow(/SHUTDOWN_GRACE_MS: must be a whole number of milliseconds/);
    }
    expect(() => loadConfig({ DATABASE_STARTUP_TIMEOUT: '86401' })).toThrow(/DATABASE_STARTUP_TIMEOUT: must be at most 86400 seconds/);
    expect(() => loadConfig({ SHUTDOWN_GRACE_MS: '600001' })).toThrow(/SHUTDOWN_GRACE_MS: must be at most 600000 milliseconds/);
  });

  it('waits on PostgreSQL 2 s to connect, 5 s a statement and 10 s a transaction unless told otherwise', () => {
    expect(loadConfig({}).databaseTimeouts).toEqual({ connectMs: 2000, statementMs: 5000, transactionMs: 10000 });
    expect(
      loadConfig({
        DATABASE_CONNECT_TIMEOUT_MS: '500',
        DATABASE_STATEMENT_TIMEOUT_MS: '1500',
        DATABASE_TRANSACTION_TIMEOUT_MS: '3000',
      }).databaseTimeouts,
    ).toEqual({ connectMs: 500, statementMs: 1500, transactionMs: 3000 });
  });

  it('refuses a database timeout that is not a positive whole number of milliseconds, or a transaction shorter than a statement', () => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_CONNECT_TIMEOUT_MS: '0', DATABASE_STATEMENT_TIMEOUT_MS: '2.5s' });
    } catch (e) {
      error = e;
    }
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/DATABASE_CONNECT_TIMEOUT_MS/);
    expect(problems).toMatch(/DATABASE_STATEMENT_TIMEOUT_MS/);
    expect(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '8000', DATABASE_TRANSACTION_TIMEOUT_MS: '4000' })).toThrow(
      /DATABASE_TRANSACTION_TIMEOUT_MS: must be at least DATABASE_STATEMENT_TIMEOUT_MS \(got 4000\)/,
    );
  });

  it('never shows a password from a mistyped DATABASE_URL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgress://app:s3cret@db:5432/x' })).toThrow(/postgress:\/\/app:\*\*\*@db/);
    expect(() => loadConfig({ DATABASE_URL: 'postgress://app:s3cret@db:5432/x' })).not.toThrow(/s3cret/);
  });

  it('stops start-up with a clear message and a non-zero exit on a bad value', async () => {
    // What `npm start` runs (scripts/start.js: the build, made first if src/ changed).
    const run = promisify(execFile)(process.execPath, ['scripts/start.js'], {
      env: { ...process.env, PORT: 'abc', LOG_LEVEL: 'loud' },
    });
    await expect(run).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/Invalid configuration[\s\S]*PORT[\s\S]*LOG_LEVEL/) });
  });
});
