import pino from 'pino';
import request from 'supertest';
import { buildServices, type Services } from '../../src/server';
import { createEventFeed } from '../../src/stream/event-feed';
import { databaseKinds, openTestDatabase } from '../support/databases';
import { bearer, createExercise, publishedNotice, redRequest, send, type ExerciseFixture } from '../support/fixtures';

type Agent = ReturnType<typeof request>;
type Hit = {
  id: string;
  kind: string;
  noticeId?: string;
  recordId?: string;
  ownerCountry: string;
  reportedAt?: string;
};

/**
 * The seed's story after the Red notice: a border search in France finds the wanted man by his name
 * in Cyrillic letters (or his prints) on the notice's subject, and France reports that hit on its
 * circulation record in one step, the hit then linked to the record.
 */
describe.each(databaseKinds())('searches of notices’ subjects, and hits reported [%s]', (kind) => {
  let services: Services;
  let http: Agent;
  let ex: ExerciseFixture;
  const as = (key: string) => bearer(ex.tokens[key]!);
  const search = async (searcher: string, body: object): Promise<Hit[]> =>
    (await http.post(`/api/exercises/${ex.id}/searches`).set(as(searcher)).send(body).expect(200)).body.hits;
  const onNotice = (hits: Hit[], noticeId: string) => hits.filter((h) => h.noticeId === noticeId);
  const cyrillic = { kind: 'name', familyName: 'Петровић', forename: 'Марко' };

  beforeAll(async () => {
    services = buildServices(await openTestDatabase(kind), pino({ level: 'silent' }), { authFailureLimit: 1_000_000 });
    http = request(services.app);
    ex = await createExercise(http, ['MC', 'FR', 'DE', 'IT']);
  });
  afterAll(() => services?.db.close());

  it('finds a notice’s subject only once its searcher may see the notice, and never once it has ended', async () => {
    const created = await http.post(`/api/exercises/${ex.id}/notices`).set(as('ncb:MC')).send(redRequest()).expect(201);
    const id = created.body.id as string;
    // A draft is Monaco's and the GS's: France's search does not find it, the GS's does.
    expect(onNotice(await search('ncb:FR', cyrillic), id)).toEqual([]);
    expect(onNotice(await search('gs', cyrillic), id)).toEqual([
      { id: expect.any(String), score: expect.any(Number), kind: 'notice', ownerCountry: 'MC', noticeId: id },
    ]);
    await send(http, ex.tokens['ncb:MC']!, id, { type: 'SUBMIT' });
    await send(http, ex.tokens.gs!, id, { type: 'START_REVIEW' });
    await send(http, ex.tokens.gs!, id, { type: 'APPROVE', article3Cleared: true });
    expect(onNotice(await search('ncb:FR', cyrillic), id)).toHaveLength(1);
    await send(http, ex.tokens['ncb:MC']!, id, { type: 'WITHDRAW', reason: 'Arrested in Monaco' });
    expect(onNotice(await search('ncb:FR', cyrillic), id)).toEqual([]);
    expect(onNotice(await search('gs', cyrillic), id)).toEqual([]);
  });

  it('hits a published notice by the prints it refers to, and France reports that hit on its record', async () => {
    const notice = await publishedNotice(http, ex, redRequest());
    const prints = String((redRequest().subject as { fingerprintsRef: string }).fingerprintsRef);
    const [hit, ...others] = onNotice(await search('ncb:FR', { kind: 'fingerprints', template: prints }), notice.id);
    expect(others).toEqual([]);
    expect(hit).toMatchObject({ kind: 'notice', ownerCountry: 'MC' });

    // Monaco, which requested the notice, is told; France's own search is not news to France.
    const feed = createEventFeed(services.db.prisma);
    const told = async (country: string) =>
      (await feed.after(ex.id, 0, { role: 'ncb', country }, 10_000))
        .map((e) => e.data as { subject: string; hitId?: string; noticeId?: string })
        .filter((d) => d.subject === 'notification' && d.hitId === hit!.id);
    expect(await told('MC')).toEqual([expect.objectContaining({ about: 'hit', kind: 'notice', noticeId: notice.id })]);
    expect(await told('FR')).toEqual([]);

    const report = (country: string, hitId: string) =>
      http
        .post(`/api/notices/${notice.id}/circulation/${country}/events`)
        .set(as(`ncb:${country}`))
        .send({ type: 'REPORT_HIT', details: 'Stopped at the border in Menton', hitId });
    // Germany cannot report France's hit, and nothing moves when it tries.
    const refused = await report('DE', hit!.id).expect(400);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ field: 'body.hitId' })]);
    const records = async () =>
      (await http.get(`/api/notices/${notice.id}/circulation`).set(as('gs')).expect(200)).body.items as {
        country: string;
        state: string;
      }[];
    expect((await records()).find((r) => r.country === 'DE')?.state).not.toBe('hit');

    await report('FR', hit!.id).expect(200);
    expect((await records()).find((r) => r.country === 'FR')?.state).toBe('hit');
    const hits = (await http.get(`/api/exercises/${ex.id}/hits?limit=1000`).set(as('ncb:FR')).expect(200)).body
      .items as Hit[];
    expect(hits.find((h) => h.id === hit!.id)?.reportedAt).toEqual(expect.any(String));
    const history = (await http.get(`/api/notices/${notice.id}/history`).set(as('ncb:MC')).expect(200)).body.items;
    expect(history.at(-1)).toMatchObject({ type: 'REPORT_HIT', country: 'FR', payload: { hitId: hit!.id } });
    // One hit, one report: the same hit cannot be reported again (on Italy's record or anywhere).
    expect((await report('FR', hit!.id)).status).not.toBe(200);
  });
});
