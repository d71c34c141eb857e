import { bearer, createExercise, publishedNotice, redRequest, send, yellowRequest } from '../support/fixtures';
import { describeEachDatabase } from '../support/http';

describeEachDatabase('notice lifecycle through the API', (ctx) => {
  it('publishes Monaco’s Red notice to 195 countries, records France’s hit to surrender, and closes the rest on withdrawal', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC', 'FR']);
    const mc = ex.tokens['ncb:MC']!;
    const fr = ex.tokens['ncb:FR']!;

    const created = await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(mc)).send(redRequest()).expect(201);
    expect(created.body).toMatchObject({ state: 'draft', type: 'RED', requestingCountry: 'MC', version: 1, allowedEvents: ['UPDATE_DRAFT', 'SUBMIT'] });
    const id = created.body.id as string;

    const submitted = await send(http, mc, id, { type: 'SUBMIT' });
    expect(submitted.state).toBe('submitted');
    expect(submitted.checks).toHaveLength(5);
    expect(submitted.checks.every((c: { passed: boolean }) => c.passed)).toBe(true);

    await send(http, ex.tokens.gs!, id, { type: 'START_REVIEW' });
    const published = await send(http, ex.tokens.gs!, id, { type: 'APPROVE', article3Cleared: true });
    expect(published.state).toBe('published');
    const years = new Date(published.expiresAt).getUTCFullYear() - new Date(published.publishedAt).getUTCFullYear();
    expect(years).toBe(5);

    const circulation = await http.get(`/api/notices/${id}/circulation`).set(bearer(ex.tokens.gs!)).expect(200);
    expect(circulation.body.items).toHaveLength(195);
    expect(circulation.body.items.map((r: { country: string }) => r.country)).not.toContain('MC');
    expect(new Set(circulation.body.items.map((r: { state: string }) => r.state))).toEqual(new Set(['received']));

    const record = (type: string, extra: object = {}) =>
      http.post(`/api/notices/${id}/circulation/FR/events`).set(bearer(fr)).send({ type, ...extra });
    expect((await record('REPORT_HIT', { details: 'Identified at Nice airport' }).expect(200)).body.state).toBe('hit');
    expect((await record('PROVISIONAL_ARREST').expect(200)).body.state).toBe('provisional_arrest');
    expect((await record('SURRENDER').expect(200)).body.state).toBe('surrendered');
    expect((await http.get(`/api/notices/${id}`).set(bearer(mc)).expect(200)).body.state).toBe('published');

    const withdrawn = await send(http, mc, id, { type: 'WITHDRAW', reason: 'Arrested in France and surrendered to Monaco' });
    expect(withdrawn.state).toBe('withdrawn');
    expect(withdrawn.allowedEvents).toEqual([]);

    const after = await http.get(`/api/notices/${id}/circulation`).set(bearer(ex.tokens.gs!)).expect(200);
    const states = new Map<string, string>(after.body.items.map((r: { country: string; state: string }) => [r.country, r.state]));
    expect(states.get('FR')).toBe('surrendered');
    expect([...states.values()].filter((s) => s === 'closed')).toHaveLength(194);

    const history = await http.get(`/api/notices/${id}/history`).set(bearer(ex.tokens.observer!)).expect(200);
    expect(history.body.items.map((h: { type: string }) => h.type)).toEqual([
      'CREATE', 'SUBMIT', 'START_REVIEW', 'APPROVE', 'REPORT_HIT', 'PROVISIONAL_ARREST', 'SURRENDER', 'WITHDRAW',
    ]);
    expect(history.body.items.map((h: { seq: number }) => h.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(history.body.items[0]).toMatchObject({ actor: { role: 'ncb', country: 'MC' }, from: null, to: 'draft' });
    expect(history.body.items[3]).toMatchObject({ actor: { role: 'gs' }, from: 'under_review', to: 'published', payload: { recipientCount: 195 } });
    expect(history.body.items[4]).toMatchObject({ actor: { role: 'ncb', country: 'FR' }, country: 'FR', from: 'received', to: 'hit' });
    expect(history.body.items[7].payload.closedRecords).toHaveLength(194);
    for (const h of history.body.items) {
      expect(Date.parse(h.at)).not.toBeNaN();
      expect(Date.parse(h.recordedAt)).not.toBeNaN();
    }
  });

  it('locates a missing child’s Yellow notice in Serbia through Serbia’s circulation record', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC', 'RS']);
    const notice = await publishedNotice(http, ex, yellowRequest());
    expect(notice.checks.map((c: { id: string }) => c.id).sort()).toEqual(['YELLOW-ADULT-CONSENT', 'YELLOW-IDENTIFIERS', 'YELLOW-POLICE-REPORT']);

    const located = await http
      .post(`/api/notices/${notice.id}/circulation/RS/events`)
      .set(bearer(ex.tokens['ncb:RS']!))
      .send({ type: 'REPORT_LOCATED', details: 'Found safe in Belgrade' })
      .expect(200);
    expect(located.body.state).toBe('located');

    const after = await http.get(`/api/notices/${notice.id}`).set(bearer(ex.tokens['ncb:MC']!)).expect(200);
    expect(after.body.state).toBe('located');
    expect(after.body.allowedEvents).toEqual(['WITHDRAW']);

    const history = await http.get(`/api/notices/${notice.id}/history`).set(bearer(ex.tokens.gs!)).expect(200);
    const last = history.body.items.slice(-2);
    expect(last).toMatchObject([
      { type: 'REPORT_LOCATED', country: 'RS', from: 'received', to: 'located', actor: { role: 'ncb', country: 'RS' } },
      { type: 'REPORT_LOCATED', to: 'located', from: 'published', payload: { country: 'RS' } },
    ]);
    expect(last[1].country).toBeUndefined();

    await send(http, ex.tokens['ncb:MC']!, notice.id, { type: 'WITHDRAW', reason: 'Child found' });
    const records = await http.get(`/api/notices/${notice.id}/circulation`).set(bearer(ex.tokens.gs!)).expect(200);
    const rs = records.body.items.find((r: { country: string }) => r.country === 'RS');
    expect(rs.state).toBe('located');
    expect(records.body.items.filter((r: { state: string }) => r.state === 'closed')).toHaveLength(194);
  });

  it('refuses APPROVE while RED-PENALTY-THRESHOLD fails, naming the check, and changes nothing', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC']);
    const mc = ex.tokens['ncb:MC']!;
    const request = redRequest();
    (request.offence as Record<string, unknown>).maxPenaltyYears = 1;
    const created = await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(mc)).send(request).expect(201);
    const submitted = await send(http, mc, created.body.id, { type: 'SUBMIT' });
    expect(submitted.checks.find((c: { id: string }) => c.id === 'RED-PENALTY-THRESHOLD')).toMatchObject({ passed: false, blocking: true });
    const reviewing = await send(http, ex.tokens.gs!, created.body.id, { type: 'START_REVIEW' });

    const refused = await send(http, ex.tokens.gs!, created.body.id, { type: 'APPROVE', article3Cleared: true }, 409);
    expect(refused.error).toMatchObject({ code: 'CHECKS_FAILED', details: { failingChecks: ['RED-PENALTY-THRESHOLD'] } });

    const after = await http.get(`/api/notices/${created.body.id}`).set(bearer(ex.tokens.gs!)).expect(200);
    expect(after.body).toMatchObject({ state: 'under_review', version: reviewing.version });
    expect((await http.get(`/api/notices/${created.body.id}/circulation`).set(bearer(ex.tokens.gs!))).body.items).toEqual([]);

    const important = await send(http, ex.tokens.gs!, created.body.id, { type: 'APPROVE', article3Cleared: true, particularImportance: true });
    expect(important.state).toBe('published');
  });

  it('requests information and takes the answer with corrected data, re-running the checks', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC']);
    const mc = ex.tokens['ncb:MC']!;
    const request = redRequest();
    (request.subject as Record<string, unknown>).fingerprintsRef = undefined;
    (request.subject as Record<string, unknown>).description = undefined;
    const created = await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(mc)).send(JSON.parse(JSON.stringify(request))).expect(201);
    const id = created.body.id;
    const submitted = await send(http, mc, id, { type: 'SUBMIT' });
    expect(submitted.checks.find((c: { id: string }) => c.id === 'RED-IDENTIFIERS').passed).toBe(false);
    await send(http, ex.tokens.gs!, id, { type: 'START_REVIEW' });
    const asked = await send(http, ex.tokens.gs!, id, { type: 'REQUEST_INFO', question: 'Which identifiers do you hold?' });
    expect(asked).toMatchObject({ state: 'info_requested', pendingQuestion: 'Which identifiers do you hold?', deadline: { event: 'INFO_TIMEOUT' } });

    const answered = await send(http, mc, id, {
      type: 'PROVIDE_INFO',
      answer: 'Fingerprints from the scene',
      changes: { subject: { fingerprintsRef: 'MC-AFIS-2026-0147' } },
    });
    expect(answered.state).toBe('under_review');
    expect(answered.subject.fingerprintsRef).toBe('MC-AFIS-2026-0147');
    expect(answered.subject.familyName).toBe('PETROVIC');
    expect(answered.checks.every((c: { passed: boolean }) => c.passed)).toBe(true);
  });

  it('lists notices by state, type and requesting country', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC', 'RS']);
    await publishedNotice(http, ex, redRequest());
    await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens['ncb:RS']!)).send(yellowRequest()).expect(201);
    const gs = bearer(ex.tokens.gs!);
    const all = await http.get(`/api/exercises/${ex.id}/notices`).set(gs).expect(200);
    expect(all.body.items).toHaveLength(2);
    const drafts = await http.get(`/api/exercises/${ex.id}/notices?state=draft`).set(gs).expect(200);
    expect(drafts.body.items.map((n: { type: string }) => n.type)).toEqual(['YELLOW']);
    const red = await http.get(`/api/exercises/${ex.id}/notices?type=RED&country=MC`).set(gs).expect(200);
    expect(red.body.items).toHaveLength(1);
    const none = await http.get(`/api/exercises/${ex.id}/notices?type=RED&country=RS`).set(gs).expect(200);
    expect(none.body.items).toEqual([]);
  });

  it('lets the CCF delete a published notice and the GS cancel one, closing circulation each time', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC']);
    const a = await publishedNotice(http, ex, redRequest());
    const deleted = await send(http, ex.tokens.ccf!, a.id, { type: 'DELETE', decisionRef: 'CCF/2026/117' });
    expect(deleted.state).toBe('deleted');
    const b = await publishedNotice(http, ex, redRequest());
    await send(http, ex.tokens['ncb:MC']!, b.id, { type: 'SUSPEND', reason: 'Checking a possible identity mix-up' });
    const cancelled = await send(http, ex.tokens.gs!, b.id, { type: 'CANCEL', reason: 'Refugee status confirmed' });
    expect(cancelled.state).toBe('cancelled');
    for (const id of [a.id, b.id]) {
      const records = await http.get(`/api/notices/${id}/circulation`).set(bearer(ex.tokens.gs!)).expect(200);
      expect(new Set(records.body.items.map((r: { state: string }) => r.state))).toEqual(new Set(['closed']));
    }
  });
});

describeEachDatabase('REPORT_LOCATED sent to the notice itself', (ctx) => {
  it('moves the Yellow notice to located and the reporting country’s own record with it', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC', 'RS']);
    const notice = await publishedNotice(http, ex, yellowRequest());
    const located = await send(http, ex.tokens['ncb:RS']!, notice.id, { type: 'REPORT_LOCATED', details: 'Found in Niš' });
    expect(located.state).toBe('located');
    const records = await http.get(`/api/notices/${notice.id}/circulation`).set(bearer(ex.tokens.gs!)).expect(200);
    const states = new Map(records.body.items.map((r: { country: string; state: string }) => [r.country, r.state]));
    expect(states.get('RS')).toBe('located');
    expect([...states.values()].filter((s) => s === 'received')).toHaveLength(194);
  });

  it('takes it from the requester, who has no record of its own, keeping the history gap-free', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC']);
    const notice = await publishedNotice(http, ex, yellowRequest());
    await send(http, ex.tokens['ncb:MC']!, notice.id, { type: 'REPORT_LOCATED', details: 'Came home' });
    await send(http, ex.tokens['ncb:MC']!, notice.id, { type: 'WITHDRAW', reason: 'Child found' });
    const history = await http.get(`/api/notices/${notice.id}/history`).set(bearer(ex.tokens.gs!)).expect(200);
    expect(history.body.items.map((h: { type: string }) => h.type).slice(-2)).toEqual(['REPORT_LOCATED', 'WITHDRAW']);
    expect(history.body.items.map((h: { seq: number }) => h.seq)).toEqual(history.body.items.map((_: unknown, i: number) => i + 1));
  });

  it('refuses it on a Red notice and leaves every record as it was', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC', 'RS']);
    const notice = await publishedNotice(http, ex, redRequest());
    const res = await send(http, ex.tokens['ncb:RS']!, notice.id, { type: 'REPORT_LOCATED', details: 'seen' }, 409);
    expect(res.error.code).toBe('INVALID_TRANSITION');
    const records = await http.get(`/api/notices/${notice.id}/circulation`).set(bearer(ex.tokens.gs!)).expect(200);
    expect(new Set(records.body.items.map((r: { state: string }) => r.state))).toEqual(new Set(['received']));
  });
});
