import { bearer, createExercise, publishedNotice, redRequest } from '../support/fixtures';
import { describeEachDatabase } from '../support/http';

describeEachDatabase('concurrent events on one notice', (ctx) => {
  it('applies exactly one of 20 parallel SUBMITs and answers the other nineteen with 409', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC']);
    const mc = bearer(ex.tokens['ncb:MC']!);
    const created = await http.post(`/api/exercises/${ex.id}/notices`).set(mc).send(redRequest()).expect(201);

    const responses = await Promise.all(
      Array.from({ length: 20 }, () => http.post(`/api/notices/${created.body.id}/events`).set(mc).send({ type: 'SUBMIT' })),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const r of responses.filter((x) => x.status === 409)) {
      expect(['INVALID_TRANSITION', 'STALE_VERSION']).toContain(r.body.error.code);
    }

    const notice = await http.get(`/api/notices/${created.body.id}`).set(mc).expect(200);
    expect(notice.body).toMatchObject({ state: 'submitted', version: 2 });
    const history = await http.get(`/api/notices/${created.body.id}/history`).set(mc).expect(200);
    expect(history.body.items.map((h: { type: string }) => h.type)).toEqual(['CREATE', 'SUBMIT']);
  });

  it('lets one of a WITHDRAW and a CANCEL racing on the same version win, never both', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC']);
    const notice = await publishedNotice(http, ex, redRequest());
    const [withdraw, cancel] = await Promise.all([
      http.post(`/api/notices/${notice.id}/events`).set(bearer(ex.tokens['ncb:MC']!)).set('If-Match', String(notice.version)).send({ type: 'WITHDRAW', reason: 'found' }),
      http.post(`/api/notices/${notice.id}/events`).set(bearer(ex.tokens.gs!)).set('If-Match', String(notice.version)).send({ type: 'CANCEL', reason: 'lapsed' }),
    ]);
    expect([withdraw!.status, cancel!.status].sort()).toEqual([200, 409]);
    const history = await http.get(`/api/notices/${notice.id}/history`).set(bearer(ex.tokens.gs!)).expect(200);
    const finals = history.body.items.filter((h: { type: string }) => h.type === 'WITHDRAW' || h.type === 'CANCEL');
    expect(finals).toHaveLength(1);
    expect(finals[0].payload.closedRecords).toHaveLength(195);
  });

  it('records parallel events on different circulation records with gap-free history', async () => {
    const { http } = ctx();
    const countries = ['FR', 'IT', 'DE', 'ES', 'RS', 'AT', 'CH', 'BE'];
    const ex = await createExercise(http, ['MC', ...countries]);
    const notice = await publishedNotice(http, ex, redRequest());
    const responses = await Promise.all(
      countries.map((c) =>
        http.post(`/api/notices/${notice.id}/circulation/${c}/events`).set(bearer(ex.tokens[`ncb:${c}`]!)).send({ type: 'ACKNOWLEDGE' }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(countries.map(() => 200));
    const history = await http.get(`/api/notices/${notice.id}/history`).set(bearer(ex.tokens.gs!)).expect(200);
    expect(history.body.items.map((h: { seq: number }) => h.seq)).toEqual(history.body.items.map((_: unknown, i: number) => i + 1));
    expect(history.body.items.filter((h: { type: string }) => h.type === 'ACKNOWLEDGE').map((h: { country: string }) => h.country).sort()).toEqual(
      [...countries].sort(),
    );
  });

  it('races circulation events against a CANCEL without a deadlock or a 500: every record ends closed', async () => {
    const { http } = ctx();
    const countries = ['FR', 'IT', 'DE', 'ES', 'RS', 'AT', 'CH', 'BE', 'NL', 'PT', 'PL', 'GR'];
    const ex = await createExercise(http, ['MC', ...countries]);
    const notice = await publishedNotice(http, ex, redRequest());
    const acks = countries.map((c) =>
      http.post(`/api/notices/${notice.id}/circulation/${c}/events`).set(bearer(ex.tokens[`ncb:${c}`]!)).send({ type: 'ACKNOWLEDGE' }),
    );
    const cancel = http.post(`/api/notices/${notice.id}/events`).set(bearer(ex.tokens.gs!)).send({ type: 'CANCEL', reason: 'Conditions lapsed' });
    const [cancelled, ...acked] = await Promise.all([cancel, ...acks]);
    expect(cancelled!.status).toBe(200);
    for (const r of acked) expect([200, 409]).toContain(r.status);

    const records = await http.get(`/api/notices/${notice.id}/circulation`).set(bearer(ex.tokens.gs!)).expect(200);
    expect(new Set(records.body.items.map((r: { state: string }) => r.state))).toEqual(new Set(['closed']));
    const history = await http.get(`/api/notices/${notice.id}/history`).set(bearer(ex.tokens.gs!)).expect(200);
    const types = history.body.items.map((h: { type: string }) => h.type);
    expect(types.filter((t: string) => t === 'ACKNOWLEDGE')).toHaveLength(acked.filter((r) => r.status === 200).length);
    // Acknowledgements that got in did so before the cancellation closed their records.
    expect(types.slice(types.indexOf('CANCEL'))).not.toContain('ACKNOWLEDGE');
    expect(history.body.items.map((h: { seq: number }) => h.seq)).toEqual(history.body.items.map((_: unknown, i: number) => i + 1));
  });

  it('serialises one country’s racing ACKNOWLEDGE and REPORT_HIT: each sees the state the other left', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC', 'FR']);
    const fr = bearer(ex.tokens['ncb:FR']!);
    for (let trial = 0; trial < 5; trial++) {
      const notice = await publishedNotice(http, ex, redRequest());
      const post = (body: object) => http.post(`/api/notices/${notice.id}/circulation/FR/events`).set(fr).send(body);
      const [ack, hit] = await Promise.all([post({ type: 'ACKNOWLEDGE' }), post({ type: 'REPORT_HIT', details: 'Nice' })]);
      // The hit always lands: from received or from acknowledged. The acknowledgement lands only if it came first.
      expect(hit!.status).toBe(200);
      if (ack!.status !== 200) expect(ack!.body.error).toMatchObject({ code: 'INVALID_TRANSITION', details: { state: 'hit' } });
    }
  });
});
