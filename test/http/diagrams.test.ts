import { execFileSync } from 'node:child_process';
import { bearer, createExercise, publishedNotice, redRequest, send, yellowRequest } from '../support/fixtures';
import { describeEachDatabase } from '../support/http';
import { hasDot } from '../support/tools';

const dotAvailable = hasDot();

describeEachDatabase('diagrams and heatmaps', (ctx) => {
  it('lists the machines and gives each as JSON, Mermaid, DOT and SCXML, with no token needed', async () => {
    const { http } = ctx();
    const list = await http.get('/api/machines').expect(200);
    expect(list.body.items.map((m: { id: string }) => m.id)).toEqual(['notice-red', 'notice-yellow', 'circulation']);
    const json = (await http.get('/api/machines/notice-yellow').expect(200)).body;
    expect(json.states.find((s: { id: string }) => s.id === 'located')).toEqual(expect.objectContaining({ final: false }));
    expect(json.states.filter((s: { final: boolean }) => s.final).map((s: { id: string }) => s.id)).toEqual(['refused', 'withdrawn', 'cancelled', 'expired', 'deleted']);
    expect(json.transitions).toContainEqual(expect.objectContaining({ source: 'published', event: 'REPORT_LOCATED', target: 'located', roles: ['ncb (any)'] }));
    expect(json.definition).toMatchObject({ id: 'notice-yellow' });
    const mermaid = await http.get('/api/machines/circulation?format=mermaid').expect(200);
    expect(mermaid.headers['content-type']).toMatch(/^text\/vnd\.mermaid/);
    expect(mermaid.text).toContain('hit --> provisional_arrest : PROVISIONAL_ARREST');
    const dot = await http.get('/api/machines/notice-red?format=dot').expect(200);
    expect(dot.headers['content-type']).toMatch(/^text\/vnd\.graphviz/);
    if (dotAvailable) expect(execFileSync('dot', ['-Tsvg'], { input: dot.text }).toString()).toContain('<svg');
    const scxml = await http.get('/api/machines/notice-red?format=scxml').expect(200);
    expect(scxml.headers['content-type']).toMatch(/^application\/scxml\+xml/);
    expect(scxml.text).toContain('<final id="expired"/>');
  });

  it.each([
    ['/api/machines/notice-blue', 'params.id'],
    ['/api/machines/notice-red?format=png', 'query.format'],
    ['/api/machines/notice-red?colour=red', 'query'],
  ])('answers %s with 400 naming %s', async (url, field) => {
    const res = await ctx().http.get(url).expect(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ field: expect.stringContaining(field) })]);
  });

  it('draws a notice with its current state highlighted and the transitions it took counted', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC', 'FR', 'RS']);
    const notice = await publishedNotice(http, ex, redRequest());
    await send(http, ex.tokens['ncb:MC']!, notice.id, { type: 'SUSPEND', reason: 'Checking a report' });
    await send(http, ex.tokens['ncb:MC']!, notice.id, { type: 'RESUME' });
    const json = (await http.get(`/api/notices/${notice.id}/diagram?format=json`).set(bearer(ex.tokens.gs!)).expect(200)).body;
    expect(json.current).toBe('published');
    const count = (source: string, event: string) => json.transitions.find((t: { source: string; event: string }) => t.source === source && t.event === event).count;
    expect([count('draft', 'SUBMIT'), count('under_review', 'APPROVE'), count('published', 'SUSPEND'), count('suspended', 'RESUME'), count('published', 'WITHDRAW')]).toEqual([1, 1, 1, 1, 0]);
    const mermaid = await http.get(`/api/notices/${notice.id}/diagram`).set(bearer(ex.tokens['ncb:MC']!)).expect(200);
    expect(mermaid.text).toContain('class published current');
    expect(mermaid.text).toMatch(/published --> suspended : SUSPEND · by ncb \(owner\) · ×1/);
    const dot = await http.get(`/api/notices/${notice.id}/diagram?format=dot`).set(bearer(ex.tokens['ncb:FR']!)).expect(200);
    expect(dot.text).toContain('"published" [label="published", style="rounded,filled,bold"');
    if (dotAvailable) expect(execFileSync('dot', ['-Tsvg'], { input: dot.text }).toString()).toContain('<svg');
    // Not visible, not there: a country it was not circulated to, another exercise.
    const stranger = await createExercise(http, ['IT']);
    await http.get(`/api/notices/${notice.id}/diagram`).set(bearer(stranger.tokens['ncb:IT']!)).expect(404);
  });

  it('counts, over an exercise, where the notices and records are and which transitions they took', async () => {
    const { http } = ctx();
    const ex = await createExercise(http, ['MC', 'FR', 'RS']);
    const a = await publishedNotice(http, ex, redRequest());
    await publishedNotice(http, ex, redRequest());
    const child = await publishedNotice(http, ex, yellowRequest());
    await http.post(`/api/notices/${a.id}/circulation/FR/events`).set(bearer(ex.tokens['ncb:FR']!)).send({ type: 'ACKNOWLEDGE' }).expect(200);
    await send(http, ex.tokens['ncb:MC']!, a.id, { type: 'WITHDRAW', reason: 'Arrested' });
    const red = (await http.get(`/api/exercises/${ex.id}/heatmap?machine=notice-red`).set(bearer(ex.tokens.observer!)).expect(200)).body;
    const state = (s: string) => red.states.find((x: { state: string }) => x.state === s).count;
    expect([state('published'), state('withdrawn'), state('draft')]).toEqual([1, 1, 0]);
    const taken = (body: typeof red, source: string, event: string) =>
      body.transitions.find((t: { source: string; event: string }) => t.source === source && t.event === event).count;
    expect([taken(red, 'under_review', 'APPROVE'), taken(red, 'published', 'WITHDRAW')]).toEqual([2, 1]);
    const records = (await http.get(`/api/exercises/${ex.id}/heatmap?machine=circulation`).set(bearer(ex.facilitator)).expect(200)).body;
    const recordState = (s: string) => records.states.find((x: { state: string }) => x.state === s).count;
    // Three notices of 195 records each; the withdrawn one's closed, France's acknowledgement among them.
    expect([recordState('received'), recordState('closed'), recordState('acknowledged')]).toEqual([390, 195, 0]);
    expect([taken(records, 'received', 'ACKNOWLEDGE'), taken(records, 'acknowledged', 'CLOSE'), taken(records, 'received', 'CLOSE')]).toEqual([1, 1, 194]);
    const yellow = await http.get(`/api/exercises/${ex.id}/heatmap?machine=notice-yellow&format=mermaid`).set(bearer(ex.tokens.gs!)).expect(200);
    expect(yellow.text).toContain('published : published (1)');
    expect(child.state).toBe('published');
    await http.get(`/api/exercises/${ex.id}/heatmap?machine=notice-red`).set(bearer(ex.tokens['ncb:MC']!)).expect(403);
    await http.get(`/api/exercises/${ex.id}/heatmap`).set(bearer(ex.tokens.gs!)).expect(400);
  });
});
