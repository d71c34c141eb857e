import pino from 'pino';
import request from 'supertest';
import { buildServices, type Services } from '../../src/server';
import { databaseKinds, openTestDatabase } from '../support/databases';
import { bearer, createExercise, publishedNotice, redRequest, send, type ExerciseFixture } from '../support/fixtures';

type Agent = ReturnType<typeof request>;
const DAY = 86_400_000;

/**
 * Monaco's Red notice after arrests in four countries: France gets no extradition request in time and
 * releases the man; Italy gets one and refuses (an addendum, the GS told); Germany grants and surrenders
 * (Monaco prompted to withdraw, the GS later to cancel); Spain holds him after the notice is withdrawn.
 */
describe.each(databaseKinds())('extradition after a provisional arrest [%s]', (kind) => {
  let services: Services;
  let http: Agent;
  let ex: ExerciseFixture;
  let noticeId: string;
  const as = (key: string) => bearer(key === 'facilitator' ? ex.facilitator : ex.tokens[key]!);
  const onRecord = (actor: string, country: string, body: object, status = 200) =>
    http.post(`/api/notices/${noticeId}/circulation/${country}/events`).set(as(actor)).send(body).expect(status);
  const recordOf = async (country: string) =>
    (await http.get(`/api/notices/${noticeId}/circulation`).set(as('gs')).expect(200)).body.items.find(
      (r: { country: string }) => r.country === country,
    );
  const advance = (by: string) =>
    http.post(`/api/exercises/${ex.id}/clock`).set(as('facilitator')).send({ action: 'advance', by }).expect(200);
  const inbox = async (reader: string) =>
    (await http.get(`/api/exercises/${ex.id}/messages?box=inbox`).set(as(reader)).expect(200)).body.items as {
      from: string;
      subject: string;
      about?: { noticeId?: string; country?: string };
    }[];
  const arrest = async (country: string, body: object = {}) => {
    await onRecord(`ncb:${country}`, country, { type: 'REPORT_HIT', details: 'Stopped at the border' });
    return (await onRecord(`ncb:${country}`, country, { type: 'PROVISIONAL_ARREST', ...body })).body;
  };

  beforeAll(async () => {
    services = buildServices(await openTestDatabase(kind), pino({ level: 'silent' }), { authFailureLimit: 1_000_000 });
    http = request(services.app);
    ex = await createExercise(http, ['MC', 'FR', 'IT', 'DE', 'ES']);
    noticeId = (await publishedNotice(http, ex, redRequest())).id;
  });
  afterAll(() => services?.db.close());

  it('releases a person when no request comes in time, and keeps one whose request came', async () => {
    const france = await arrest('FR');
    expect(france.state).toBe('provisional_arrest');
    expect(france.deadline.event).toBe('RELEASE');
    const arrestedAt = Date.parse(france.updatedAt);
    // The European Convention's 40 days, by default; Italy's ECOWAS-like term is set on its arrest.
    expect(Date.parse(france.deadline.at) - Date.parse((await recordOf('FR')).deadline.at)).toBe(0);
    const italy = await arrest('IT', { convention: 'ecowas' });
    expect(Date.parse(italy.deadline.at) - Date.parse(italy.updatedAt)).toBe(20 * DAY);
    expect((await inbox('ncb:MC')).map((m) => m.subject)).toEqual([
      expect.stringMatching(/^Provisional arrest in France: the extradition request is due by /),
      expect.stringMatching(/^Provisional arrest in Italy: the extradition request is due by /),
    ]);

    // Monaco asks Italy in time; France hears nothing.
    const asked = await onRecord('ncb:MC', 'IT', { type: 'EXTRADITION_REQUESTED', details: 'Request MC-EXT-2026-4' });
    expect(asked.body).toMatchObject({ state: 'extradition_requested' });
    expect(asked.body.deadline).toBeUndefined();
    await advance('P41D');
    expect(await recordOf('FR')).toMatchObject({ state: 'released' });
    expect(await recordOf('IT')).toMatchObject({ state: 'extradition_requested' });
    const history = (await http.get(`/api/notices/${noticeId}/history`).set(as('gs')).expect(200)).body.items;
    const release = history.find((h: { type: string }) => h.type === 'RELEASE');
    expect(release).toMatchObject({
      country: 'FR',
      from: 'provisional_arrest',
      to: 'released',
      actor: { role: 'system' },
    });
    expect(Date.parse(release.at)).toBe(arrestedAt + 40 * DAY);
    const told = (await inbox('ncb:FR')).filter((m) => m.from === 'system');
    expect(told.map((m) => m.subject)).toEqual(['Released in France: no extradition request in time']);
  });

  it('adds a refusal to the notice as an addendum and tells the GS', async () => {
    const refused = await onRecord('ncb:IT', 'IT', {
      type: 'REFUSE_EXTRADITION',
      reason: 'He holds Italian nationality',
      basis: 'nationality',
    });
    expect(refused.body.state).toBe('extradition_refused');
    const notice = (await http.get(`/api/notices/${noticeId}`).set(as('ncb:DE')).expect(200)).body;
    expect(notice.state).toBe('published');
    expect(notice.addenda).toEqual([
      {
        kind: 'extradition_refused',
        country: 'IT',
        basis: 'nationality',
        reason: 'He holds Italian nationality',
        at: expect.any(String),
      },
    ]);
    expect((await inbox('gs')).filter((m) => m.about?.country === 'IT').map((m) => m.subject)).toEqual([
      'Italy refuses extradition (the person is a national of the requested country)',
    ]);
  });

  it('surrenders after a grant, prompts the requester to withdraw, and the GS to cancel 30 days on', async () => {
    await arrest('DE');
    await onRecord('ncb:MC', 'DE', { type: 'EXTRADITION_REQUESTED' });
    await onRecord('ncb:DE', 'DE', { type: 'GRANT_EXTRADITION', details: 'Granted by the Higher Regional Court' });
    const surrendered = await onRecord('ncb:DE', 'DE', { type: 'SURRENDER' });
    expect(surrendered.body.state).toBe('surrendered');
    expect((await inbox('ncb:MC')).filter((m) => m.about?.country === 'DE').map((m) => m.subject)).toEqual([
      expect.stringMatching(/^Provisional arrest in Germany/),
      expect.stringMatching(/^The person was surrendered by Germany: withdraw the Red notice for /),
    ]);
    const cancelPrompts = async () => (await inbox('gs')).filter((m) => m.subject.startsWith('Cancel the Red notice'));
    expect(await cancelPrompts()).toEqual([]);
    await advance('P31D');
    expect(await cancelPrompts()).toHaveLength(1);
  });

  it('keeps a person held when the notice ends: the requester may still ask', async () => {
    await arrest('ES');
    await send(http, ex.tokens['ncb:MC']!, noticeId, { type: 'WITHDRAW', reason: 'Surrendered by Germany' });
    expect(await recordOf('ES')).toMatchObject({ state: 'provisional_arrest', deadline: { event: 'RELEASE' } });
    expect(await recordOf('FR')).toMatchObject({ state: 'released' });
    const asked = await onRecord('ncb:MC', 'ES', { type: 'EXTRADITION_REQUESTED' });
    expect(asked.body.state).toBe('extradition_requested');
    // The prompt to cancel after Germany's surrender is moot now; Spain's surrender prompts nothing more.
    expect((await recordOf('DE')).deadline).toBeUndefined();
    await onRecord('ncb:ES', 'ES', { type: 'GRANT_EXTRADITION' });
    expect((await onRecord('ncb:ES', 'ES', { type: 'SURRENDER' })).body).toMatchObject({ state: 'surrendered' });
    expect((await inbox('ncb:MC')).filter((m) => m.about?.country === 'ES').map((m) => m.subject)).toEqual([
      expect.stringMatching(/^Provisional arrest in Spain/),
    ]);
  });

  it('releases two people arrested at the same moment, each once', async () => {
    const other = await createExercise(http, ['MC', 'FR', 'IT'], 'Paused play', { freezeWhilePaused: false });
    const clock = (body: object) =>
      http.post(`/api/exercises/${other.id}/clock`).set(bearer(other.facilitator)).send(body).expect(200);
    await clock({ action: 'pause' });
    const id = (await publishedNotice(http, other, redRequest())).id;
    for (const country of ['FR', 'IT']) {
      const post = (body: object) =>
        http
          .post(`/api/notices/${id}/circulation/${country}/events`)
          .set(bearer(other.tokens[`ncb:${country}`]!))
          .send(body)
          .expect(200);
      await post({ type: 'REPORT_HIT', details: 'Found' });
      await post({ type: 'PROVISIONAL_ARREST' });
    }
    expect((await clock({ action: 'advance', by: 'P41D' })).body.deadlinesFired).toBe(2);
    const records = (await http.get(`/api/notices/${id}/circulation`).set(bearer(other.tokens.gs!)).expect(200)).body
      .items;
    const held = records.filter((r: { country: string }) => r.country === 'FR' || r.country === 'IT');
    expect(held.map((r: { country: string; state: string }) => `${r.country}:${r.state}`)).toEqual([
      'FR:released',
      'IT:released',
    ]);
  });

  it('refuses bad extradition events with the field, the role or the allowed events named, and writes nothing', async () => {
    const other = await createExercise(http, ['MC', 'FR']);
    const id = (await publishedNotice(http, other, redRequest())).id;
    const post = (actor: string, body: object, status: number) =>
      http.post(`/api/notices/${id}/circulation/FR/events`).set(bearer(other.tokens[actor]!)).send(body).expect(status);
    await post('ncb:FR', { type: 'REPORT_HIT', details: 'Seen in Lyon' }, 200);
    await post('ncb:FR', { type: 'PROVISIONAL_ARREST', releaseAfterDays: 0 }, 400);
    await post('ncb:FR', { type: 'PROVISIONAL_ARREST', convention: 'nordic' }, 400);
    await post('ncb:FR', { type: 'PROVISIONAL_ARREST' }, 200);
    const wrongRole = await post('ncb:FR', { type: 'EXTRADITION_REQUESTED' }, 403);
    expect(wrongRole.body.error.code).toBe('FORBIDDEN');
    const tooEarly = await post('ncb:FR', { type: 'GRANT_EXTRADITION' }, 409);
    expect(tooEarly.body.error.details.allowedEvents).toEqual(expect.arrayContaining(['SURRENDER']));
    await post('ncb:MC', { type: 'EXTRADITION_REQUESTED' }, 200);
    const noBasis = await post('ncb:FR', { type: 'REFUSE_EXTRADITION', reason: 'No' }, 400);
    expect(noBasis.body.error.details.map((d: { field: string }) => d.field)).toContain('body.basis');
    await post('ncb:FR', { type: 'REFUSE_EXTRADITION', reason: 'No', basis: 'fraud' }, 400);
    const record = (await http.get(`/api/notices/${id}/circulation`).set(bearer(other.tokens.gs!)).expect(200)).body
      .items;
    expect(record.find((r: { country: string }) => r.country === 'FR').state).toBe('extradition_requested');
    const notice = (await http.get(`/api/notices/${id}`).set(bearer(other.tokens.gs!)).expect(200)).body;
    expect(notice.addenda).toEqual([]);
  });
});
