import { bearer, createExercise, publishedNotice, redRequest, send } from '../support/fixtures';
import { describeEachDatabase } from '../support/http';

describeEachDatabase('what an ncb sees', (ctx) => {
  it('hides Monaco’s draft from Serbia on every read and event, and from its list', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC', 'RS']);
    const rs = bearer(ex.tokens['ncb:RS']!);
    const draft = await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens['ncb:MC']!)).send(redRequest()).expect(201);
    const id = draft.body.id as string;

    await http.get(`/api/notices/${id}`).set(rs).expect(404);
    await http.get(`/api/notices/${id}/history`).set(rs).expect(404);
    await http.get(`/api/notices/${id}/circulation`).set(rs).expect(404);
    await http.post(`/api/notices/${id}/events`).set(rs).send({ type: 'SUBMIT' }).expect(404);
    await http.post(`/api/notices/${id}/circulation/RS/events`).set(rs).send({ type: 'ACKNOWLEDGE' }).expect(404);
    expect((await http.get(`/api/exercises/${ex.id}/notices`).set(rs).expect(200)).body.items).toEqual([]);
    expect((await http.get(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens['ncb:MC']!)).expect(200)).body.items).toHaveLength(1);
    expect((await http.get(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens.observer!)).expect(200)).body.items).toHaveLength(1);
  });

  it('shows a published notice to a recipient with only its own record and its own record’s history', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC', 'RS', 'FR']);
    const notice = await publishedNotice(http, ex, redRequest());
    await http
      .post(`/api/notices/${notice.id}/circulation/RS/events`)
      .set(bearer(ex.tokens['ncb:RS']!))
      .send({ type: 'REPORT_HIT', details: 'Seen at a Belgrade safe house' })
      .expect(200);
    const fr = bearer(ex.tokens['ncb:FR']!);

    const seen = await http.get(`/api/notices/${notice.id}`).set(fr).expect(200);
    expect(seen.body.allowedEvents).toEqual([]);
    expect((await http.get(`/api/exercises/${ex.id}/notices`).set(fr).expect(200)).body.items.map((n: { id: string }) => n.id)).toEqual([notice.id]);
    const records = await http.get(`/api/notices/${notice.id}/circulation`).set(fr).expect(200);
    expect(records.body.items.map((r: { country: string }) => r.country)).toEqual(['FR']);
    const history = await http.get(`/api/notices/${notice.id}/history`).set(fr).expect(200);
    expect(history.body.items.map((h: { type: string }) => h.type)).toEqual(['CREATE', 'SUBMIT', 'START_REVIEW', 'APPROVE']);

    const requester = await http.get(`/api/notices/${notice.id}/history`).set(bearer(ex.tokens['ncb:MC']!)).expect(200);
    expect(requester.body.items.map((h: { type: string }) => h.type)).toContain('REPORT_HIT');
    await http.post(`/api/notices/${notice.id}/circulation/RS/events`).set(fr).send({ type: 'PROVISIONAL_ARREST' }).expect(403);
  });

  it('shows a published notice to its recipients from the notice’s recipients, not from the circulation rows', async () => {
    const app = ctx();
    const ex = await createExercise(app.http, ['MC', 'FR', 'RS']);
    const notice = await publishedNotice(app.http, ex, redRequest());
    // Visibility never reads the rows: none for FR and RS (publication writes none; older data may have some).
    await app.db.prisma.circulationRecord.deleteMany({ where: { noticeId: notice.id, country: { in: ['FR', 'RS'] } } });
    const fr = bearer(ex.tokens['ncb:FR']!);
    expect((await app.http.get(`/api/notices/${notice.id}`).set(fr).expect(200)).body.recipients).toBeNull();
    expect((await app.http.get(`/api/exercises/${ex.id}/notices`).set(fr).expect(200)).body.items).toHaveLength(1);
    const history = await app.http.get(`/api/notices/${notice.id}/history`).set(fr).expect(200);
    expect(history.body.items.at(-1)).toMatchObject({ type: 'APPROVE', payload: { recipientCount: 195 } });
    // The requester is no recipient of its own notice; ended, the notice stays visible to the recipients.
    await send(app.http, ex.tokens['ncb:MC']!, notice.id, { type: 'WITHDRAW', reason: 'Arrested' });
    await app.http.get(`/api/notices/${notice.id}`).set(bearer(ex.tokens['ncb:RS']!)).expect(200);
  });

  it('keeps a request that was never published with the requester, the GS and the CCF, even once refused', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC', 'FR']);
    const created = await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens['ncb:MC']!)).send(redRequest()).expect(201);
    const id = created.body.id as string;
    await send(http, ex.tokens['ncb:MC']!, id, { type: 'SUBMIT' });
    await send(http, ex.tokens.gs!, id, { type: 'START_REVIEW' });
    await send(http, ex.tokens.gs!, id, { type: 'REQUEST_INFO', question: 'Which court?' });
    await http.get(`/api/notices/${id}`).set(bearer(ex.tokens['ncb:FR']!)).expect(404);
    await send(http, ex.tokens.gs!, id, { type: 'REFUSE', reason: 'No answer', grounds: ['INSUFFICIENT_DATA'] });
    await http.get(`/api/notices/${id}`).set(bearer(ex.tokens['ncb:FR']!)).expect(404);
    for (const token of [ex.tokens['ncb:MC']!, ex.tokens.gs!, ex.tokens.ccf!]) await http.get(`/api/notices/${id}`).set(bearer(token)).expect(200);
  });

  it('lets an observer read everything and change nothing', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC']);
    const notice = await publishedNotice(http, ex, redRequest());
    const observer = bearer(ex.tokens.observer!);
    const seen = await http.get(`/api/notices/${notice.id}`).set(observer).expect(200);
    expect(seen.body.allowedEvents).toEqual([]);
    expect((await http.get(`/api/notices/${notice.id}/circulation`).set(observer).expect(200)).body.items).toHaveLength(195);
    await send(http, ex.tokens.observer!, notice.id, { type: 'CANCEL', reason: 'x' }, 403);
    await http.post(`/api/notices/${notice.id}/circulation/FR/events`).set(observer).send({ type: 'ACKNOWLEDGE' }).expect(403);
  });
});
