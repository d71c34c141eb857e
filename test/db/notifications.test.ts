import pg from 'pg';
import type { Database } from '../../src/db/database';
import { CHANNELS, notifySql, postgresNotifications } from '../../src/db/notifications';
import { databaseKinds, openTestDatabase, postgresTestUrl } from '../support/databases';

/** Resolves once `received` holds `payload` (a notification the test sent last, after the ones it checks). */
function heard(received: string[], payload: string): Promise<void> {
  return new Promise((resolve) => {
    const check = setInterval(() => {
      if (received.includes(payload)) {
        clearInterval(check);
        resolve();
      }
    }, 5);
  });
}

describe.each(databaseKinds())('notifications on %s', (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await db.close();
  });

  it('delivers a message sent in a committed transaction, and none from a rolled-back one', async () => {
    const received: string[] = [];
    const stop = await db.notifications.listen(CHANNELS.exerciseEvents, (payload) => received.push(payload));
    const marker = `${kind}-${Date.now()}`;

    await db.prisma.$transaction(async (tx) => {
      await tx.$executeRaw(notifySql(CHANNELS.exerciseEvents, `${marker}-committed`));
    });
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.$executeRaw(notifySql(CHANNELS.exerciseEvents, `${marker}-rolled-back`));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    // Sent last: once it is here, anything sent before it that was going to arrive has arrived.
    await db.notifications.notify(CHANNELS.exerciseEvents, `${marker}-last`);
    await heard(received, `${marker}-last`);
    await stop();

    expect(received.filter((p) => p.startsWith(marker))).toEqual([`${marker}-committed`, `${marker}-last`]);
  });

  it('stops delivering to a listener that stopped', async () => {
    const stopped: string[] = [];
    const still: string[] = [];
    const stop = await db.notifications.listen(CHANNELS.participantRevoked, (p) => stopped.push(p));
    const stopStill = await db.notifications.listen(CHANNELS.participantRevoked, (p) => still.push(p));
    await stop();
    await db.notifications.notify(CHANNELS.participantRevoked, 'after-stop');
    await heard(still, 'after-stop');
    await stopStill();

    expect(stopped).toEqual([]);
  });
});

(databaseKinds().includes('postgres') ? describe : describe.skip)('notifications on postgres, connection lost', () => {
  it('takes a killed listening connection up again, tells onReconnect, and hears messages sent after', async () => {
    // Its connections kept, so that the test kills this one by its backend's pid and no other suite's.
    const clients: pg.Client[] = [];
    const name = `notify-test-${process.pid}-${Date.now()}`;
    const notifications = postgresNotifications(
      () => {
        const client = new pg.Client({ connectionString: postgresTestUrl() });
        clients.push(client);
        return client;
      },
      { minBackoffMs: 10 },
    );
    const admin = new pg.Client({ connectionString: postgresTestUrl() });
    await admin.connect();
    try {
      const received: string[] = [];
      let reconnected = 0;
      await notifications.listen(
        CHANNELS.exerciseEvents,
        (p) => received.push(p),
        () => reconnected++,
      );
      const pid = (clients[0] as unknown as { processID: number }).processID;
      const killed = await admin.query('SELECT pg_terminate_backend($1) AS done', [pid]);
      expect(killed.rows).toEqual([{ done: true }]);

      await new Promise<void>((resolve) => {
        const check = setInterval(() => {
          if (reconnected > 0) {
            clearInterval(check);
            resolve();
          }
        }, 5);
      });
      // Sent from another connection: the listening one LISTENs again after it was taken up.
      await admin.query('SELECT pg_notify($1, $2)', [CHANNELS.exerciseEvents, `${name}-after`]);
      await heard(received, `${name}-after`);

      expect(reconnected).toBe(1);
      // One session left, the new one, named for the channels it listens on (what `listeners` counts).
      const pids = clients.map((c) => (c as unknown as { processID: number }).processID);
      const sessions = await admin.query('SELECT application_name FROM pg_stat_activity WHERE pid = ANY($1::int[])', [pids]);
      expect(sessions.rows).toEqual([{ application_name: `nsim: ${CHANNELS.exerciseEvents} ` }]);
      expect(await notifications.listeners(CHANNELS.exerciseEvents)).toBeGreaterThanOrEqual(1);
    } finally {
      await notifications.close();
      await admin.end();
    }
  });
});
