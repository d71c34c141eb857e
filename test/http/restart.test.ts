import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import pino from 'pino';
import { loadConfig } from '../../src/config/config';
import { start } from '../../src/server';
import { databaseKinds, postgresTestUrl, type DatabaseKind } from '../support/databases';
import { bearer, createExercise, publishedNotice, redRequest } from '../support/fixtures';

const silent = pino({ level: 'silent' });

describe.each(databaseKinds())('state survives a restart [%s]', (kind: DatabaseKind) => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'notice-sim-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const config = () => ({
    ...loadConfig({}),
    port: 0,
    databaseUrl: kind === 'postgres' ? postgresTestUrl() : undefined,
    dataDir,
    logLevel: 'silent' as const,
  });

  it('serves the same notice, history, circulation and tokens after the server stops and starts again', async () => {
    const first = await start(config(), silent);
    const http = request(first.url);
    const ex = await createExercise(http, ['MC', 'FR']);
    const notice = await publishedNotice(http, ex, redRequest());
    await http.post(`/api/notices/${notice.id}/circulation/FR/events`).set(bearer(ex.tokens['ncb:FR']!)).send({ type: 'REPORT_HIT', details: 'Nice' }).expect(200);
    const before = {
      notice: (await http.get(`/api/notices/${notice.id}`).set(bearer(ex.tokens.gs!))).body,
      history: (await http.get(`/api/notices/${notice.id}/history`).set(bearer(ex.tokens.gs!))).body,
      circulation: (await http.get(`/api/notices/${notice.id}/circulation`).set(bearer(ex.tokens.gs!))).body,
    };
    await first.stop();

    const second = await start(config(), silent);
    try {
      const again = request(second.url);
      expect((await again.get(`/api/notices/${notice.id}`).set(bearer(ex.tokens.gs!)).expect(200)).body).toEqual(before.notice);
      expect((await again.get(`/api/notices/${notice.id}/history`).set(bearer(ex.tokens.gs!)).expect(200)).body).toEqual(before.history);
      expect((await again.get(`/api/notices/${notice.id}/circulation`).set(bearer(ex.tokens.gs!)).expect(200)).body).toEqual(before.circulation);
      // The story goes on where it stopped.
      await again
        .post(`/api/notices/${notice.id}/circulation/FR/events`)
        .set(bearer(ex.tokens['ncb:FR']!))
        .send({ type: 'PROVISIONAL_ARREST' })
        .expect(200);
    } finally {
      await second.stop();
    }
  });
});
