import { bearer, createExercise, publishedNotice, redRequest } from '../support/fixtures';
import { describeEachDatabase } from '../support/http';

describeEachDatabase('record events without the notice lock', (ctx) => {
  it('loses and duplicates nothing when many ACKNOWLEDGE and REPORT_HIT race on one notice’s records', async () => {
    const { http, db } = ctx();
    const countries = ['FR', 'IT', 'DE', 'ES', 'RS', 'AT', 'CH', 'BE', 'NL', 'PT', 'PL', 'GR'];
    const ex = await createExercise(http, ['MC', ...countries]);
    const notice = await publishedNotice(http, ex, redRequest());
    const sent = countries.flatMap((c) =>
      [{ type: 'ACKNOWLEDGE' }, { type: 'ACKNOWLEDGE' }, { type: 'REPORT_HIT', details: `Seen in ${c}` }].map((body) => ({ c, body })),
    );
    const responses = await Promise.all(
      sent.map(({ c, body }) => http.post(`/api/notices/${notice.id}/circulation/${c}/events`).set(bearer(ex.tokens[`ncb:${c}`]!)).send(body)),
    );
    // A refusal is a 409 (the record moved on, or no longer takes the event), never a 500.
    for (const r of responses) expect([200, 409]).toContain(r.status);
    const accepted = new Map<string, number>();
    responses.forEach((r, i) => {
      if (r.status === 200) accepted.set(sent[i]!.c, (accepted.get(sent[i]!.c) ?? 0) + 1);
    });

    const history = (await http.get(`/api/notices/${notice.id}/history`).set(bearer(ex.tokens.gs!)).expect(200)).body.items;
    expect(history.map((h: { seq: number }) => h.seq)).toEqual(history.map((_: unknown, i: number) => i + 1));
    const records = (await http.get(`/api/notices/${notice.id}/circulation`).set(bearer(ex.tokens.gs!)).expect(200)).body.items;
    const byCountry = new Map(records.map((r: { country: string }) => [r.country, r]));
    for (const c of countries) {
      const events = history.filter((h: { country: string | null }) => h.country === c);
      expect({ c, events: events.length }).toEqual({ c, events: accepted.get(c) ?? 0 });
      // Every REPORT_HIT gets in (from received or acknowledged); at most one ACKNOWLEDGE, and only before it.
      expect(events.map((h: { type: string }) => h.type).filter((t: string) => t === 'REPORT_HIT')).toHaveLength(1);
      expect(byCountry.get(c)).toMatchObject({ state: 'hit', version: 1 + events.length });
      // Each move starts where the one before ended.
      events.forEach((h: { from: string }, i: number) => expect(h.from).toBe(i === 0 ? 'received' : events[i - 1].to));
    }
    const stored = await db.prisma.noticeEvent.findMany({ where: { noticeId: notice.id }, select: { exerciseSeq: true } });
    expect(new Set(stored.map((e) => e.exerciseSeq)).size).toBe(stored.length);
    expect(await db.prisma.circulationRecord.count({ where: { noticeId: notice.id } })).toBe(countries.length);
  });

  it('answers each of the record events that arrive together on its own, whatever the others read', async () => {
    // Their first reads go as one query: each must get its own notice and record, or its own 404.
    const { http } = ctx();
    const ex = await createExercise(http, ['MC', 'FR', 'IT', 'DE']);
    const first = await publishedNotice(http, ex, redRequest());
    const second = await publishedNotice(http, ex, redRequest());
    const missing = '00000000-0000-4000-8000-000000000000';
    const sent = [
      { id: first.id, c: 'FR', body: { type: 'ACKNOWLEDGE' } },
      { id: missing, c: 'FR', body: { type: 'ACKNOWLEDGE' } },
      { id: second.id, c: 'IT', body: { type: 'REPORT_HIT', details: 'Seen in Milan' } },
      { id: first.id, c: 'DE', body: { type: 'REPORT_HIT', details: 'Seen in Berlin' } },
      { id: second.id, c: 'FR', body: { type: 'ACKNOWLEDGE' } },
    ];
    const responses = await Promise.all(
      sent.map(({ id, c, body }) => http.post(`/api/notices/${id}/circulation/${c}/events`).set(bearer(ex.tokens[`ncb:${c}`]!)).send(body)),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 404, 200, 200, 200]);
    expect(responses.map((r) => r.body.state)).toEqual(['acknowledged', undefined, 'hit', 'hit', 'acknowledged']);
    const recordsOf = async (id: string) =>
      (await http.get(`/api/notices/${id}/circulation`).set(bearer(ex.tokens.gs!)).expect(200)).body.items
        .filter((r: { country: string }) => ['FR', 'IT', 'DE'].includes(r.country))
        .map((r: { country: string; state: string }) => [r.country, r.state]);
    expect(await recordsOf(first.id)).toEqual([['DE', 'hit'], ['FR', 'acknowledged'], ['IT', 'received']]);
    expect(await recordsOf(second.id)).toEqual([['DE', 'received'], ['FR', 'acknowledged'], ['IT', 'hit']]);
  });
});
