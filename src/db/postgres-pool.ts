import pg from 'pg';
import type { DatabaseTimeouts } from './database-timeouts';

/** How much longer than the server's statement timeout the client waits for an answer. */
const READ_MARGIN_MS = 1_000;
/** An idle pooled connection whose peer is gone is found by TCP keep-alive after this (plus libuv's probes). */
const KEEPALIVE_DELAY_MS = 5_000;

const isReadTimeout = (error: unknown) => error instanceof Error && error.message === 'Query read timeout';

/**
 * A client that hangs up when an answer does not come in time. pg gives up on the query at
 * `query_timeout` but keeps the connection, still waiting for that answer; Prisma's adapter releases a
 * transaction's client to the pool without an error, so the next request on it would wait behind the
 * lost answer. Ending it drops the connection (its queued queries fail at once) and the pool opens a
 * fresh one. A query outside a transaction needs nothing of this: pg-pool drops a client whose query
 * failed.
 */
class HangUpOnReadTimeout extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    this.query = ((...args: unknown[]) => {
      const result = query(...args);
      if (result instanceof Promise) {
        result.catch((error: unknown) => {
          if (isReadTimeout(error)) void this.end();
        });
      }
      return result;
    }) as pg.Client['query'];
  }
}

/** The settings of a pool of `size` connections to `url`, with the timeouts on every connection. */
export function postgresPoolConfig(url: string, size: number, timeouts: DatabaseTimeouts): pg.PoolConfig {
  return {
    connectionString: url,
    max: size,
    Client: HangUpOnReadTimeout,
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.statementMs,
    query_timeout: timeouts.statementMs + READ_MARGIN_MS,
    idle_in_transaction_session_timeout: timeouts.transactionMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    // Sessions in UTC: the pg adapter sends timestamps without a zone (prisma/orm#26786).
    options: '-c TimeZone=UTC',
  };
}

export function postgresPool(url: string, size: number, timeouts: DatabaseTimeouts): pg.Pool {
  const pool = new pg.Pool(postgresPoolConfig(url, size, timeouts));
  // An idle connection that the server or the network drops leaves the pool, and the next query opens
  // another; the error says nothing a request needs to hear (without a listener it would end the process).
  pool.on('error', () => undefined);
  return pool;
}
