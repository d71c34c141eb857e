import pino from 'pino';
import request from 'supertest';
import type { Database } from '../../src/db/database';
import type { SecurityOptions } from '../../src/app';
import { buildServices } from '../../src/server';
import { databaseKinds, openTestDatabase, postgresTestUrl, type DatabaseKind } from './databases';
import { withListeningNotifications } from './notifications';

export type Agent = ReturnType<typeof request>;

export interface TestApp {
  kind: DatabaseKind;
  db: Database;
  http: Agent;
}

/** Builds the real app on a real database of `kind`. */
export async function createTestApp(kind: DatabaseKind, security: Partial<SecurityOptions> = {}): Promise<TestApp> {
  // Real LISTEN/NOTIFY for the identity cache's revocations (test/support/notifications.ts).
  const db = await withListeningNotifications(await openTestDatabase(kind), kind === 'postgres' ? postgresTestUrl() : undefined);
  // Tests send many bad tokens on purpose; the failed-authentication limit gets a test of its own.
  const { app } = buildServices(db, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), { authFailureLimit: 1_000_000, ...security });
  return { kind, db, http: request(app) };
}

/**
 * Runs the same suite against every database the tests have: PGlite always, PostgreSQL when
 * reachable. Each suite gets its own app; exercises keep tests apart within it.
 */
export function describeEachDatabase(name: string, suite: (ctx: () => TestApp) => void, security: Partial<SecurityOptions> = {}): void {
  describe.each(databaseKinds())(`${name} [%s]`, (kind) => {
    let app: TestApp | undefined;
    beforeAll(async () => {
      app = await createTestApp(kind, security);
    });
    afterAll(async () => {
      await app?.db.close();
    });
    suite(() => {
      if (!app) throw new Error('test app not ready');
      return app;
    });
  });
}
