import type { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import type { Database } from '../../src/db/database';
import type { Channel, Notifications } from '../../src/db/notifications';

/**
 * Until the database's own LISTEN/NOTIFY notifications land (helper B, issue 14; database.ts has an
 * in-process placeholder that cannot hear `pg_notify`), the tests give the app real ones: a `pg`
 * client of its own on PostgreSQL, PGlite's `listen` in process. `reconnect` stands for a lost and
 * recovered listening connection.
 */
export async function withListeningNotifications(
  db: Database,
  postgresUrl?: string,
): Promise<Database & { reconnect(): void }> {
  const reconnects = new Set<() => void>();
  let notifications: Notifications;
  let closeListener: () => Promise<void>;
  if (db.kind === 'postgres') {
    if (!postgresUrl) throw new Error('a PostgreSQL database needs its URL to listen');
    const client = new Client({ connectionString: postgresUrl });
    await client.connect();
    const handlers = new Map<string, Set<(payload: string) => void>>();
    client.on('notification', (m) => {
      for (const handler of handlers.get(m.channel) ?? []) handler(m.payload ?? '');
    });
    notifications = {
      async listen(channel: Channel, handler, onReconnect) {
        const set = handlers.get(channel) ?? new Set();
        if (set.size === 0) await client.query(`LISTEN ${channel}`);
        handlers.set(channel, set);
        set.add(handler);
        if (onReconnect) reconnects.add(onReconnect);
        return async () => {
          set.delete(handler);
          if (onReconnect) reconnects.delete(onReconnect);
        };
      },
      async notify(channel, payload) {
        await client.query('SELECT pg_notify($1, $2)', [channel, payload]);
      },
      close: () => client.end(),
    };
    closeListener = () => client.end();
  } else {
    const pglite = (db.adapterFactory as unknown as { client: PGlite }).client;
    notifications = {
      async listen(channel, handler, onReconnect) {
        const unlisten = await pglite.listen(channel, handler);
        if (onReconnect) reconnects.add(onReconnect);
        return async () => {
          if (onReconnect) reconnects.delete(onReconnect);
          if (!pglite.closed) await unlisten();
        };
      },
      async notify(channel, payload) {
        await pglite.query('SELECT pg_notify($1, $2)', [channel, payload]);
      },
      close: async () => {},
    };
    closeListener = async () => {};
  }
  return {
    ...db,
    notifications,
    reconnect: () => {
      for (const onReconnect of reconnects) onReconnect();
    },
    close: async () => {
      await closeListener();
      await db.close();
    },
  };
}
