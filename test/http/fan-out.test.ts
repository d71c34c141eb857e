import { bearer, createExercise, publishedNotice, redRequest, send } from '../support/fixtures';
import { describeEachDatabase } from '../support/http';

type Record_ = { country: string; state: string; version: number; updatedAt: string };

describeEachDatabase('circulation records fanned out on read', (ctx) => {
  it('lists every recipient of a just-published notice as received while no record row exists', async () => {
    const { http, db } = ctx();
    const ex = await createExercise(http, ['MC', 'FR']);
    const notice = await publishedNotice(http, ex, redRequest());
    expect(await db.prisma.circulationRecord.count({ where: { noticeId: notice.id } })).toBe(0);

    const items: Record_[] = (await http.get(`/api/notices/${notice.id}/circulation`).set(bearer(ex.tokens.gs!)).expect(200)).body.items;
    expect(items).toHaveLength(195);
    expect(items.map((r) => r.country)).not.toContain('MC');
    expect(items.map((r) => r.country)).toEqual([...items.map((r) => r.country)].sort());
    for (const r of items) expect({ state: r.state, version: r.version, updatedAt: r.updatedAt }).toEqual({ state: 'received', version: 1, updatedAt: notice.publishedAt });
    // An ncb sees its own record; the requester is no recipient and has none to act on.
    const fr = (await http.get(`/api/notices/${notice.id}/circulation`).set(bearer(ex.tokens['ncb:FR']!)).expect(200)).body.items;
    expect(fr).toEqual([{ country: 'FR', state: 'received', version: 1, updatedAt: notice.publishedAt }]);
    const own = await http.post(`/api/notices/${notice.id}/circulation/MC/events`).set(bearer(ex.tokens['ncb:MC']!)).send({ type: 'ACKNOWLEDGE' });
    expect(own.status).toBe(404);

    // The first event writes the row.
    const acked = await http.post(`/api/notices/${notice.id}/circulation/FR/events`).set(bearer(ex.tokens['ncb:FR']!)).send({ type: 'ACKNOWLEDGE' }).expect(200);
    expect(acked.body).toMatchObject({ country: 'FR', state: 'acknowledged', version: 2 });
    expect(await db.prisma.circulationRecord.findMany({ where: { noticeId: notice.id }, select: { country: true, state: true, version: true } })).toEqual([
      { country: 'FR', state: 'acknowledged', version: 2 },
    ]);
  });

  it('lets one of two racing first events on a record win: one 200, one 409, one history row', async () => {
    const { http, db } = ctx();
    const ex = await createExercise(http, ['MC', 'FR']);
    const notice = await publishedNotice(http, ex, redRequest());
    const fr = bearer(ex.tokens['ncb:FR']!);
    const url = `/api/notices/${notice.id}/circulation/FR/events`;
    const responses = await Promise.all([
      http.post(url).set(fr).set('If-Match', '1').send({ type: 'ACKNOWLEDGE' }),
      http.post(url).set(fr).set('If-Match', '1').send({ type: 'REPORT_HIT', details: 'Seen in Nice' }),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    const history = (await http.get(`/api/notices/${notice.id}/history`).set(bearer(ex.tokens.gs!)).expect(200)).body.items;
    expect(history.filter((h: { country: string | null }) => h.country === 'FR')).toHaveLength(1);
    expect(history.map((h: { seq: number }) => h.seq)).toEqual(history.map((_: unknown, i: number) => i + 1));
    expect(await db.prisma.circulationRecord.findMany({ where: { noticeId: notice.id }, select: { version: true } })).toEqual([{ version: 2 }]);
  });

  it('closes acted and unacted records alike when the notice ends, and names them all in closedRecords', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC', 'FR', 'IT', 'DE']);
    const notice = await publishedNotice(http, ex, redRequest());
    const act = (c: string, body: object) =>
      http.post(`/api/notices/${notice.id}/circulation/${c}/events`).set(bearer(ex.tokens[`ncb:${c}`]!)).send(body).expect(200);
    await act('FR', { type: 'ACKNOWLEDGE' });
    await act('IT', { type: 'REPORT_HIT', details: 'Rome' });
    await act('IT', { type: 'PROVISIONAL_ARREST' });
    await act('IT', { type: 'SURRENDER' });
    const withdrawn = await send(http, ex.tokens['ncb:MC']!, notice.id, { type: 'WITHDRAW', reason: 'Surrendered' });

    const history = (await http.get(`/api/notices/${notice.id}/history`).set(bearer(ex.tokens.gs!)).expect(200)).body.items;
    const end = history.find((h: { type: string }) => h.type === 'WITHDRAW');
    expect(end.payload.closedRecords).toHaveLength(194);
    expect(end.payload.closedRecords).toContain('FR');
    expect(end.payload.closedRecords).toContain('DE');
    expect(end.payload.closedRecords).not.toContain('IT');
    expect(end.payload.closedRecords).toEqual([...end.payload.closedRecords].sort());

    const items: Record_[] = (await http.get(`/api/notices/${notice.id}/circulation`).set(bearer(ex.tokens.gs!)).expect(200)).body.items;
    const by = new Map(items.map((r) => [r.country, r]));
    expect(items).toHaveLength(195);
    expect(by.get('IT')).toMatchObject({ state: 'surrendered', version: 4 });
    expect(by.get('FR')).toMatchObject({ state: 'closed', version: 3, updatedAt: end.at });
    // An unacted record reads as the end's CLOSE would have left its row.
    expect(by.get('DE')).toEqual({ country: 'DE', state: 'closed', version: 2, updatedAt: end.at });
    expect(withdrawn.state).toBe('withdrawn');
    expect(items.filter((r) => r.state === 'closed')).toHaveLength(194);
    // Closed, a record takes no more events: the same 409 as a stored closed row.
    const late = await http.post(`/api/notices/${notice.id}/circulation/DE/events`).set(bearer(ex.tokens['ncb:DE']!)).send({ type: 'ACKNOWLEDGE' });
    expect(late.status).toBe(409);
  });

  it('counts unacted records by state in the report and the heatmap as if every record were a row', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC', 'FR', 'IT']);
    const open = await publishedNotice(http, ex, redRequest());
    const ended = await publishedNotice(http, ex, redRequest());
    await http.post(`/api/notices/${open.id}/circulation/FR/events`).set(bearer(ex.tokens['ncb:FR']!)).send({ type: 'ACKNOWLEDGE' }).expect(200);
    await http.post(`/api/notices/${ended.id}/circulation/IT/events`).set(bearer(ex.tokens['ncb:IT']!)).send({ type: 'REPORT_HIT', details: 'Rome' }).expect(200);
    await send(http, ex.tokens.gs!, ended.id, { type: 'CANCEL', reason: 'Lapsed' });

    const report = (await http.get(`/api/exercises/${ex.id}/report`).set(bearer(ex.facilitator)).expect(200)).body;
    const records = (id: string) => report.notices.find((n: { id: string }) => n.id === id).records;
    expect(records(open.id)).toEqual({ received: 194, acknowledged: 1 });
    expect(records(ended.id)).toEqual({ closed: 195 });
    const heat = (await http.get(`/api/exercises/${ex.id}/heatmap?machine=circulation`).set(bearer(ex.facilitator)).expect(200)).body;
    const states = Object.fromEntries(heat.states.map((s: { state: string; count: number }) => [s.state, s.count]));
    expect(states).toMatchObject({ received: 194, acknowledged: 1, hit: 0, closed: 195 });
  });
});
