import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import pino from 'pino';
import { loadConfig } from '../../src/config/config';
import { start } from '../../src/server';
import { databaseKinds, postgresTestUrl, type DatabaseKind } from '../support/databases';
import { readFileSync } from 'node:fs';
import { bearer, createExercise, publishedNotice, redRequest } from '../support/fixtures';

const MONACO = readFileSync(path.join(__dirname, '../../scenarios/monaco-fingerprints.yaml'), 'utf8');

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

  it('keeps deadlines across a restart and fires each once after it', async () => {
    const first = await start(config(), silent);
    const http = request(first.url);
    // The notice is published on a paused clock, so its deadlines fall at known times: teams may act while paused here.
    const ex = await createExercise(http, ['MC'], 'Paused play', { freezeWhilePaused: false });
    await http.post(`/api/exercises/${ex.id}/clock`).set(bearer(ex.facilitator)).send({ action: 'pause' }).expect(200);
    const notice = await publishedNotice(http, ex, redRequest());
    await http.post(`/api/exercises/${ex.id}/clock`).set(bearer(ex.facilitator)).send({ action: 'advance', by: 'P4Y7M' }).expect(200);
    await first.stop();

    const second = await start(config(), silent);
    try {
      const again = request(second.url);
      const fired = await again.post(`/api/exercises/${ex.id}/clock`).set(bearer(ex.facilitator)).send({ action: 'advance', by: 'P1Y' }).expect(200);
      expect(fired.body.deadlinesFired).toBe(1);
      const history = await again.get(`/api/notices/${notice.id}/history`).set(bearer(ex.tokens.gs!)).expect(200);
      expect(history.body.items.map((h: { type: string }) => h.type).slice(-2)).toEqual(['OPEN_RENEWAL', 'EXPIRE']);
    } finally {
      await second.stop();
    }
  });

  it('fires deadlines while the clock runs, with no request to the notice', async () => {
    const server = await start(config(), silent);
    try {
      const http = request(server.url);
      // The notice is published on a paused clock, so its deadlines fall at known times: teams may act while paused here.
      const ex = await createExercise(http, ['MC'], 'Paused play', { freezeWhilePaused: false });
      const facilitator = bearer(ex.facilitator);
      await http.post(`/api/exercises/${ex.id}/clock`).set(facilitator).send({ action: 'pause' }).expect(200);
      const notice = await publishedNotice(http, ex, redRequest());
      await http.post(`/api/exercises/${ex.id}/clock`).set(facilitator).send({ action: 'advance', by: 'P4Y11M' }).expect(200);
      await http.post(`/api/exercises/${ex.id}/clock`).set(facilitator).send({ action: 'set_speed', speed: 31_536_000 }).expect(200);
      await http.post(`/api/exercises/${ex.id}/clock`).set(facilitator).send({ action: 'resume' }).expect(200);
      let state = '';
      // The ticker runs every second of wall time; give it up to twenty.
      for (let i = 0; i < 40 && state !== 'expired'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        state = (await server.db.prisma.notice.findUniqueOrThrow({ where: { id: notice.id } })).state;
      }
      expect(state).toBe('expired');
    } finally {
      await server.stop();
    }
  });

  it('plays a scenario across a restart: nothing lost, no inject fired twice', async () => {
    const first = await start(config(), silent);
    const http = request(first.url);
    const created = (await http.post('/api/exercises').send({ scenario: MONACO }).expect(201)).body;
    const facilitator = bearer(created.facilitatorToken);
    expect((await http.post(`/api/exercises/${created.id}/clock`).set(facilitator).send({ action: 'advance', by: 'P1D' }).expect(200)).body.injectsFired).toBe(3);
    await first.stop();

    const second = await start(config(), silent);
    try {
      const again = request(second.url);
      const run = await again.post(`/api/exercises/${created.id}/clock`).set(facilitator).send({ action: 'advance', by: 'P40D' }).expect(200);
      expect(run.body).toMatchObject({ injectsFired: 5, injectsFailed: 0 });
      const report = (await again.get(`/api/exercises/${created.id}/report`).set(facilitator).expect(200)).body;
      expect(report.summary).toMatchObject({ events: 9, injects: { done: 9, failed: 0, pending: 0 }, score: 40 });
      expect(new Set(report.timeline.map((e: { type: string; country?: string }) => `${e.type}${e.country ?? ''}`)).size).toBe(9);
    } finally {
      await second.stop();
    }
  });

  it('fires injects while the clock runs, with no request from anyone', async () => {
    const server = await start(config(), silent);
    try {
      const http = request(server.url);
      const created = (await http.post('/api/exercises').send({ scenario: MONACO }).expect(201)).body;
      const facilitator = bearer(created.facilitatorToken);
      await http.post(`/api/exercises/${created.id}/clock`).set(facilitator).send({ action: 'set_speed', speed: 10_000_000 }).expect(200);
      await http.post(`/api/exercises/${created.id}/clock`).set(facilitator).send({ action: 'resume' }).expect(200);
      let state = '';
      // Forty simulated days take under a second of wall time at this speed; the ticker runs every second.
      for (let i = 0; i < 40 && state !== 'withdrawn'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        state = (await server.db.prisma.notice.findFirst({ where: { exerciseId: created.id } }))?.state ?? '';
      }
      expect(state).toBe('withdrawn');
      expect(await server.db.prisma.inject.count({ where: { exerciseId: created.id, status: 'done' } })).toBe(9);
    } finally {
      await server.stop();
    }
  });
});
