import pino from 'pino';
import request from 'supertest';
import { buildServices, type Services } from '../../src/server';
import { databaseKinds, openTestDatabase } from '../support/databases';
import { bearer, createExercise, redRequest, type ExerciseFixture } from '../support/fixtures';

type Agent = ReturnType<typeof request>;

/**
 * The identity established: Serbia's records on Marko Petrović make one person; Monaco's hit on his
 * prints joins it; what each country sees of the person is what it may see of what is linked.
 */
describe.each(databaseKinds())('persons [%s]', (kind) => {
  let services: Services;
  let http: Agent;
  let ex: ExerciseFixture;
  const as = (key: string) => bearer(ex.tokens[key]!);
  const url = (path = '') => `/api/exercises/${ex.id}/persons${path}`;
  const contribute = async (owner: string, body: object) =>
    (
      await http
        .post(`/api/exercises/${ex.id}/records`)
        .set(as(`ncb:${owner}`))
        .send(body)
        .expect(201)
    ).body;
  const person = (reader: string, id: string, status = 200) =>
    http
      .get(url(`/${id}`))
      .set(as(reader))
      .expect(status);
  let identity: string;
  let prints: string;
  let marko: string;

  beforeAll(async () => {
    services = buildServices(await openTestDatabase(kind), pino({ level: 'silent' }), { authFailureLimit: 1_000_000 });
    http = request(services.app);
    ex = await createExercise(http, ['RS', 'MC', 'FR', 'DE']);
    // Serbia shares its file with Monaco and Germany only: France sees none of it.
    const recipients = ['MC', 'DE'];
    identity = (await contribute('RS', { kind: 'nominal', familyName: 'Петровић', forename: 'Марко', recipients })).id;
    const made = await http
      .post(url())
      .set(as('ncb:RS'))
      .send({ label: 'Marko PETROVIĆ', reason: 'Belgrade police file 2019/114', links: [{ recordId: identity }] })
      .expect(201);
    marko = made.body.id;
    prints = (await contribute('RS', { kind: 'fingerprints', template: 'FP-PETROVIC-10', personId: marko, recipients }))
      .id;
  });
  afterAll(() => services?.db.close());

  it('links records as they are contributed, and a hit on them names the person', async () => {
    const view = (await person('ncb:RS', marko)).body;
    expect(view).toMatchObject({ label: 'Marko PETROVIĆ', createdBy: { role: 'ncb', country: 'RS' } });
    expect(view.records.map((r: { id: string; personId: string }) => [r.id, r.personId])).toEqual([
      [identity, marko],
      [prints, marko],
    ]);
    expect(view.history.map((e: { type: string }) => e.type)).toEqual(['CREATE', 'LINK', 'LINK']);
    const search = await http
      .post(`/api/exercises/${ex.id}/searches`)
      .set(as('ncb:MC'))
      .send({ kind: 'fingerprints', template: 'FP-PETROVIC-10' })
      .expect(200);
    expect(search.body.hits).toEqual([expect.objectContaining({ recordId: prints, personId: marko })]);

    // Monaco links its hit (its own search's); it may not link Serbia's record; France sees nothing of him.
    const hitId = search.body.hits[0].id;
    const linked = await http
      .post(url(`/${marko}/links`))
      .set(as('ncb:MC'))
      .send({ hitId, reason: 'The Monte-Carlo mark' })
      .expect(200);
    expect(linked.body.hits.map((h: { id: string }) => h.id)).toEqual([hitId]);
    expect(linked.body.records.map((r: { id: string }) => r.id)).toEqual([identity, prints]);
    const refused = await http
      .post(url(`/${marko}/unlinks`))
      .set(as('ncb:MC'))
      .send({ recordId: identity, reason: 'mine now' });
    expect(refused.status).toBe(403);
    await person('ncb:FR', marko, 404);
    expect((await person('ccf', marko)).body.hits).toHaveLength(1);
  });

  it('makes a person from a hit: what the hit matched joins it, unless another person has it', async () => {
    const car = await contribute('DE', { kind: 'nominal', familyName: 'Horvat', forename: 'Ivan', recipients: ['MC'] });
    const hits = (
      await http
        .post(`/api/exercises/${ex.id}/searches`)
        .set(as('ncb:MC'))
        .send({ kind: 'name', familyName: 'Horvat', forename: 'Ivan' })
        .expect(200)
    ).body.hits;
    const made = await http
      .post(url())
      .set(as('ncb:MC'))
      .send({ label: 'Ivan HORVAT', reason: 'Name check at the port', links: [{ hitId: hits[0].id }] })
      .expect(201);
    expect(made.body.records.map((r: { id: string }) => r.id)).toEqual([car.id]);
    expect(made.body.history.map((e: { type: string; recordId?: string }) => [e.type, e.recordId ?? null])).toEqual([
      ['CREATE', null],
      ['LINK', null],
      ['LINK', car.id],
    ]);

    // Germany's record is Ivan's now: linking it to Marko too is a conflict, until Germany unlinks it.
    const conflict = await http
      .post(url(`/${marko}/links`))
      .set(as('ncb:DE'))
      .send({ recordId: car.id, reason: 'Alias of Petrović?' })
      .expect(409);
    expect(conflict.body.error).toMatchObject({ code: 'ALREADY_LINKED', details: { personId: made.body.id } });
    await http
      .post(url(`/${made.body.id}/unlinks`))
      .set(as('ncb:DE'))
      .send({ recordId: car.id, reason: 'Not him' })
      .expect(200);
    const again = await http
      .post(url(`/${made.body.id}/unlinks`))
      .set(as('ncb:DE'))
      .send({ recordId: car.id, reason: 'Not him' });
    expect(again.body.error.code).toBe('NOT_LINKED');
    await http
      .post(url(`/${marko}/links`))
      .set(as('ncb:DE'))
      .send({ recordId: car.id, reason: 'Alias of Petrović' })
      .expect(200);
    // A notice joins the person by its requester; France sees the person once the notice reaches it.
    const notice = await http.post(`/api/exercises/${ex.id}/notices`).set(as('ncb:MC')).send(redRequest()).expect(201);
    await http
      .post(url(`/${marko}/links`))
      .set(as('ncb:MC'))
      .send({ noticeId: notice.body.id, reason: 'Our request' })
      .expect(200);
    expect((await person('gs', marko)).body.notices).toEqual([
      { id: notice.body.id, type: 'RED', state: 'draft', requestingCountry: 'MC' },
    ]);
    await person('ncb:FR', marko, 404);
  });

  it('shows a person only through what the caller still sees, and links nothing it no longer sees', async () => {
    // Germany shares a file with Monaco only, and links it to a person of its own.
    const file = await contribute('DE', { kind: 'nominal', familyName: 'Kovač', forename: 'Luka', recipients: ['MC'] });
    const luka = (
      await http
        .post(url())
        .set(as('ncb:DE'))
        .send({ label: 'Luka KOVAČ', reason: 'Munich file', links: [{ recordId: file.id }] })
        .expect(201)
    ).body.id;
    const hit = (
      await http
        .post(`/api/exercises/${ex.id}/searches`)
        .set(as('ncb:MC'))
        .send({ kind: 'name', familyName: 'Kovac', forename: 'Luka' })
        .expect(200)
    ).body.hits[0];
    expect(hit).toMatchObject({ recordId: file.id, personId: luka });
    // France sees neither the file nor the person: it cannot join its own record to him.
    const joined = await http
      .post(`/api/exercises/${ex.id}/records`)
      .set(as('ncb:FR'))
      .send({ kind: 'dna', profile: 'DNA-KOVAC', personId: luka })
      .expect(400);
    expect(joined.body.error.details).toEqual([expect.objectContaining({ field: 'body.personId' })]);
    // Germany takes the file back from Monaco: Monaco's hit no longer names the person, nor links the file.
    await http
      .patch(`/api/records/${file.id}`)
      .set(as('ncb:DE'))
      .send({ recipients: ['FR'] })
      .expect(200);
    const listed = (await http.get(`/api/exercises/${ex.id}/hits?limit=1000`).set(as('ncb:MC')).expect(200)).body.items;
    expect(listed.find((h: { id: string }) => h.id === hit.id).personId).toBeUndefined();
    const made = await http
      .post(url())
      .set(as('ncb:MC'))
      .send({ label: 'The man of the port check', reason: 'Name check', links: [{ hitId: hit.id }] })
      .expect(201);
    expect(made.body.records).toEqual([]);
    expect((await person('gs', luka)).body.records.map((r: { id: string }) => r.id)).toEqual([file.id]);
  });

  it('refuses bad links with a clear error, and changes nothing', async () => {
    const before = await services.db.prisma.personEvent.count();
    const bad = async (who: string, path: string, body: object, status: number, field?: string) => {
      const res = await http.post(url(path)).set(as(who)).send(body).expect(status);
      if (field) expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    };
    await bad('ncb:RS', `/${marko}/links`, { reason: 'nothing named' }, 400, 'body');
    await bad('ncb:RS', `/${marko}/links`, { recordId: identity, hitId: identity, reason: 'two' }, 400, 'body');
    await bad('ncb:RS', `/${marko}/links`, { recordId: 'abc', reason: 'x' }, 400, 'body.recordId');
    await bad('ncb:RS', '', { label: 'x'.repeat(201), reason: 'x' }, 400, 'body.label');
    await bad('observer', '', { label: 'Someone', reason: 'x' }, 403);
    await bad('ncb:RS', `/${marko}/links`, { recordId: '00000000-0000-4000-8000-000000000000', reason: 'x' }, 404);
    const wrongPerson = await http
      .post(`/api/exercises/${ex.id}/records`)
      .set(as('ncb:RS'))
      .send({ kind: 'dna', profile: 'DNA-1', personId: '00000000-0000-4000-8000-000000000000' })
      .expect(400);
    expect(wrongPerson.body.error.details).toEqual([expect.objectContaining({ field: 'body.personId' })]);
    expect(await services.db.prisma.personEvent.count()).toBe(before);
  });
});
