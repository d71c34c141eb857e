import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { bearer } from '../support/fixtures';
import { describeEachDatabase, type TestApp } from '../support/http';

const MONACO = readFileSync(path.join(__dirname, '../../scenarios/monaco-fingerprints.yaml'), 'utf8');
const HIT = '<img src=x onerror=alert(1)> Identified at Nice airport';
const ARREST = 'Held by the <b>border police</b> & brought before the judge';

interface Created {
  id: string;
  facilitatorToken: string;
  participants: { key: string; token: string }[];
}

describeEachDatabase('the debrief tells the story', (ctx) => {
  async function play(app: TestApp) {
    const created = (await app.http.post('/api/exercises').send({ scenario: MONACO, teams: ['france'] }).expect(201)).body as Created;
    const facilitator = bearer(created.facilitatorToken);
    const clock = (body: object) => app.http.post(`/api/exercises/${created.id}/clock`).set(facilitator).send(body).expect(200);
    // The clock runs (teams may act), so slowly that only the facilitator's advances move it.
    await clock({ action: 'resume' });
    await clock({ action: 'set_speed', speed: 0.001 });
    await clock({ action: 'advance', by: 'P8D' });
    const notice = (await app.http.get(`/api/exercises/${created.id}/notices`).set(facilitator).expect(200)).body.items[0];
    const france = bearer(created.participants.find((p) => p.key === 'france')!.token);
    const record = (body: object) =>
      app.http.post(`/api/notices/${notice.id}/circulation/FR/events`).set(france).send(body).expect(200);
    await record({ type: 'REPORT_HIT', details: HIT });
    await clock({ action: 'advance', by: 'PT51M' });
    await record({ type: 'PROVISIONAL_ARREST', details: ARREST });
    await clock({ action: 'advance', by: 'P20D' });
    await record({ type: 'SURRENDER' });
    await clock({ action: 'advance', by: 'P5D' });
    return { id: created.id, facilitator };
  }

  it('times France’s arrest from its own hit, and shows what France typed in the JSON and the HTML report', async () => {
    const app = ctx();
    const { id, facilitator } = await play(app);
    const report = (await app.http.get(`/api/exercises/${id}/report`).set(facilitator).expect(200)).body;

    const france = report.participants.find((p: { key: string }) => p.key === 'france');
    expect(france.label).toBe('NCB Paris (France)');
    const arrest = france.responses.find((r: { type: string }) => r.type === 'PROVISIONAL_ARREST');
    const hit = report.timeline.find((e: { type: string }) => e.type === 'REPORT_HIT');
    expect(arrest).toMatchObject({ rule: 'arrest', country: 'FR', after: { type: 'REPORT_HIT', seq: hit.seq, country: 'FR', at: hit.at }, seconds: 51 * 60 });
    // Monaco's scripted withdrawal answers the surrender that achieved the purpose.
    const monaco = report.participants.find((p: { key: string }) => p.key === 'monaco');
    expect(monaco.responses.find((r: { type: string }) => r.type === 'WITHDRAW')).toMatchObject({ rule: 'purpose', after: { type: 'SURRENDER', country: 'FR' } });

    expect(hit).toMatchObject({ actor: { participant: 'france', name: 'NCB Paris (France)' }, typed: [{ field: 'details', label: 'Details', text: HIT }] });
    const arrested = report.timeline.find((e: { type: string }) => e.type === 'PROVISIONAL_ARREST');
    expect(arrested.typed).toEqual([{ field: 'details', label: 'Details', text: ARREST }]);

    const html = (await app.http.get(`/api/exercises/${id}/report?format=html`).set(facilitator).expect(200)).text;
    // The typed text shows as text: escaped in the tables and in the charts' labels, never as markup.
    expect(html).not.toMatch(/<img|<b>|<script|https?:\/\/(?!www\.w3\.org)/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; Identified at Nice airport');
    expect(html).toContain('Held by the &lt;b&gt;border police&lt;/b&gt; &amp; brought before the judge');
    expect(html).toContain('51m after 6 Hit reported (FR)');
    expect(html).toContain('How response times are measured');
    expect(html).toContain('NCB Paris (France)');
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(3);
    for (const svg of svgs) expect(XMLValidator.validate(svg)).toBe(true);
    // The hit's and the arrest's labels both print, with what France typed, shortened.
    expect(svgs[1]).toContain('>6 Hit reported (FR): &lt;img src=x onerror=alert(1)&gt; Identifie…</text>');
    expect(svgs[1]).toContain('>7 Provisionally arrested (FR): Held by the &lt;b&gt;border police…</text>');
  });
});
