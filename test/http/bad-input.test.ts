import { bearer, createExercise, publishedNotice, redRequest, send } from '../support/fixtures';
import { describeEachDatabase, type TestApp } from '../support/http';

/** Every bad request gets a clear error with the field named, and leaves the notice and its history as they were. */
describeEachDatabase('bad input', (ctx) => {
  async function snapshotOf(app: TestApp, token: string, id: string) {
    const notice = await app.http.get(`/api/notices/${id}`).set(bearer(token)).expect(200);
    const history = await app.http.get(`/api/notices/${id}/history`).set(bearer(token)).expect(200);
    const circulation = await app.http.get(`/api/notices/${id}/circulation`).set(bearer(token)).expect(200);
    return { notice: notice.body, history: history.body, circulation: circulation.body };
  }

  const fieldsOf = (body: { error: { details?: { field: string }[] } }) => (body.error.details ?? []).map((d) => d.field);

  describe('POST /api/exercises', () => {
    it.each([
      [{}, 'body.name'],
      [{ name: '' }, 'body.name'],
      [{ name: 42 }, 'body.name'],
      [{ name: 'x'.repeat(201) }, 'body.name'],
      [{ name: 'ok', extra: true }, 'body.extra'],
    ])('rejects %j naming %s', async (body, field) => {
      const res = await ctx().http.post('/api/exercises').send(body).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(res.body)).toContain(field);
    });

    it.each([['a NUL character', 'a\u0000b'], ['an unpaired surrogate', 'a\ud800']])('rejects a name with %s', async (_what, name) => {
      const res = await ctx().http.post('/api/exercises').send({ name }).expect(400);
      expect(fieldsOf(res.body)).toContain('body.name');
    });

    it('answers malformed JSON with 400 and an oversized body with 413', async () => {
      const { http } = ctx();
      const malformed = await http.post('/api/exercises').set('content-type', 'application/json').send('{"name": ').expect(400);
      expect(malformed.body.error.code).toBe('MALFORMED_JSON');
      // A scenario may be long, so this endpoint takes up to 2 MB; every other one 100 kB.
      const big = await http.post('/api/exercises').send({ name: 'x'.repeat(2_200_000) }).expect(413);
      expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
      const long = await http.post('/api/exercises').send({ name: 'x'.repeat(200_000) }).expect(400);
      expect(long.body.error.details).toEqual([expect.objectContaining({ field: 'body.name' })]);
    });
  });

  describe('POST /api/exercises/:id/participants', () => {
    it.each([
      [{ role: 'ncb' }, 'body.country'],
      [{ role: 'ncb', country: 'XX' }, 'body.country'],
      [{ role: 'ncb', country: 'TV' }, 'body.country'],
      [{ role: 'ncb', country: 'mc' }, 'body.country'],
      [{ role: 'gs', country: 'FR' }, 'body.country'],
      [{ role: 'king' }, 'body.role'],
      [{ role: 'facilitator' }, 'body.role'],
      [{ role: 'system' }, 'body.role'],
    ])('rejects %j naming %s', async (body, field) => {
      const { http } = ctx();
      const ex = await createExercise(http, []);
      const res = await http.post(`/api/exercises/${ex.id}/participants`).set(bearer(ex.facilitator)).send(body).expect(400);
      expect(fieldsOf(res.body)).toContain(field);
    });

    it('refuses a participant token (403), another exercise (404), a bad id (400) and no token (401)', async () => {
      const { http } = ctx();
      const ex = await createExercise(http, ['MC']);
      const other = await createExercise(http, []);
      const body = { role: 'gs' };
      await http.post(`/api/exercises/${ex.id}/participants`).set(bearer(ex.tokens.gs!)).send(body).expect(403);
      await http.post(`/api/exercises/${ex.id}/participants`).set(bearer(other.facilitator)).send(body).expect(404);
      const bad = await http.post('/api/exercises/not-a-uuid/participants').set(bearer(ex.facilitator)).send(body).expect(400);
      expect(fieldsOf(bad.body)).toContain('params.id');
      await http.post(`/api/exercises/${ex.id}/participants`).send(body).expect(401);
      await http.post(`/api/exercises/${ex.id}/participants`).set(bearer('nst_unknown')).send(body).expect(401);
      await http.post(`/api/exercises/${ex.id}/participants`).set('Authorization', 'Basic abc').send(body).expect(401);
    });
  });

  describe('POST /api/exercises/:id/notices', () => {
    const red = () => redRequest() as Record<string, any>;
    const cases: [string, () => object, string][] = [
      ['no type', () => ({ ...red(), type: undefined }), 'body.type'],
      ['an unknown type', () => ({ ...red(), type: 'BLUE' }), 'body.type'],
      ['a bad sex', () => ({ ...red(), subject: { ...red().subject, sex: 'x' } }), 'body.subject.sex'],
      ['a bad date of birth', () => ({ ...red(), subject: { ...red().subject, dateOfBirth: '12/03/1984' } }), 'body.subject.dateOfBirth'],
      ['a bad nationality', () => ({ ...red(), subject: { ...red().subject, nationalities: ['ZZ'] } }), 'body.subject.nationalities.0'],
      ['an unknown offence category', () => ({ ...red(), offence: { ...red().offence, category: 'jaywalking' } }), 'body.offence.category'],
      ['a negative penalty', () => ({ ...red(), offence: { ...red().offence, maxPenaltyYears: -1 } }), 'body.offence.maxPenaltyYears'],
      ['a penalty as text', () => ({ ...red(), offence: { ...red().offence, maxPenaltyYears: '10' } }), 'body.offence.maxPenaltyYears'],
      ['a non-member extradition country', () => ({ ...red(), extraditionFrom: ['TV'] }), 'body.extraditionFrom.0'],
      ['Yellow fields on a Red notice', () => ({ ...red(), adultConsent: true }), 'body.adultConsent'],
      ['an unknown field', () => ({ ...red(), requestingCountry: 'FR' }), 'body.requestingCountry'],
      ['a name of only spaces', () => ({ ...red(), subject: { ...red().subject, familyName: '   ' } }), 'body.subject.familyName'],
      ['a subject that is not an object', () => ({ ...red(), subject: 'PETROVIC' }), 'body.subject'],
      ['a NUL in a name', () => ({ ...red(), subject: { ...red().subject, familyName: 'A\u0000B' } }), 'body.subject.familyName'],
      ['an unpaired surrogate in a summary', () => ({ ...red(), offence: { ...red().offence, summary: 'x\udc00' } }), 'body.offence.summary'],
    ];
    it.each(cases)('rejects %s, naming the field', async (_name, body, field) => {
      const { http } = ctx();
      const ex = await createExercise(http, ['MC']);
      const res = await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens['ncb:MC']!)).send(body()).expect(400);
      expect(fieldsOf(res.body)).toContain(field);
      const list = await http.get(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens.gs!)).expect(200);
      expect(list.body.items).toEqual([]);
    });

    it('lets only an ncb request a notice', async () => {
      const { http } = ctx();
      const ex = await createExercise(http, []);
      for (const token of [ex.tokens.gs!, ex.tokens.ccf!, ex.tokens.observer!, ex.facilitator]) {
        const res = await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(token)).send(redRequest()).expect(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
      }
    });
  });

  describe('GET /api/exercises/:id/notices', () => {
    it.each([
      ['state=bogus', 'query.state'],
      ['type=GREEN', 'query.type'],
      ['country=ZZ', 'query.country'],
      ['limit=0', 'query.limit'],
      ['limit=abc', 'query.limit'],
      ['offset=-1', 'query.offset'],
      ['colour=red', 'query.colour'],
    ])('rejects ?%s naming %s', async (query, field) => {
      const { http } = ctx();
      const ex = await createExercise(http, []);
      const res = await http.get(`/api/exercises/${ex.id}/notices?${query}`).set(bearer(ex.tokens.gs!)).expect(400);
      expect(fieldsOf(res.body)).toContain(field);
    });

    it('hides another exercise’s notices behind 404', async () => {
      const { http } = ctx();
      const ex = await createExercise(http, []);
      const other = await createExercise(http, []);
      await http.get(`/api/exercises/${other.id}/notices`).set(bearer(ex.tokens.gs!)).expect(404);
    });
  });

  describe('POST /api/notices/:id/events', () => {
    it.each([
      [{}, 'body.type'],
      [{ type: 'PUBLISH' }, 'body.type'],
      [{ type: 'submit' }, 'body.type'],
      [{ type: 'SUBMIT', extra: 1 }, 'body.extra'],
      [{ type: 'APPROVE' }, 'body.article3Cleared'],
      [{ type: 'APPROVE', article3Cleared: 'yes' }, 'body.article3Cleared'],
      [{ type: 'REFUSE' }, 'body.reason'],
      [{ type: 'REFUSE', reason: '   ', grounds: ['OTHER'] }, 'body.reason'],
      [{ type: 'REFUSE', reason: 'Political' }, 'body.grounds'],
      [{ type: 'REFUSE', reason: 'Political', grounds: [] }, 'body.grounds'],
      [{ type: 'REFUSE', reason: 'Political', grounds: ['ARTICLE_4'] }, 'body.grounds.0'],
      [{ type: 'SUSPEND', reason: 'x\u0000y' }, 'body.reason'],
      [{ type: 'DELETE' }, 'body.decisionRef'],
      [{ type: 'REQUEST_INFO' }, 'body.question'],
      [{ type: 'PROVIDE_INFO', answer: 'a', changes: { subject: { sex: 'x' } } }, 'body.changes.subject.sex'],
    ])('rejects %j naming %s and changes nothing', async (event, field) => {
      const app = ctx();
      const ex = await createExercise(app.http, ['MC']);
      const notice = await publishedNotice(app.http, ex, redRequest());
      const before = await snapshotOf(app, ex.tokens.gs!, notice.id);
      const res = await app.http.post(`/api/notices/${notice.id}/events`).set(bearer(ex.tokens.gs!)).send(event).expect(400);
      expect(fieldsOf(res.body)).toContain(field);
      expect(await snapshotOf(app, ex.tokens.gs!, notice.id)).toEqual(before);
    });

    it('answers an event the state does not take with 409 listing the allowed events, and changes nothing', async () => {
      const app = ctx();
      const ex = await createExercise(app.http, ['MC']);
      const notice = await publishedNotice(app.http, ex, redRequest());
      const before = await snapshotOf(app, ex.tokens.gs!, notice.id);
      const res = await send(app.http, ex.tokens.gs!, notice.id, { type: 'START_REVIEW' }, 409);
      expect(res.error.code).toBe('INVALID_TRANSITION');
      expect(res.error.details.state).toBe('published');
      expect(res.error.details.allowedEvents).toEqual(['CANCEL']);
      expect(await snapshotOf(app, ex.tokens.gs!, notice.id)).toEqual(before);
    });

    it('answers a role that may not send the event with 403 and changes nothing', async () => {
      const app = ctx();
      const ex = await createExercise(app.http, ['MC', 'RS']);
      const notice = await publishedNotice(app.http, ex, redRequest());
      const before = await snapshotOf(app, ex.tokens.gs!, notice.id);
      await send(app.http, ex.tokens['ncb:RS']!, notice.id, { type: 'WITHDRAW', reason: 'not mine' }, 403);
      await send(app.http, ex.tokens.observer!, notice.id, { type: 'CANCEL', reason: 'x' }, 403);
      await send(app.http, ex.tokens.gs!, notice.id, { type: 'DELETE', decisionRef: 'x' }, 403);
      await send(app.http, ex.facilitator, notice.id, { type: 'WITHDRAW', reason: 'x' }, 403);
      expect(await snapshotOf(app, ex.tokens.gs!, notice.id)).toEqual(before);
    });

    it('answers an unknown notice, a bad id and another exercise’s notice with 404 or 400', async () => {
      const { http } = ctx();
      const ex = await createExercise(http, ['MC']);
      const other = await createExercise(http, []);
      const notice = await publishedNotice(http, ex, redRequest());
      await send(http, ex.tokens.gs!, '00000000-0000-4000-8000-000000000000', { type: 'SUBMIT' }, 404);
      await send(http, other.tokens.gs!, notice.id, { type: 'CANCEL', reason: 'x' }, 404);
      const bad = await http.post('/api/notices/123/events').set(bearer(ex.tokens.gs!)).send({ type: 'SUBMIT' }).expect(400);
      expect(fieldsOf(bad.body)).toContain('params.id');
      await http.get(`/api/notices/${notice.id}`).set(bearer(other.tokens.observer!)).expect(404);
      await http.get(`/api/notices/${notice.id}/history`).set(bearer(other.tokens.observer!)).expect(404);
      await http.get(`/api/notices/${notice.id}/circulation`).set(bearer(other.tokens.observer!)).expect(404);
    });

    it('honours If-Match: a stale version is 409 and changes nothing, the current one applies, a malformed one is 400', async () => {
      const app = ctx();
      const ex = await createExercise(app.http, ['MC']);
      const notice = await publishedNotice(app.http, ex, redRequest());
      const before = await snapshotOf(app, ex.tokens.gs!, notice.id);
      const mc = bearer(ex.tokens['ncb:MC']!);
      const event = { type: 'SUSPEND', reason: 'Checking identity' };
      const stale = await app.http.post(`/api/notices/${notice.id}/events`).set(mc).set('If-Match', String(notice.version - 1)).send(event).expect(409);
      expect(stale.body.error).toMatchObject({ code: 'STALE_VERSION', details: { currentVersion: notice.version } });
      const malformed = await app.http.post(`/api/notices/${notice.id}/events`).set(mc).set('If-Match', 'abc').send(event).expect(400);
      expect(fieldsOf(malformed.body)).toContain('headers.if-match');
      expect(await snapshotOf(app, ex.tokens.gs!, notice.id)).toEqual(before);
      const ok = await app.http.post(`/api/notices/${notice.id}/events`).set(mc).set('If-Match', `"${notice.version}"`).send(event).expect(200);
      expect(ok.body).toMatchObject({ state: 'suspended', version: notice.version + 1 });
    });
  });

  describe('POST /api/notices/:id/circulation/:country/events', () => {
    it('rejects a bad body, a non-member country and events of the wrong notice type, changing nothing', async () => {
      const app = ctx();
      const ex = await createExercise(app.http, ['MC', 'FR']);
      const notice = await publishedNotice(app.http, ex, redRequest());
      const before = await snapshotOf(app, ex.tokens.gs!, notice.id);
      const fr = bearer(ex.tokens['ncb:FR']!);
      const post = (country: string, body: object) => app.http.post(`/api/notices/${notice.id}/circulation/${country}/events`).set(fr).send(body);
      expect(fieldsOf((await post('FR', { type: 'REPORT_HIT' }).expect(400)).body)).toContain('body.details');
      expect(fieldsOf((await post('FR', { type: 'FLY' }).expect(400)).body)).toContain('body.type');
      expect(fieldsOf((await post('XX', { type: 'ACKNOWLEDGE' }).expect(400)).body)).toContain('params.country');
      expect(fieldsOf((await post('fr', { type: 'ACKNOWLEDGE' }).expect(400)).body)).toContain('params.country');
      await post('MC', { type: 'ACKNOWLEDGE' }).expect(404); // the requester has no record
      const wrongType = await post('FR', { type: 'REPORT_LOCATED', details: 'here' }).expect(409);
      expect(wrongType.body.error.details.allowedEvents).toEqual(['ACKNOWLEDGE', 'REPORT_HIT']);
      const early = await post('FR', { type: 'SURRENDER' }).expect(409);
      expect(early.body.error.code).toBe('INVALID_TRANSITION');
      expect(await snapshotOf(app, ex.tokens.gs!, notice.id)).toEqual(before);
    });

    it('lets only the record’s own country act on it', async () => {
      const app = ctx();
      const ex = await createExercise(app.http, ['MC', 'FR', 'RS']);
      const notice = await publishedNotice(app.http, ex, redRequest());
      const before = await snapshotOf(app, ex.tokens.gs!, notice.id);
      for (const token of [ex.tokens['ncb:RS']!, ex.tokens['ncb:MC']!, ex.tokens.gs!, ex.tokens.observer!]) {
        await app.http.post(`/api/notices/${notice.id}/circulation/FR/events`).set(bearer(token)).send({ type: 'ACKNOWLEDGE' }).expect(403);
      }
      expect(await snapshotOf(app, ex.tokens.gs!, notice.id)).toEqual(before);
      await app.http.post(`/api/notices/${notice.id}/circulation/RS/events`).set(bearer(ex.tokens['ncb:RS']!)).send({ type: 'ACKNOWLEDGE' }).expect(200);
    });

    it('refuses circulation events while the notice is suspended', async () => {
      const { http } = ctx();
      const ex = await createExercise(http, ['MC', 'FR']);
      const notice = await publishedNotice(http, ex, redRequest());
      await send(http, ex.tokens['ncb:MC']!, notice.id, { type: 'SUSPEND', reason: 'Review of the file' });
      const res = await http
        .post(`/api/notices/${notice.id}/circulation/FR/events`)
        .set(bearer(ex.tokens['ncb:FR']!))
        .send({ type: 'REPORT_HIT', details: 'seen' })
        .expect(409);
      expect(res.body.error.code).toBe('NOTICE_NOT_ACTIVE');
    });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await ctx().http.get('/api/nothing-here').expect(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});

describeEachDatabase('bad ids on every read endpoint', (ctx) => {
  it.each(['/api/notices/%s', '/api/notices/%s/history', '/api/notices/%s/circulation'])('GET %s answers a malformed id with 400 and an unknown one with 404', async (path) => {
    const { http } = ctx();
    const ex = await createExercise(http, []);
    const gs = bearer(ex.tokens.gs!);
    const bad = await http.get(path.replace('%s', 'x1')).set(gs).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toContain('params.id');
    await http.get(path.replace('%s', '6f1c1a51-2b7e-4e43-9a55-0a9a4a8c2f10')).set(gs).expect(404);
    await http.get(path.replace('%s', '6f1c1a51-2b7e-4e43-9a55-0a9a4a8c2f10')).expect(401);
  });
});
