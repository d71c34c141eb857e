import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError } from './errors';

/**
 * A clean stop of the HTTP server. From `close()` on, the listener accepts no connection; every
 * request that arrives, on a kept-alive connection too, is answered 503 `SHUTTING_DOWN` with
 * `Connection: close`; requests already running go on to their end, their responses carrying
 * `Connection: close`; idle connections are closed once nothing runs (but not before a moment has
 * passed); after the grace whatever is left is cut, and `close()` resolves only once no handler
 * runs any more, so that the database can then be closed.
 *
 * Written on Node's own calls rather than `http-terminator`, `stoppable` or `@godaddy/terminus`:
 * none answers new requests on kept-alive connections with a 503, and they (like `server.close()`
 * itself) destroy idle connections at once — racing a client that is just sending its next request
 * on one, which then sees a reset it cannot tell from a request lost half-way.
 */

/** What `Retry-After` says to a request refused while the server stops (s). */
export const SHUTDOWN_RETRY_AFTER_SECONDS = 5;

/**
 * How long a connection idle when the stop began is left open (ms): a client on it may be sending
 * its next request at that moment, which then gets the 503 instead of a reset.
 */
const IDLE_LINGER_MS = 500;

/** A request from its arrival until its response has closed and its handler (if held) has returned. */
interface Ticket {
  res: ServerResponse;
  responseOpen: boolean;
  held: number;
  /** Its connection was closed by the drain: a handler not yet started is not run. */
  cut: boolean;
}

const tickets = new WeakMap<IncomingMessage, Ticket>();

export interface Drain {
  /** The app's first middleware: counts requests, and once draining answers new ones 503 `SHUTTING_DOWN`. */
  readonly middleware: RequestHandler;
  /**
   * Stops `server` as described above; `onDraining` runs once new requests are refused (to end live
   * streams). Resolves with what was cut at the grace's end (0 after a clean drain).
   */
  close(
    server: Server,
    options: { graceMs: number; logger: Logger; onDraining?: () => void },
  ): Promise<{ cutConnections: number; handlersAfterCut: number }>;
}

/**
 * Runs a route handler so that the drain waits for it even if its client has gone; a request whose
 * connection the drain has already cut does not start its handler.
 */
export async function holdWhile<T>(req: IncomingMessage, work: () => Promise<T>): Promise<T> {
  const ticket = tickets.get(req);
  if (!ticket) return work();
  if (ticket.cut) throw shuttingDown();
  ticket.held += 1;
  try {
    return await work();
  } finally {
    ticket.held -= 1;
    settle(ticket);
  }
}

// Set by the drain that owns a ticket; a ticket is settled once its response closed and nothing holds it.
const settlers = new WeakMap<Ticket, () => void>();
function settle(ticket: Ticket): void {
  if (!ticket.responseOpen && ticket.held === 0) settlers.get(ticket)?.();
}

function shuttingDown(): AppError {
  return new AppError('SHUTTING_DOWN', 'The server is stopping; reconnect in a moment');
}

export function createDrain(): Drain {
  let draining = false;
  const running = new Set<Ticket>();
  let onQuiet: (() => void) | null = null;

  const middleware: RequestHandler = (req, res, next) => {
    const ticket: Ticket = { res, responseOpen: true, held: 0, cut: false };
    tickets.set(req, ticket);
    running.add(ticket);
    settlers.set(ticket, () => {
      running.delete(ticket);
      if (running.size === 0) onQuiet?.();
    });
    // 'close' comes once the response is sent, or its connection has gone.
    res.once('close', () => {
      ticket.responseOpen = false;
      settle(ticket);
    });
    if (!draining) return next();
    res.setHeader('Connection', 'close');
    res.setHeader('Retry-After', String(SHUTDOWN_RETRY_AFTER_SECONDS));
    next(shuttingDown());
  };

  const quiet = () =>
    new Promise<void>((resolve) => {
      if (running.size === 0) return resolve();
      onQuiet = () => {
        onQuiet = null;
        resolve();
      };
    });

  return {
    middleware,

    async close(server, { graceMs, logger, onDraining }) {
      draining = true;
      // Responses not yet begun tell their client not to send anything more on this connection.
      for (const { res } of running) if (!res.headersSent) res.setHeader('Connection', 'close');
      logger.info({ inFlight: running.size, graceMs }, 'draining');
      // `net.Server#close` stops accepting without `http.Server#close`'s closing of idle connections.
      const connectionsGone = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
      onDraining?.();

      let graceTimer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'grace'>((resolve) => {
        graceTimer = setTimeout(() => resolve('grace'), graceMs);
      });
      const linger = new Promise<void>((resolve) => setTimeout(resolve, Math.min(IDLE_LINGER_MS, graceMs)));
      const drained = Promise.all([linger, quiet()]).then(() => 'drained' as const);
      if ((await Promise.race([drained, graceOver])) === 'drained') {
        server.closeIdleConnections();
        await Promise.race([connectionsGone, graceOver]);
      }
      clearTimeout(graceTimer);

      const left = [...running];
      const open = await new Promise<number>((resolve) => server.getConnections((_e, n) => resolve(n ?? 0)));
      if (left.length > 0 || open > 0) {
        for (const ticket of left) ticket.cut = true;
        logger.warn({ inFlight: left.length, connections: open }, 'grace over: closing the connections left');
        server.closeAllConnections();
      }
      await connectionsGone;
      // A handler whose client was cut may still be writing: the database must outlive it.
      const handlersAfterCut = running.size;
      if (handlersAfterCut > 0) logger.warn({ handlers: handlersAfterCut }, 'waiting for handlers still running');
      await quiet();
      return { cutConnections: open, handlersAfterCut };
    },
  };
}
