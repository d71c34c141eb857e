import { bearer, createExercise, publishedNotice, redRequest, send } from '../support/fixtures';
import { describeEachDatabase } from '../support/http';

/** What the notice page reads from the API: the request a recipient may see, why APPROVE is refused, the last change. */
describeEachDatabase('the notice page’s API', (ctx) => {
  it('refuses APPROVE while RED-ARTICLE-3 fails, saying in words which box to tick', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC']);
    const created = await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens['ncb:MC']!)).send(redRequest()).expect(201);
    await send(http, ex.tokens['ncb:MC']!, created.body.id, { type: 'SUBMIT' });
    await send(http, ex.tokens.gs!, created.body.id, { type: 'START_REVIEW' });

    const refused = await send(http, ex.tokens.gs!, created.body.id, { type: 'APPROVE', article3Cleared: false }, 409);
    expect(refused.error).toMatchObject({
      code: 'CHECKS_FAILED',
      details: { failingChecks: ['RED-ARTICLE-3'], fields: ['article3Cleared'] },
    });
    expect(refused.error.message).toContain('“No predominantly political, military, religious or racial character (Constitution Art. 3)”');
    expect(refused.error.message).toContain(
      'Tick “Article 3 cleared: no predominantly political, military, religious or racial character” once the review finds no such character',
    );
  });

  it('says what to ask the NCB for when APPROVE is refused for missing judicial data', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC']);
    const { warrant: _warrant, ...offence } = redRequest().offence as Record<string, unknown>;
    const created = await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens['ncb:MC']!)).send(redRequest({ offence })).expect(201);
    await send(http, ex.tokens['ncb:MC']!, created.body.id, { type: 'SUBMIT' });
    await send(http, ex.tokens.gs!, created.body.id, { type: 'START_REVIEW' });
    const refused = await send(http, ex.tokens.gs!, created.body.id, { type: 'APPROVE', article3Cleared: true }, 409);
    expect(refused.error.details).toEqual({ failingChecks: ['RED-JUDICIAL-DATA'], fields: [] });
    expect(refused.error.message).toContain('“Ask the NCB for information” for what is missing (Warrant or judgment reference, Date of issue, Issuing authority)');
  });

  it('gives a recipient NCB the published notice’s request: subject, offence, warrant, extradition countries and checks', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC', 'FR']);
    const notice = await publishedNotice(http, ex, redRequest());
    const seen = (await http.get(`/api/notices/${notice.id}`).set(bearer(ex.tokens['ncb:FR']!)).expect(200)).body;
    expect(seen.subject).toMatchObject({ familyName: 'PETROVIC', fingerprintsRef: 'MC-AFIS-2026-0147', description: 'Scar on the left hand' });
    expect(seen.offence).toMatchObject({ category: 'armed_robbery', warrant: { reference: 'MC-2026-AW-031' } });
    expect(seen.extraditionFrom).toEqual(['FR', 'IT', 'RS']);
    expect(seen.checks.map((c: { id: string; passed: boolean }) => `${c.id}:${c.passed}`)).toContain('RED-ARTICLE-3:true');
    expect(seen.expiresAt).not.toBeNull();
  });

  it('dates the last change on the simulated clock, from the notice’s own events, not its records’', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC', 'FR']);
    // A day ahead of the wall clock, so simulated and wall times cannot be mistaken for each other.
    await http.post(`/api/exercises/${ex.id}/clock`).set(bearer(ex.facilitator)).send({ action: 'advance', by: 'P1D' }).expect(200);
    const notice = await publishedNotice(http, ex, redRequest());
    const history = (await http.get(`/api/notices/${notice.id}/history`).set(bearer(ex.facilitator)).expect(200)).body.items;
    const approved = history.find((h: { type: string }) => h.type === 'APPROVE');
    expect(notice.lastEventAt).toBe(approved.at);
    expect(Date.parse(notice.lastEventAt) - Date.parse(notice.updatedAt)).toBeGreaterThan(23 * 3_600_000);

    await http.post(`/api/notices/${notice.id}/circulation/FR/events`).set(bearer(ex.tokens['ncb:FR']!)).send({ type: 'REPORT_HIT', details: 'Nice airport' }).expect(200);
    const listed = (await http.get(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens['ncb:FR']!)).expect(200)).body.items;
    expect(listed.map((n: { lastEventAt: string }) => n.lastEventAt)).toEqual([approved.at]);
  });
});
