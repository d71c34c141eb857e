import pino from 'pino';
import request from 'supertest';
import { buildServices, type Services } from '../../src/server';
import { createEventFeed } from '../../src/stream/event-feed';
import { databaseKinds, openTestDatabase } from '../support/databases';
import { bearer, createExercise, redRequest, send, type ExerciseFixture } from '../support/fixtures';

type Agent = ReturnType<typeof request>;

/**
 * Monaco restricts its Red notice to France and Italy. On every surface, Germany (neither requester nor
 * recipient) gets 404 or nothing, while France, a recipient, sees it; the GS, the CCF, the facilitator
 * and observers see it all; the public sees no extract, though Monaco consented to one.
 */
describe.each(databaseKinds())('a notice restricted to named countries [%s]', (kind) => {
  let services: Services;
  let http: Agent;
  let ex: ExerciseFixture;
  let noticeId: string;
  const as = (key: string) => bearer(key === 'facilitator' ? ex.facilitator : ex.tokens[key]!);
  const get = (reader: string, path: string, status = 200) => http.get(path).set(as(reader)).expect(status);

  beforeAll(async () => {
    services = buildServices(await openTestDatabase(kind), pino({ level: 'silent' }), { authFailureLimit: 1_000_000 });
    http = request(services.app);
    ex = await createExercise(http, ['MC', 'FR', 'IT', 'DE']);
    const created = await http
      .post(`/api/exercises/${ex.id}/notices`)
      .set(as('ncb:MC'))
      .send(redRequest({ recipients: ['FR', 'IT'], publicExtractConsent: true }))
      .expect(201);
    noticeId = created.body.id;
    expect(created.body.recipients).toEqual(['FR', 'IT']);
    await send(http, ex.tokens['ncb:MC']!, noticeId, { type: 'SUBMIT' });
    await send(http, ex.tokens.gs!, noticeId, { type: 'START_REVIEW' });
    const approved = await send(http, ex.tokens.gs!, noticeId, { type: 'APPROVE', article3Cleared: true });
    expect(approved.state).toBe('published');
  });
  afterAll(() => services?.db.close());

  it('circulates to the named countries only: records for them, 404 for the others', async () => {
    const records = (await get('gs', `/api/notices/${noticeId}/circulation`)).body.items;
    expect(records.map((r: { country: string }) => r.country)).toEqual(['FR', 'IT']);
    const history = (await get('gs', `/api/notices/${noticeId}/history`)).body.items;
    expect(history.find((h: { type: string }) => h.type === 'APPROVE').payload.recipientCount).toBe(2);
    await http
      .post(`/api/notices/${noticeId}/circulation/DE/events`)
      .set(as('ncb:DE'))
      .send({ type: 'ACKNOWLEDGE' })
      .expect(404);
  });

  it('lists and shows it to a recipient and the roles that see all, and to nobody else', async () => {
    const listed = async (reader: string) =>
      (await get(reader, `/api/exercises/${ex.id}/notices`)).body.items.map((n: { id: string }) => n.id);
    for (const reader of ['ncb:MC', 'ncb:FR', 'gs', 'ccf', 'observer', 'facilitator']) {
      expect(await listed(reader)).toContain(noticeId);
      await get(reader, `/api/notices/${noticeId}`);
    }
    expect(await listed('ncb:DE')).not.toContain(noticeId);
    await get('ncb:DE', `/api/notices/${noticeId}`, 404);
    await get('ncb:DE', `/api/notices/${noticeId}/history`, 404);
    await get('ncb:DE', `/api/notices/${noticeId}/circulation`, 404);
    await get('ncb:DE', `/api/notices/${noticeId}/diagram`, 404);
  });

  it('finds its subject in a recipient’s search, and not in an outsider’s; the hit follows', async () => {
    const search = async (searcher: string) =>
      (
        await http
          .post(`/api/exercises/${ex.id}/searches`)
          .set(as(searcher))
          .send({ kind: 'name', familyName: 'PETROVIC', forename: 'Marko' })
          .expect(200)
      ).body.hits as { noticeId?: string; id: string }[];
    const france = await search('ncb:FR');
    expect(france.map((h) => h.noticeId)).toContain(noticeId);
    expect((await search('ncb:DE')).map((h) => h.noticeId)).not.toContain(noticeId);
    const hits = async (reader: string) =>
      (await get(reader, `/api/exercises/${ex.id}/hits?limit=1000`)).body.items.map(
        (h: { noticeId?: string }) => h.noticeId,
      );
    expect(await hits('ncb:FR')).toContain(noticeId);
    expect(await hits('ncb:MC')).toContain(noticeId);
    expect(await hits('ncb:DE')).not.toContain(noticeId);
  });

  it('tells its events on the stream to a recipient and not to an outsider', async () => {
    const feed = createEventFeed(services.db.prisma);
    const about = async (reader: Parameters<typeof feed.after>[2]) =>
      (await feed.after(ex.id, 0, reader, 10_000)).filter((e) => 'noticeId' in e.data && e.data.noticeId === noticeId)
        .length;
    expect(await about({ role: 'ncb', country: 'FR' })).toBeGreaterThan(0);
    expect(await about({ role: 'observer' })).toBeGreaterThan(0);
    expect(await about({ role: 'ncb', country: 'DE' })).toBe(0);
  });

  it('has no public extract, and keeps the heatmap and the report to the roles that see all', async () => {
    const extracts = await http.get(`/api/public/exercises/${ex.id}/notices`).expect(200);
    expect(extracts.body.items.map((n: { id: string }) => n.id)).not.toContain(noticeId);
    await http.get(`/api/public/exercises/${ex.id}/notices/${noticeId}`).expect(404);
    await get('ncb:DE', `/api/exercises/${ex.id}/heatmap?machine=notice-red`, 403);
    await get('ncb:DE', `/api/exercises/${ex.id}/report`, 403);
    const heat = (await get('observer', `/api/exercises/${ex.id}/heatmap?machine=notice-red`)).body;
    expect(heat.states.find((x: { state: string }) => x.state === 'published').count).toBe(1);
    const report = (await get('observer', `/api/exercises/${ex.id}/report`)).body;
    expect(report.notices.map((n: { id: string }) => n.id)).toEqual([noticeId]);
  });

  it('refuses messages about it from an outsider, and takes a recipient’s', async () => {
    const body = { to: ['MC'], about: { noticeId }, subject: 'Query', body: 'Is he still sought?' };
    await http.post(`/api/exercises/${ex.id}/messages`).set(as('ncb:DE')).send(body).expect(404);
    await http.post(`/api/exercises/${ex.id}/messages`).set(as('ncb:FR')).send(body).expect(201);
  });

  it('refuses recipients that name the requester or a country twice, and writes nothing', async () => {
    const before = (await get('facilitator', `/api/exercises/${ex.id}/notices`)).body.items.length;
    for (const [recipients, field] of [
      [['FR', 'MC'], 'body.recipients'],
      [['FR', 'FR'], 'body.recipients'],
      [[], 'body.recipients'],
      [['XX'], 'body.recipients.0'],
    ] as const) {
      const res = await http
        .post(`/api/exercises/${ex.id}/notices`)
        .set(as('ncb:MC'))
        .send(redRequest({ recipients }))
        .expect(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    expect((await get('facilitator', `/api/exercises/${ex.id}/notices`)).body.items.length).toBe(before);
  });
});
