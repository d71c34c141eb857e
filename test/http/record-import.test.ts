import pino from 'pino';
import request from 'supertest';
import { buildServices, type Services } from '../../src/server';
import { databaseKinds, openTestDatabase } from '../support/databases';
import { bearer, createExercise, type ExerciseFixture } from '../support/fixtures';

type Agent = ReturnType<typeof request>;

const CSV = [
  'kind,familyName,forename,dateOfBirth,nationalities,documentNumber,issuingCountry,documentType,lossKind,vin',
  'nominal,Петровић,Марко,1979-03-14,RS;ME,,,,,',
  'sltd,,,,,012 345 678,RS,passport,stolen_from_bearer,',
  'smv,,,,,,,,,WVWZZZ1JZXW000001',
].join('\n');

/** A country loads its database at once: all the records, or none of them with every bad one named. */
describe.each(databaseKinds())('records import [%s]', (kind) => {
  let services: Services;
  let http: Agent;
  let ex: ExerciseFixture;
  const as = (key: string) => bearer(ex.tokens[key]!);
  const importAs = (who: string) => http.post(`/api/exercises/${ex.id}/records/import`).set(as(who));
  const count = () => services.db.prisma.databaseRecord.count({ where: { exerciseId: ex.id } });

  beforeAll(async () => {
    services = buildServices(await openTestDatabase(kind), pino({ level: 'silent' }), { authFailureLimit: 1_000_000 });
    http = request(services.app);
    ex = await createExercise(http, ['RS', 'MC']);
  });
  afterAll(() => services?.db.close());

  it('imports a CSV file with a header row, each row a record that searches find', async () => {
    const res = await importAs('ncb:RS').set('Content-Type', 'text/csv').send(CSV).expect(201);
    expect(res.body).toEqual({ imported: 3 });
    const listed = (await http.get(`/api/exercises/${ex.id}/records?kind=nominal`).set(as('ncb:MC')).expect(200)).body
      .items;
    expect(listed).toEqual([
      expect.objectContaining({ ownerCountry: 'RS', familyName: 'Петровић', nationalities: ['RS', 'ME'] }),
    ]);
    const history = (await http.get(`/api/records/${listed[0].id}/history`).set(as('ncb:RS')).expect(200)).body.items;
    expect(history).toEqual([expect.objectContaining({ type: 'CREATE', actor: { role: 'ncb', country: 'RS' } })]);
    const found = await http
      .post(`/api/exercises/${ex.id}/searches`)
      .set(as('ncb:MC'))
      .send({ kind: 'document', documentNumber: '012345678', issuingCountry: 'RS' })
      .expect(200);
    expect(found.body.hits).toEqual([expect.objectContaining({ kind: 'sltd', ownerCountry: 'RS' })]);
  });

  it('imports a JSON array, linking records to a person as it goes', async () => {
    const person = (
      await http
        .post(`/api/exercises/${ex.id}/persons`)
        .set(as('ncb:RS'))
        .send({ label: 'Marko PETROVIĆ', reason: 'Belgrade file' })
        .expect(201)
    ).body.id;
    const rows = Array.from({ length: 20 }, (_, i) => ({ kind: 'dna', profile: `DNA-${i}`, personId: person }));
    expect((await importAs('ncb:RS').send(rows).expect(201)).body).toEqual({ imported: 20 });
    const view = (await http.get(`/api/exercises/${ex.id}/persons/${person}`).set(as('ncb:RS')).expect(200)).body;
    expect(view.records).toHaveLength(20);
  });

  it('refuses the whole import when any record is bad, naming each, and writes nothing', async () => {
    const before = await count();
    const bad = await importAs('ncb:RS')
      .send([
        { kind: 'dna', profile: 'DNA-OK' },
        { kind: 'smv', vin: '1M8GDM9A1KP042788' },
        { kind: 'face', photo: 'x' },
        { kind: 'smv', vin: 'WVWZZZ1JZXW000001', plate: 'B XY 1' },
      ])
      .expect(400);
    const fields = bad.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['body.1.vin', 'body.2.kind']));
    expect(fields.some((f: string) => f.startsWith('body.0'))).toBe(false);
    const later = await importAs('ncb:RS')
      .send([
        { kind: 'dna', profile: 'DNA-OK' },
        { kind: 'smv', vin: 'WVWZZZ1JZXW000001', plate: 'B XY 1' },
      ])
      .expect(400);
    expect(later.body.error.details.map((d: { field: string }) => d.field)).toEqual(['body.1.registrationCountry']);
    const csv = await importAs('ncb:RS')
      .set('Content-Type', 'text/csv')
      .send('kind,profile\ndna,"unclosed')
      .expect(400);
    expect(csv.body.error.details).toEqual([expect.objectContaining({ field: 'body' })]);
    await importAs('ncb:RS').set('Content-Type', 'text/plain').send('kind\ndna').expect(415);
    await importAs('ncb:RS').set('Content-Type', 'text/csv; charset=latin1').send('kind,profile\ndna,A').expect(415);
    const many = 'kind,profile\n' + 'dna,A\n'.repeat(100_001);
    const tooMany = await importAs('ncb:RS').set('Content-Type', 'text/csv').send(many).expect(400);
    expect(tooMany.body.error.details).toEqual([{ field: 'body', message: 'must hold at most 100,000 records' }]);
    await importAs('gs')
      .send([{ kind: 'dna', profile: 'DNA-GS' }])
      .expect(403);
    await importAs('observer')
      .send([{ kind: 'dna', profile: 'DNA-OBS' }])
      .expect(403);
    expect(await count()).toBe(before);
  });

  it('refuses a body over 50 MB with a 413, whether CSV or JSON', async () => {
    const before = await count();
    const line = 'dna,' + 'A'.repeat(1000) + '\n';
    const huge = 'kind,profile\n' + line.repeat(Math.ceil((51 * 1024 * 1024) / line.length));
    await importAs('ncb:RS').set('Content-Type', 'text/csv').send(huge).expect(413);
    const json = JSON.stringify([{ kind: 'dna', profile: 'A'.repeat(51 * 1024 * 1024) }]);
    await importAs('ncb:RS').set('Content-Type', 'application/json').send(json).expect(413);
    expect(await count()).toBe(before);
  });
});
