import request from 'supertest';
import pino from 'pino';
import { loadConfig } from '../../src/config/config';
import { start, type RunningServer } from '../../src/server';
import { databaseKinds, postgresTestUrl, type DatabaseKind } from '../support/databases';
import { bearer, createExercise, publishedNotice, redRequest, send, type ExerciseFixture } from '../support/fixtures';
import { openSse } from '../support/sse';

describe('a server with open streams', () => {
  it('stops, ending them', async () => {
    const server = await start({ ...loadConfig({}), port: 0, databaseUrl: undefined, dataDir: 'memory://', logLevel: 'silent' }, pino({ level: 'silent' }));
    const http = request(server.url);
    const ex = await createExercise(http, []);
    const open = await openSse(`${server.url}/api/exercises/${ex.id}/stream`, bearer(ex.tokens.gs!));
    await open.waitFor('ready', 1);
    const started = Date.now();
    await server.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(open.ended(5_000)).resolves.toBe(true);
  });
});

describe.each(databaseKinds())('the live stream [%s]', (kind: DatabaseKind) => {
  let server: RunningServer;
  let http: ReturnType<typeof request>;
  beforeAll(async () => {
    server = await start(
      { ...loadConfig({}), port: 0, databaseUrl: kind === 'postgres' ? postgresTestUrl() : undefined, dataDir: 'memory://', logLevel: 'silent' },
      pino({ level: 'silent' }),
    );
    http = request(server.url);
  });
  afterAll(() => server.stop());

  const stream = (ex: ExerciseFixture, token: string, headers: Record<string, string> = {}, query = '') =>
    openSse(`${server.url}/api/exercises/${ex.id}/stream${query}`, { ...bearer(token), ...headers });
  const data = (m: { data: string }) => JSON.parse(m.data) as { type: string; noticeId: string; seq: number; country?: string; noticeState: string };

  it('sends each committed event once, in order, and a reconnect with Last-Event-ID gets exactly what was missed', async () => {
    const ex = await createExercise(http, ['MC', 'FR']);
    const gs = ex.tokens.gs!;
    const first = await stream(ex, gs);
    await first.waitFor('ready', 1);
    const created = await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens['ncb:MC']!)).send(redRequest()).expect(201);
    await send(http, ex.tokens['ncb:MC']!, created.body.id, { type: 'SUBMIT' });
    const got = await first.waitFor('notice-event', 2);
    expect(got.map((m) => [data(m).type, data(m).seq])).toEqual([
      ['CREATE', 1],
      ['SUBMIT', 2],
    ]);
    expect(got.map((m) => data(m).noticeState)).toEqual(['draft', 'submitted']);
    const lastId = got[1]!.id!;
    first.close();

    // While nobody listens: the review, the approval, France's hit.
    await send(http, gs, created.body.id, { type: 'START_REVIEW' });
    await send(http, gs, created.body.id, { type: 'APPROVE', article3Cleared: true });
    await http.post(`/api/notices/${created.body.id}/circulation/FR/events`).set(bearer(ex.tokens['ncb:FR']!)).send({ type: 'REPORT_HIT', details: 'Nice' }).expect(200);

    const again = await stream(ex, gs, { 'Last-Event-ID': lastId });
    const missed = await again.waitFor('notice-event', 3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(again.messages.filter((m) => m.event === 'notice-event').map((m) => data(m).type)).toEqual(['START_REVIEW', 'APPROVE', 'REPORT_HIT']);
    expect(data(missed[2]!)).toMatchObject({ country: 'FR', noticeState: 'published' });
    again.close();
  });

  it('misses none of many events committed at once by concurrent requests', async () => {
    const countries = ['MC', 'FR', 'IT', 'ES', 'DE', 'BE', 'NL', 'CH', 'AT', 'PT', 'GR'];
    const ex = await createExercise(http, countries);
    const notice = await publishedNotice(http, ex, redRequest());
    const live = await stream(ex, ex.facilitator);
    await live.waitFor('ready', 1);
    await Promise.all(
      countries.slice(1).map((c) => http.post(`/api/notices/${notice.id}/circulation/${c}/events`).set(bearer(ex.tokens[`ncb:${c}`]!)).send({ type: 'ACKNOWLEDGE' }).expect(200)),
    );
    const acks = await live.waitFor('notice-event', countries.length - 1);
    expect(acks.map((m) => data(m).country).sort()).toEqual(countries.slice(1).sort());
    expect(new Set(acks.map((m) => m.id)).size).toBe(acks.length);
    live.close();
  });

  it('shows an ncb only what it may see, and replays from the start on request', async () => {
    const ex = await createExercise(http, ['MC', 'FR', 'RS']);
    const notice = await publishedNotice(http, ex, redRequest());
    await http.post(`/api/notices/${notice.id}/circulation/RS/events`).set(bearer(ex.tokens['ncb:RS']!)).send({ type: 'ACKNOWLEDGE' }).expect(200);
    await http.post(`/api/notices/${notice.id}/circulation/FR/events`).set(bearer(ex.tokens['ncb:FR']!)).send({ type: 'ACKNOWLEDGE' }).expect(200);
    const france = await stream(ex, ex.tokens['ncb:FR']!, {}, '?from=start');
    await france.waitFor('notice-event', 5);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The notice's own events and France's record; not Serbia's acknowledgement.
    expect(france.messages.filter((m) => m.event === 'notice-event').map((m) => `${data(m).type}${data(m).country ?? ''}`)).toEqual([
      'CREATE',
      'SUBMIT',
      'START_REVIEW',
      'APPROVE',
      'ACKNOWLEDGEFR',
    ]);
    france.close();
  });

  it('ends the stream of a token revoked while it runs', async () => {
    const ex = await createExercise(http, ['FR']);
    const france = await http.get(`/api/exercises/${ex.id}/participants`).set(bearer(ex.facilitator)).expect(200);
    const fr = france.body.items.find((p: { country?: string }) => p.country === 'FR');
    const live = await stream(ex, ex.tokens['ncb:FR']!);
    await live.waitFor('ready', 1);
    await http.delete(`/api/exercises/${ex.id}/participants/${fr.id}`).set(bearer(ex.facilitator)).expect(204);
    // The token is checked again every few seconds; then the stream ends.
    await expect(live.ended(10_000)).resolves.toBe(true);
  });

  it('resumes from position 0, the id an empty exercise’s ready message carries, as a reconnecting browser sends it', async () => {
    const ex = await createExercise(http, ['MC']);
    const empty = await stream(ex, ex.tokens.gs!);
    const [ready] = await empty.waitFor('ready', 1);
    expect(ready!.id).toBe('0');
    empty.close();
    const created = await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens['ncb:MC']!)).send(redRequest()).expect(201);
    const resumed = await stream(ex, ex.tokens.gs!, { 'Last-Event-ID': ready!.id! });
    const [event] = await resumed.waitFor('notice-event', 1);
    expect(event!.id).toBe('1');
    expect(JSON.parse(event!.data)).toMatchObject({ subject: 'notice', noticeId: created.body.id, type: 'CREATE' });
    resumed.close();
  });

  it('refuses a stream the caller may not open', async () => {
    const ex = await createExercise(http, []);
    const other = await createExercise(http, []);
    await http.get(`/api/exercises/${ex.id}/stream`).expect(401);
    await http.get(`/api/exercises/${ex.id}/stream`).set(bearer(other.tokens.gs!)).expect(404);
    for (const id of ['yesterday', '-1', '9999999999999999999', '12-3']) {
      const bad = await http.get(`/api/exercises/${ex.id}/stream`).set(bearer(ex.tokens.gs!)).set('Last-Event-ID', id).expect(400);
      expect(bad.body.error.details).toEqual([expect.objectContaining({ field: 'headers.last-event-id' })]);
    }
    await http.get(`/api/exercises/${ex.id}/stream?from=middle`).set(bearer(ex.tokens.gs!)).expect(400);
  });
});
