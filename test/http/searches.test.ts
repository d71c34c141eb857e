import pino from 'pino';
import request from 'supertest';
import { buildServices, type Services } from '../../src/server';
import { createEventFeed } from '../../src/stream/event-feed';
import { databaseKinds, openTestDatabase } from '../support/databases';
import { bearer, createExercise, type ExerciseFixture } from '../support/fixtures';

type Agent = ReturnType<typeof request>;

/**
 * The seed's story up to the identification: Serbia holds the man's identity and prints, Monaco's
 * crime-scene mark hits them; and the other kinds of search, each exact after normalising.
 */
describe.each(databaseKinds())('searches and hits [%s]', (kind) => {
  let services: Services;
  let http: Agent;
  let ex: ExerciseFixture;
  const records: Record<string, string> = {};
  const as = (key: string) => bearer(key === 'facilitator' ? ex.facilitator : ex.tokens[key]!);
  const contribute = async (owner: string, body: object) =>
    (await http.post(`/api/exercises/${ex.id}/records`).set(as(`ncb:${owner}`)).send(body).expect(201)).body.id as string;
  const search = (searcher: string, body: object, status = 200) =>
    http.post(`/api/exercises/${ex.id}/searches`).set(as(searcher)).send(body).expect(status);

  beforeAll(async () => {
    services = buildServices(await openTestDatabase(kind), pino({ level: 'silent' }), { authFailureLimit: 1_000_000 });
    http = request(services.app);
    ex = await createExercise(http, ['RS', 'MC', 'FR', 'DE']);
    records.identity = await contribute('RS', {
      kind: 'nominal',
      familyName: 'Петровић',
      forename: 'Марко',
      dateOfBirth: '1979-03-14',
      offences: ['Armed robbery, Belgrade'],
    });
    records.prints = await contribute('RS', { kind: 'fingerprints', template: 'FP-PETROVIC-10' });
    records.namesake = await contribute('DE', { kind: 'nominal', familyName: 'Petrović', forename: 'Marija' });
    records.restricted = await contribute('DE', {
      kind: 'nominal',
      familyName: 'Petrovic',
      forename: 'Marko',
      recipients: ['MC'],
    });
    records.passport = await contribute('RS', {
      kind: 'sltd',
      documentNumber: '012345678',
      issuingCountry: 'RS',
      documentType: 'passport',
      lossKind: 'stolen_from_bearer',
    });
    records.car = await contribute('DE', {
      kind: 'smv',
      vin: 'WVWZZZ1JZXW000001',
      plate: 'B XY 1234',
      registrationCountry: 'DE',
    });
  });
  afterAll(() => services?.db.close());

  it('hits the prints of a recorded set with the crime-scene mark, and nothing else', async () => {
    const res = await search('ncb:MC', { kind: 'fingerprints', template: 'FP-PETROVIC-10' });
    expect(res.body.hits).toEqual([
      { id: expect.any(String), score: expect.any(Number), kind: 'fingerprints', ownerCountry: 'RS', recordId: records.prints },
    ]);
    expect(res.body.hits[0].score).toBeGreaterThanOrEqual(0.83);
    expect((await search('ncb:MC', { kind: 'fingerprints', template: 'FP-SOMEONE-ELSE' })).body.hits).toEqual([]);
  });

  it('finds the man by his name in Latin letters with a typo, not his namesake, and only where the searcher sees', async () => {
    const monaco = await search('ncb:MC', { kind: 'name', familyName: 'Petrovich', forename: 'Marko' });
    const found = (hits: { recordId: string }[]) => hits.map((h) => h.recordId).sort();
    expect(found(monaco.body.hits)).toEqual([records.identity, records.restricted].sort());
    // France is not among the restricted record's recipients; Marija Petrović is not Marko.
    const france = await search('ncb:FR', { kind: 'name', familyName: 'petrovic', forename: 'MARKO' });
    expect(found(france.body.hits)).toEqual([records.identity]);
    // Another date of birth makes him another man; a record without one still may be him.
    const other = await search('gs', { kind: 'name', familyName: 'Petrović', forename: 'Marko', dateOfBirth: '1990-01-01' });
    expect(found(other.body.hits)).toEqual([records.restricted]);
    const same = await search('gs', { kind: 'name', familyName: 'Petrović', forename: 'Marko', dateOfBirth: '1979-03-14' });
    expect(same.body.hits[0]).toMatchObject({ recordId: records.identity, score: 1 });
  });

  it('finds documents, vehicles and plates exactly, whatever their spacing and case', async () => {
    const document = await search('ncb:FR', { kind: 'document', documentNumber: '0123-45678', issuingCountry: 'RS' });
    expect(document.body.hits.map((h: { recordId: string }) => h.recordId)).toEqual([records.passport]);
    expect((await search('ncb:FR', { kind: 'document', documentNumber: '012345678', issuingCountry: 'HR' })).body.hits).toEqual([]);
    const vin = await search('ncb:FR', { kind: 'vin', vin: 'wvwzzz1jzxw000001' });
    expect(vin.body.hits.map((h: { recordId: string }) => h.recordId)).toEqual([records.car]);
    const plate = await search('ncb:FR', { kind: 'plate', plate: 'b-xy-1234', registrationCountry: 'DE' });
    expect(plate.body.hits.map((h: { recordId: string }) => h.recordId)).toEqual([records.car]);
  });

  it('records every search and hit; each side sees its own, and the owner is told on the stream', async () => {
    const res = await search('ncb:MC', { kind: 'fingerprints', template: 'FP-PETROVIC-10' });
    const hitId = res.body.hits[0].id as string;
    const stored = await services.db.prisma.search.findUnique({ where: { id: res.body.id }, include: { hits: true } });
    expect(stored).toMatchObject({ kind: 'fingerprints', searcherRole: 'ncb', searcherCountry: 'MC', query: { template: 'FP-PETROVIC-10' } });
    expect(stored!.hits.map((h) => h.id)).toEqual([hitId]);
    const listed = async (reader: string) =>
      (await http.get(`/api/exercises/${ex.id}/hits?limit=1000`).set(as(reader)).expect(200)).body.items.map(
        (h: { id: string }) => h.id,
      );
    expect(await listed('ncb:MC')).toContain(hitId);
    expect(await listed('ncb:RS')).toContain(hitId);
    expect(await listed('observer')).toContain(hitId);
    expect(await listed('ncb:FR')).not.toContain(hitId);

    const feed = createEventFeed(services.db.prisma);
    const told = async (reader: Parameters<typeof feed.after>[2]) =>
      (await feed.after(ex.id, 0, reader, 10_000))
        .map((e) => e.data as { subject: string; hitId?: string })
        .filter((d) => d.subject === 'notification' && d.hitId === hitId);
    expect(await told({ role: 'ncb', country: 'RS' })).toEqual([
      expect.objectContaining({ about: 'hit', recordId: records.prints, searcher: { role: 'ncb', country: 'MC' } }),
    ]);
    expect(await told({ role: 'ncb', country: 'MC' })).toEqual([]);
    expect(await told({ role: 'gs' })).toEqual([]);

    // The owner is told by a system message about the hit, in its inbox; the searcher gets none.
    const inbox = async (reader: string) =>
      (await http.get(`/api/exercises/${ex.id}/messages?box=inbox`).set(as(reader)).expect(200)).body.items.filter(
        (m: { about?: { hitId?: string } }) => m.about?.hitId === hitId,
      );
    expect(await inbox('ncb:RS')).toEqual([
      expect.objectContaining({
        from: 'system',
        sender: { role: 'system' },
        to: ['RS'],
        subject: 'Hit: a fingerprints search by Monaco (NCB) matched your record (Fingerprints)',
      }),
    ]);
    expect(await inbox('ncb:MC')).toEqual([]);
  });

  it('refuses bad searches with a 400 naming the field, and records none of them', async () => {
    const before = await services.db.prisma.search.count();
    for (const [body, field] of [
      [{ kind: 'face', photo: 'x' }, 'body.kind'],
      [{ kind: 'vin', vin: '1M8GDM9A1KP042788' }, 'body.vin'],
      [{ kind: 'document', documentNumber: '1', issuingCountry: 'RS' }, 'body.documentNumber'],
      [{ kind: 'name', familyName: 'Petrović' }, 'body.forename'],
    ] as const) {
      const res = await search('ncb:MC', body, 400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    const huge = await http
      .post(`/api/exercises/${ex.id}/searches`)
      .set(as('ncb:MC'))
      .send({ kind: 'name', familyName: 'x'.repeat(1_000_000), forename: 'Marko' });
    expect(huge.status).toBe(413);
    await search('observer', { kind: 'vin', vin: 'WVWZZZ1JZXW000001' }, 403);
    expect(await services.db.prisma.search.count()).toBe(before);
  });
});
