import pino from 'pino';
import request from 'supertest';
import { buildServices, type Services } from '../../src/server';
import { createEventFeed } from '../../src/stream/event-feed';
import { databaseKinds, openTestDatabase } from '../support/databases';
import { bearer, createExercise, redRequest, type ExerciseFixture } from '../support/fixtures';

type Agent = ReturnType<typeof request>;

const serbianRecord = {
  kind: 'nominal',
  familyName: 'Петровић',
  forename: 'Марко',
  dateOfBirth: '1979-03-14',
  nationalities: ['RS'],
  offences: ['Armed robbery, Belgrade, 2019'],
};

describe.each(databaseKinds())('database records [%s]', (kind) => {
  let services: Services;
  let http: Agent;
  let ex: ExerciseFixture;
  const token = (key: string) => bearer(key === 'facilitator' ? ex.facilitator : ex.tokens[key]!);

  beforeAll(async () => {
    services = buildServices(await openTestDatabase(kind), pino({ level: 'silent' }), { authFailureLimit: 1_000_000 });
    http = request(services.app);
    ex = await createExercise(http, ['RS', 'MC', 'FR', 'DE']);
  });
  afterAll(() => services?.db.close());

  const create = (owner: string, body: object, status = 201) =>
    http
      .post(`/api/exercises/${ex.id}/records`)
      .set(token(`ncb:${owner}`))
      .send(body)
      .expect(status);

  it('keeps a record its owner contributes, with its history, for every member by default', async () => {
    const created = await create('RS', serbianRecord);
    expect(created.body).toMatchObject({ ...serbianRecord, ownerCountry: 'RS', recipients: null, version: 1, run: 1 });
    const id = created.body.id as string;
    for (const reader of ['ncb:MC', 'ncb:FR', 'gs', 'ccf', 'observer', 'facilitator']) {
      const got = await http.get(`/api/records/${id}`).set(token(reader)).expect(200);
      expect(got.body).toEqual(created.body);
    }
    const history = await http.get(`/api/records/${id}/history`).set(token('ncb:MC')).expect(200);
    expect(history.body.items).toEqual([
      expect.objectContaining({
        seq: 1,
        type: 'CREATE',
        actor: { role: 'ncb', country: 'RS' },
        payload: serbianRecord,
      }),
    ]);
  });

  it('shows a record distributed to chosen countries to them alone: 404 for the others', async () => {
    const body = {
      kind: 'sltd',
      documentNumber: 'rs-0123 456',
      issuingCountry: 'RS',
      documentType: 'passport',
      lossKind: 'stolen_blank',
    };
    const created = await create('RS', { ...body, recipients: ['MC'] });
    const id = created.body.id as string;
    expect(created.body.recipients).toEqual(['MC']);
    await http.get(`/api/records/${id}`).set(token('ncb:MC')).expect(200);
    await http.get(`/api/records/${id}`).set(token('gs')).expect(200);
    const hidden = await http.get(`/api/records/${id}`).set(token('ncb:FR')).expect(404);
    expect(hidden.body.error.code).toBe('NOT_FOUND');
    await http.get(`/api/records/${id}/history`).set(token('ncb:FR')).expect(404);
    const listed = async (reader: string) =>
      (await http.get(`/api/exercises/${ex.id}/records?kind=sltd`).set(token(reader)).expect(200)).body.items.map(
        (r: { id: string }) => r.id,
      );
    expect(await listed('ncb:MC')).toContain(id);
    expect(await listed('observer')).toContain(id);
    expect(await listed('ncb:FR')).not.toContain(id);
  });

  it('lets only the owner change or delete a record: 403 for others who see it, 404 for those who do not', async () => {
    const created = await create('DE', {
      kind: 'smv',
      vin: 'WVWZZZ1JZXW000001',
      plate: 'B-XY 1234',
      registrationCountry: 'DE',
      make: 'Volkswagen',
      recipients: ['FR'],
    });
    const id = created.body.id as string;
    const forbidden = await http.patch(`/api/records/${id}`).set(token('ncb:FR')).send({ colour: 'red' }).expect(403);
    expect(forbidden.body.error.code).toBe('FORBIDDEN');
    await http.patch(`/api/records/${id}`).set(token('gs')).send({ colour: 'red' }).expect(403);
    await http.patch(`/api/records/${id}`).set(token('ncb:MC')).send({ colour: 'red' }).expect(404);
    await http.delete(`/api/records/${id}`).set(token('ncb:FR')).expect(403);

    const changed = await http
      .patch(`/api/records/${id}`)
      .set(token('ncb:DE'))
      .set('If-Match', '1')
      .send({ colour: 'red', recipients: null })
      .expect(200);
    expect(changed.body).toMatchObject({ colour: 'red', make: 'Volkswagen', version: 2, recipients: null });
    // Now every member sees it; a stale version changes nothing.
    await http.get(`/api/records/${id}`).set(token('ncb:MC')).expect(200);
    const stale = await http
      .patch(`/api/records/${id}`)
      .set(token('ncb:DE'))
      .set('If-Match', '1')
      .send({ colour: 'blue' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('STALE_VERSION');

    await http.delete(`/api/records/${id}`).set(token('ncb:DE')).expect(204);
    await http.get(`/api/records/${id}`).set(token('ncb:DE')).expect(404);
    await http.get(`/api/records/${id}`).set(token('gs')).expect(404);
    const history = await services.db.prisma.recordEvent.findMany({ where: { recordId: id }, orderBy: { seq: 'asc' } });
    expect(history.map((h) => h.type)).toEqual(['CREATE', 'UPDATE', 'DELETE']);
    expect(history.every((h) => h.exerciseSeq !== null)).toBe(true);
  });

  it('refuses bad input with a 400 naming the field, and writes nothing', async () => {
    const before = await services.db.prisma.databaseRecord.count();
    const cases: [object, string][] = [
      [{ kind: 'firearm', serial: 'X' }, 'body.kind'],
      [{ kind: 'nominal', forename: 'Marko' }, 'body.familyName'],
      [{ kind: 'smv', vin: '1M8GDM9A1KP042788' }, 'body.vin'],
      [{ kind: 'smv', vin: 'SHORT' }, 'body.vin'],
      [
        { kind: 'sltd', documentNumber: '12', issuingCountry: 'RS', documentType: 'passport', lossKind: 'lost' },
        'body.documentNumber',
      ],
      [{ ...serbianRecord, recipients: ['MC', 'MC'] }, 'body.recipients'],
      [{ ...serbianRecord, recipients: ['XX'] }, 'body.recipients.0'],
      [{ ...serbianRecord, shoeSize: 44 }, 'body.shoeSize'],
    ];
    for (const [body, field] of cases) {
      const res = await create('RS', body, 400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    // A change is checked against the record's own kind.
    const nominal = await create('RS', serbianRecord);
    const wrongKind = await http
      .patch(`/api/records/${nominal.body.id}`)
      .set(token('ncb:RS'))
      .send({ vin: 'X' })
      .expect(400);
    expect(wrongKind.body.error.details.map((d: { field: string }) => d.field)).toContain('body.vin');
    expect(await services.db.prisma.databaseRecord.count()).toBe(before + 1);
  });

  it('takes records from NCBs only, and none while the exercise is paused', async () => {
    const gs = await http.post(`/api/exercises/${ex.id}/records`).set(token('gs')).send(serbianRecord).expect(403);
    expect(gs.body.error.code).toBe('FORBIDDEN');
    await http.post(`/api/exercises/${ex.id}/clock`).set(token('facilitator')).send({ action: 'pause' }).expect(200);
    try {
      const paused = await create('RS', serbianRecord, 409);
      expect(paused.body.error.code).toBe('EXERCISE_PAUSED');
    } finally {
      await http.post(`/api/exercises/${ex.id}/clock`).set(token('facilitator')).send({ action: 'resume' }).expect(200);
    }
  });

  it('tells each change on the exercise’s stream, numbered with the notices’ events, to those who see it', async () => {
    const own = await createExercise(http, ['RS', 'MC', 'FR']);
    const as = (key: string) => bearer(own.tokens[key]!);
    const record = await http
      .post(`/api/exercises/${own.id}/records`)
      .set(as('ncb:RS'))
      .send({ kind: 'fingerprints', template: 'FP-MARKO-10', recipients: ['MC'] })
      .expect(201);
    await http.post(`/api/exercises/${own.id}/notices`).set(as('ncb:MC')).send(redRequest()).expect(201);
    await http
      .patch(`/api/records/${record.body.id}`)
      .set(as('ncb:RS'))
      .send({ description: 'Right thumb' })
      .expect(200);
    await http.delete(`/api/records/${record.body.id}`).set(as('ncb:RS')).expect(204);

    const feed = createEventFeed(services.db.prisma);
    const everything = await feed.after(own.id, 0, { role: 'gs' });
    // One numbering for both subjects: 1 to 4 without a gap, in the order of the changes.
    expect(everything.map((e) => e.position)).toEqual([1, 2, 3, 4]);
    expect(everything.map((e) => (e.data as { subject: string }).subject)).toEqual([
      'record',
      'notice',
      'record',
      'record',
    ]);
    expect(everything[0]!.data).toMatchObject({
      subject: 'record',
      recordId: record.body.id,
      seq: 1,
      type: 'CREATE',
      kind: 'fingerprints',
      ownerCountry: 'RS',
      actor: { role: 'ncb', country: 'RS' },
    });
    const recordTypes = async (reader: { role: 'ncb'; country: string }) =>
      (await feed.after(own.id, 0, reader))
        .map((e) => e.data as { subject: string; type: string })
        .filter((d) => d.subject === 'record')
        .map((d) => d.type);
    // Its deletion is told to those who saw it; a country it was never distributed to hears of none of it.
    expect(await recordTypes({ role: 'ncb', country: 'MC' })).toEqual(['CREATE', 'UPDATE', 'DELETE']);
    expect(await recordTypes({ role: 'ncb', country: 'FR' })).toEqual([]);
  });

  it('shows a country only the history of when the record went to it, and tells one taken off that it left', async () => {
    const own = await createExercise(http, ['RS', 'MC', 'FR']);
    const as = (key: string) => bearer(own.tokens[key]!);
    const created = await http
      .post(`/api/exercises/${own.id}/records`)
      .set(as('ncb:RS'))
      .send({ ...serbianRecord, offences: ['Armed robbery, Belgrade, 2019; informant named'], recipients: ['MC'] })
      .expect(201);
    const id = created.body.id as string;
    await http
      .patch(`/api/records/${id}`)
      .set(as('ncb:RS'))
      .send({ offences: ['Armed robbery'], recipients: null })
      .expect(200);
    // France sees the record now, but not what it was before it went to France.
    const france = await http.get(`/api/records/${id}/history`).set(as('ncb:FR')).expect(200);
    expect(france.body.items.map((e: { type: string }) => e.type)).toEqual(['UPDATE']);
    expect(JSON.stringify(france.body.items)).not.toContain('informant');
    const owner = await http.get(`/api/records/${id}/history`).set(as('ncb:RS')).expect(200);
    expect(owner.body.items.map((e: { type: string }) => e.type)).toEqual(['CREATE', 'UPDATE']);

    // Monaco is taken off: it hears of that change on the stream, and of nothing after it.
    await http
      .patch(`/api/records/${id}`)
      .set(as('ncb:RS'))
      .send({ recipients: ['FR'] })
      .expect(200);
    await http
      .patch(`/api/records/${id}`)
      .set(as('ncb:RS'))
      .send({ aliases: ['Marko P.'] })
      .expect(200);
    await http.get(`/api/records/${id}`).set(as('ncb:MC')).expect(404);
    const feed = createEventFeed(services.db.prisma);
    const heard = (await feed.after(own.id, 0, { role: 'ncb', country: 'MC' }))
      .map((e) => e.data as { subject: string; seq?: number })
      .filter((d) => d.subject === 'record')
      .map((d) => d.seq);
    expect(heard).toEqual([1, 2, 3]);
  });

  it('takes recipients null as every member, and refuses a plate without its country and an empty change', async () => {
    const open = await create('RS', { ...serbianRecord, recipients: null });
    expect(open.body.recipients).toBeNull();
    const plate = await create('DE', { kind: 'smv', vin: 'WVWZZZ1JZXW000002', plate: 'B-1' }, 400);
    expect(plate.body.error.details.map((d: { field: string }) => d.field)).toEqual(['body.registrationCountry']);
    const car = await create('DE', { kind: 'smv', vin: 'WVWZZZ1JZXW000003' });
    const later = await http
      .patch(`/api/records/${car.body.id}`)
      .set(token('ncb:DE'))
      .send({ plate: 'B-2' })
      .expect(400);
    expect(later.body.error.details.map((d: { field: string }) => d.field)).toEqual(['body.registrationCountry']);
    const empty = await http.patch(`/api/records/${car.body.id}`).set(token('ncb:DE')).send({}).expect(400);
    expect(empty.body.error.code).toBe('VALIDATION_FAILED');
    const unchanged = await http.get(`/api/records/${car.body.id}`).set(token('ncb:DE')).expect(200);
    expect(unchanged.body.version).toBe(1);
  });
});
