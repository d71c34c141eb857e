import { bearer, createExercise, redRequest, send, yellowRequest } from '../support/fixtures';
import { describeEachDatabase } from '../support/http';

const incomplete = () => redRequest({ subject: { familyName: 'PETROVIC' }, offence: { category: 'armed_robbery' } });

describeEachDatabase('editing a draft through the API (UPDATE_DRAFT)', (ctx) => {
  async function draft(request = incomplete()) {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC', 'FR']);
    const mc = ex.tokens['ncb:MC']!;
    const created = await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(mc)).send(request).expect(201);
    return { http, ex, mc, id: created.body.id as string, created: created.body };
  }

  it('shows a new draft’s checks, naming the missing fields, before they run for real on SUBMIT', async () => {
    const { created } = await draft();
    const identifiers = created.checks.find((c: { id: string }) => c.id === 'RED-IDENTIFIERS');
    expect(identifiers).toMatchObject({ passed: false, missing: expect.arrayContaining(['subject.forename', 'subject.sex']) });
    expect(created.checks.find((c: { id: string }) => c.id === 'RED-JUDICIAL-DATA').missing).toContain('offence.warrant.reference');
  });

  it('replaces the request, records the change in the history, and recomputes the checks shown', async () => {
    const { http, ex, mc, id } = await draft();
    const edited = await http.post(`/api/notices/${id}/events`).set(bearer(mc)).set('If-Match', '1').send({ type: 'UPDATE_DRAFT', request: redRequest() }).expect(200);
    expect(edited.body).toMatchObject({ state: 'draft', version: 2, subject: { forename: 'Marko' } });
    expect(edited.body.checks.every((c: { passed: boolean; id: string }) => c.passed || c.id === 'RED-ARTICLE-3')).toBe(true);

    const history = await http.get(`/api/notices/${id}/history`).set(bearer(ex.tokens.observer!)).expect(200);
    expect(history.body.items.map((h: { type: string }) => h.type)).toEqual(['CREATE', 'UPDATE_DRAFT']);
    expect(history.body.items[1]).toMatchObject({ actor: { role: 'ncb', country: 'MC' }, from: 'draft', to: 'draft', payload: { request: { subject: { forename: 'Marko' } } } });

    const submitted = await send(http, mc, id, { type: 'SUBMIT' });
    expect(submitted.checks.filter((c: { passed: boolean }) => !c.passed)).toEqual([]);
  });

  it('can clear a field: the request sent is the whole request', async () => {
    const { http, mc, id } = await draft(redRequest());
    const { subject: _subject, ...rest } = redRequest();
    const edited = await send(http, mc, id, { type: 'UPDATE_DRAFT', request: { ...rest, subject: { familyName: 'PETROVIC' } } });
    expect(edited.subject).toEqual({ familyName: 'PETROVIC' });
  });

  it('answers 409 to a stale If-Match, changing nothing', async () => {
    const { http, mc, id } = await draft();
    await send(http, mc, id, { type: 'UPDATE_DRAFT', request: redRequest() });
    const stale = await http.post(`/api/notices/${id}/events`).set(bearer(mc)).set('If-Match', '1').send({ type: 'UPDATE_DRAFT', request: incomplete() }).expect(409);
    expect(stale.body.error).toMatchObject({ code: 'STALE_VERSION', details: { currentVersion: 2 } });
    expect((await http.get(`/api/notices/${id}`).set(bearer(mc)).expect(200)).body.subject.forename).toBe('Marko');
  });

  it('answers 409 outside draft, saying what may be sent', async () => {
    const { http, mc, id } = await draft(redRequest());
    await send(http, mc, id, { type: 'SUBMIT' });
    const refused = await send(http, mc, id, { type: 'UPDATE_DRAFT', request: incomplete() }, 409);
    expect(refused.error).toMatchObject({ code: 'INVALID_TRANSITION', details: { state: 'submitted' } });
  });

  it('is the owner’s only: another NCB does not see the draft (404), the GS may not edit it (403)', async () => {
    const { http, ex, id } = await draft();
    const body = { type: 'UPDATE_DRAFT', request: redRequest() };
    await send(http, ex.tokens['ncb:FR']!, id, body, 404);
    await send(http, ex.facilitator, id, body, 403);
  });

  it('refuses a request of the other type or a bad field with a 400 naming the field', async () => {
    const { http, mc, id } = await draft();
    const wrongType = await send(http, mc, id, { type: 'UPDATE_DRAFT', request: yellowRequest() }, 400);
    expect(wrongType.error.details).toEqual([{ field: 'request.type', message: 'must be the type of this notice (RED)' }]);
    const badDate = await send(http, mc, id, { type: 'UPDATE_DRAFT', request: redRequest({ subject: { dateOfBirth: '1984-13-01' } }) }, 400);
    expect(badDate.error.details[0].field).toBe('body.request.subject.dateOfBirth');
    expect((await http.get(`/api/notices/${id}`).set(bearer(mc)).expect(200)).body.version).toBe(1);
  });

  it('serves the request’s JSON Schema per type, from the API’s own schema', async () => {
    const { http } = ctx();
    const red = (await http.get('/api/schemas/notice-request?type=RED').expect(200)).body;
    expect(red.$defs.RedNoticeRequest.properties.type).toEqual({ type: 'string', const: 'RED' });
    expect(red.$defs.Offence.properties.category.enum).toContain('armed_robbery');
    const yellow = (await http.get('/api/schemas/notice-request?type=YELLOW').expect(200)).body;
    expect(Object.keys(yellow.$defs.YellowNoticeRequest.properties)).toContain('disappearance');
    const both = (await http.get('/api/schemas/notice-request').expect(200)).body;
    expect(both.$defs.CreateNoticeRequest.oneOf).toHaveLength(2);
    await http.get('/api/schemas/notice-request?type=BLUE').expect(400);
  });
});
