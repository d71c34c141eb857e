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
 */
export const CHANNELS = {
  exerciseEvents: 'exercise_events',
  participantRevoked: 'participant_revoked',
} as const;

export type Channel = (typeof CHANNELS)[keyof typeof CHANNELS];

export interface Notifications {
  /**
   * Hears `channel`'s messages, sent by this process or another on the same database. `onReconnect`
   * runs after the listening connection was lost and taken up again: messages sent meanwhile are lost,
   * so a listener that caches must forget what it holds. Resolves once listening; returns how to stop.
   */
  listen(
    channel: Channel,
    handler: (payload: string) => void,
    onReconnect?: () => void,
  ): Promise<() => Promise<void>>;
  /** Sends a message at once, outside any transaction. */
  notify(channel: Channel, payload: string): Promise<void>;
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
    async close() {
      handlers.clear();
    },
  };
}
