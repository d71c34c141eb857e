import { bearer, createExercise, publishedNotice, redRequest, send, yellowRequest } from '../support/fixtures';
import { describeEachDatabase } from '../support/http';

describeEachDatabase('public extracts', (ctx) => {
  it('shows a consented published notice without warrant, fingerprints, DNA or participants, and hides the rest', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC', 'RS']);
    const subject = { ...(redRequest().subject as object), dnaRef: 'DNA-MC-2026-77', photoRef: 'photo-petrovic.jpg' };
    const consented = await publishedNotice(http, ex, redRequest({ subject, publicExtractConsent: true }));
    const unconsented = await publishedNotice(http, ex, redRequest({ publicExtractConsent: false }));
    const draft = await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens['ncb:MC']!)).send(redRequest()).expect(201);
    const child = await publishedNotice(http, ex, yellowRequest({ publicExtractConsent: true }));

    const list = await http.get(`/api/public/exercises/${ex.id}/notices`).expect(200);
    expect(list.body.items.map((n: { id: string }) => n.id).sort()).toEqual([consented.id, child.id].sort());
    const red = list.body.items.find((n: { id: string }) => n.id === consented.id);
    expect(red).toEqual({
      id: consented.id,
      type: 'RED',
      requestingCountry: 'MC',
      familyName: 'PETROVIC',
      forename: 'Marko',
      age: expect.any(Number),
      nationalities: ['RS'],
      charges: { category: 'armed_robbery', summary: 'Armed robbery of a jewellery store in Monte-Carlo' },
      photoRef: 'photo-petrovic.jpg',
    });
    const text = JSON.stringify(list.body);
    for (const secret of ['MC-2026-AW-031', 'MC-AFIS-2026-0147', 'DNA-MC-2026-77', 'Scar on the left hand', 'participant']) {
      expect(text).not.toContain(secret);
    }
    const yellow = list.body.items.find((n: { id: string }) => n.id === child.id);
    expect(yellow).toMatchObject({ type: 'YELLOW', disappearance: { date: '2026-11-01', place: 'Monte-Carlo', country: 'MC' } });
    expect(yellow.charges).toBeUndefined();

    expect((await http.get(`/api/public/exercises/${ex.id}/notices/${consented.id}`).expect(200)).body).toEqual(red);
    await http.get(`/api/public/exercises/${ex.id}/notices/${unconsented.id}`).expect(404);
    await http.get(`/api/public/exercises/${ex.id}/notices/${draft.body.id}`).expect(404);
  });

  it('drops a notice from the public list once it is suspended or withdrawn', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC']);
    const notice = await publishedNotice(http, ex, redRequest({ publicExtractConsent: true }));
    await http.get(`/api/public/exercises/${ex.id}/notices/${notice.id}`).expect(200);
    await send(http, ex.tokens['ncb:MC']!, notice.id, { type: 'SUSPEND', reason: 'Identity check' });
    await http.get(`/api/public/exercises/${ex.id}/notices/${notice.id}`).expect(404);
    await send(http, ex.tokens['ncb:MC']!, notice.id, { type: 'RESUME' });
    await http.get(`/api/public/exercises/${ex.id}/notices/${notice.id}`).expect(200);
    await send(http, ex.tokens['ncb:MC']!, notice.id, { type: 'WITHDRAW', reason: 'Arrested' });
    expect((await http.get(`/api/public/exercises/${ex.id}/notices`).expect(200)).body.items).toEqual([]);
  });

  it('keeps each exercise’s extracts to itself and answers bad ids clearly', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC']);
    const other = await createExercise(http, []);
    const notice = await publishedNotice(http, ex, redRequest({ publicExtractConsent: true }));
    await http.get(`/api/public/exercises/${other.id}/notices/${notice.id}`).expect(404);
    expect((await http.get(`/api/public/exercises/${other.id}/notices`).expect(200)).body.items).toEqual([]);
    await http.get('/api/public/exercises/6f1c1a51-2b7e-4e43-9a55-0a9a4a8c2f10/notices').expect(404);
    const bad = await http.get('/api/public/exercises/x/notices').expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toContain('params.id');
  });
});
