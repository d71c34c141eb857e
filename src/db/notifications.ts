import type pg from 'pg';
import { Prisma } from '../generated/prisma/client';

/**
 * Messages between the processes that serve one database: PostgreSQL's LISTEN/NOTIFY (PGlite has
 * it too, within its one process). A message sent inside a transaction (`notifySql`) is delivered
 * when that transaction commits, and not at all if it rolls back. Payloads are short text (under
 * 8,000 bytes): ids, never the data itself, which listeners read from the database.
 *
 * Channels in use (one place, so that none is spelled twice):
 * - `exercise_events`: an exercise's new positions were numbered; payload the exercise id.
 * - `participant_revoked`: a token stopped working; payload the participant id.
 * - `revocation_heard`: a process has forgotten a revoked participant; payload the participant id and
 *   the process's own id (src/exercises/revocations.ts).
 */
export const CHANNELS = {
  exerciseEvents: 'exercise_events',
  participantRevoked: 'participant_revoked',
  revocationHeard: 'revocation_heard',
} as const;

export type Channel = (typeof CHANNELS)[keyof typeof CHANNELS];

export interface Notifications {
  /**
   * Hears `channel`'s messages, sent by this process or another on the same database. `onReconnect`
   * runs after the listening connection was lost and taken up again: messages sent meanwhile are lost,
   * so a listener that caches must forget what it holds. Resolves once listening; returns how to stop.
   */
  listen(channel: Channel, handler: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>;
  /** Sends a message at once, outside any transaction. */
  notify(channel: Channel, payload: string): Promise<void>;
  /** How many sessions listen on `channel` on this database now, this process's own included. */
  listeners(channel: Channel): Promise<number>;
  close(): Promise<void>;
}

/** The statement that sends a message when the transaction it runs in commits. */
export const notifySql = (channel: Channel, payload: string): Prisma.Sql =>
  Prisma.sql`SELECT pg_notify(${channel}, ${payload})`;

/**
 * Notifications within this process only: for unit tests and for code that has not got a database's
 * (the real ones, over PostgreSQL and PGlite, open with the database in database.ts).
 */
export function inProcessNotifications(): Notifications {
  const handlers = new Map<Channel, Set<(payload: string) => void>>();
  return {
    async listen(channel, handler) {
      const set = handlers.get(channel) ?? new Set();
      handlers.set(channel, set);
      set.add(handler);
      return async () => {
        set.delete(handler);
      };
    },
    async notify(channel, payload) {
      for (const handler of handlers.get(channel) ?? []) handler(payload);
    },
    // Each listener here stands for a process.
    async listeners(channel) {
      return handlers.get(channel)?.size ?? 0;
    },
    async close() {
      handlers.clear();
    },
  };
}

type Handler = { channel: Channel; handler: (payload: string) => void; onReconnect: (() => void) | undefined };

/** A channel name as an SQL identifier (the names are ours, but quoting keeps it one identifier). */
const ident = (channel: Channel) => `"${channel.replace(/"/g, '""')}"`;

/**
 * The listening session's `application_name` names the channels it listens on, so that `listeners`
 * can count the sessions of a channel in `pg_stat_activity` (PostgreSQL has no view of LISTENs). It
 * holds 63 bytes: the prefix and today's three channels take 59.
 */
const APPLICATION_PREFIX = 'nsim:';
const nameAfter = (c: pg.Client, channels: Iterable<Channel>) =>
  c.query('SELECT set_config($1, $2, false)', [
    'application_name',
    `${APPLICATION_PREFIX} ${[...channels].sort().join(' ')} `,
  ]);

/** The longest wait between two attempts to take a lost listening connection up again. */
const MAX_BACKOFF_MS = 5_000;

/**
 * Notifications on PostgreSQL: one connection of its own (a pooled one would be handed to other work,
 * and LISTEN belongs to a session) that LISTENs on every channel someone listens to. When it is lost it
 * is taken up again with a growing wait (from 50 ms to 5 s), LISTENs anew, then runs the onReconnect
 * handlers: what was sent meanwhile is lost, and they know to read again.
 */
export function postgresNotifications(
  connect: () => pg.Client,
  options: { onError?: (error: unknown) => void; minBackoffMs?: number } = {},
): Notifications {
  const handlers = new Set<Handler>();
  const listening = new Set<Channel>();
  const minBackoffMs = options.minBackoffMs ?? 50;
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;

  const open = async (): Promise<pg.Client> => {
    const next = connect();
    next.on('notification', (message) => {
      for (const h of handlers) if (h.channel === message.channel) h.handler(message.payload ?? '');
    });
    // Without an 'error' listener a dropped connection would end the process; 'end' follows and reconnects.
    next.on('error', (error) => options.onError?.(error));
    next.on('end', () => {
      if (client !== next) return;
      client = null;
      if (!closed) reconnect(minBackoffMs);
    });
    await next.connect();
    try {
      for (const channel of listening) await next.query(`LISTEN ${ident(channel)}`);
      await nameAfter(next, listening);
    } catch (error) {
      await next.end().catch(() => undefined);
      throw error;
    }
    if (closed) {
      await next.end().catch(() => undefined);
      throw new Error('notifications closed');
    }
    client = next;
    return next;
  };

  const reconnect = (waitMs: number) => {
    retry = setTimeout(() => {
      retry = null;
      connecting = open();
      connecting.then(
        () => {
          connecting = null;
          for (const h of handlers) h.onReconnect?.();
        },
        (error: unknown) => {
          connecting = null;
          if (closed) return;
          options.onError?.(error);
          reconnect(Math.min(waitMs * 2, MAX_BACKOFF_MS));
        },
      );
    }, waitMs);
    retry.unref();
  };

  /** The listening connection, opened on first use. */
  const session = async (): Promise<pg.Client> => {
    if (closed) throw new Error('notifications closed');
    if (client) return client;
    connecting ??= open().finally(() => {
      connecting = null;
    });
    return connecting;
  };

  return {
    async listen(channel, handler, onReconnect) {
      const entry: Handler = { channel, handler, onReconnect };
      handlers.add(entry);
      if (!listening.has(channel)) {
        listening.add(channel);
        try {
          const c = await session();
          // open() LISTENs on every channel in `listening`; a connection opened earlier needs this one.
          await c.query(`LISTEN ${ident(channel)}`);
          await nameAfter(c, listening);
        } catch (error) {
          handlers.delete(entry);
          listening.delete(channel);
          throw error;
        }
      } else {
        await session();
      }
      return async () => {
        handlers.delete(entry);
      };
    },
    async notify(channel, payload) {
      const c = await session();
      await c.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async listeners(channel) {
      const c = await session();
      const { rows } = await c.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND starts_with(application_name, $1)
            AND strpos(application_name, $2) > 0`,
        [APPLICATION_PREFIX, ` ${channel} `],
      );
      return rows[0]?.n ?? 0;
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      handlers.clear();
      const c = client ?? (await connecting?.catch(() => null)) ?? null;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}

/** The part of PGlite that notifications use (its own LISTEN/NOTIFY, within its one process). */
interface PGliteNotifying {
  listen(channel: string, callback: (payload: string) => void): Promise<(() => Promise<void>) | (() => void)>;
  query(sql: string, params?: unknown[]): Promise<unknown>;
  readonly closed: boolean;
}

/** Notifications on PGlite: its own listen and NOTIFY. It never loses its connection, so onReconnect never runs. */
export function pgliteNotifications(pglite: PGliteNotifying): Notifications {
  const stops = new Set<() => Promise<void> | void>();
  return {
    async listen(channel, handler) {
      // PGlite folds an unquoted channel name to lower case as PostgreSQL does; ours are lower case already.
      const unlisten = await pglite.listen(channel, handler);
      const stop = async () => {
        stops.delete(stop);
        if (!pglite.closed) await unlisten();
      };
      stops.add(stop);
      return stop;
    },
    async notify(channel, payload) {
      await pglite.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    // PGlite is one process: its listeners are this process's.
    async listeners() {
      return stops.size ? 1 : 0;
    },
    async close() {
      for (const stop of [...stops]) await stop();
    },
  };
}
