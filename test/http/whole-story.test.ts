import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bearer } from '../support/fixtures';
import { describeEachDatabase, type TestApp } from '../support/http';

const STORY = readFileSync(path.join(__dirname, '../../scenarios/monaco-whole-story.yaml'), 'utf8');

interface Created {
  id: string;
  facilitatorToken: string;
  participants: { key: string; token: string }[];
  injects: { scheduled: number; skipped: number; fired: number; failed: number };
}

/**
 * The seed's whole story as a scenario: Serbia's and five other countries' records loaded at the start,
 * Monaco's mark and name searches hit them, the identity established, the Red notice requested and
 * published, France's border search hits it and France reports that hit.
 */
describeEachDatabase('the whole Monaco story as a scenario', (ctx) => {
  let app: TestApp;
  beforeAll(() => {
    app = ctx();
  });

  const create = async (body: object): Promise<Created & { as: (key: string) => { Authorization: string } }> => {
    const res = await app.http.post('/api/exercises').send(body);
    if (res.status !== 201) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    const created = res.body as Created;
    return { ...created, as: (key) => bearer(created.participants.find((p) => p.key === key)!.token) };
  };
  const advance = (ex: Created, by: string) =>
    app.http.post(`/api/exercises/${ex.id}/clock`).set(bearer(ex.facilitatorToken)).send({ action: 'advance', by }).expect(200);

  it('plays end to end when every part is scripted, the hit reported on the record it came from', async () => {
    const ex = await create({ scenario: STORY });
    const records = await app.http.get(`/api/exercises/${ex.id}/records?limit=1000`).set(ex.as('evaluator')).expect(200);
    // Seven records of the story and Germany's file of sixty beside the scenario.
    expect(records.body.items).toHaveLength(67);
    expect((await advance(ex, 'P40D')).body).toMatchObject({ injectsFired: 14, injectsFailed: 0 });

    const persons = (await app.http.get(`/api/exercises/${ex.id}/persons`).set(ex.as('monaco')).expect(200)).body.items;
    expect(persons).toEqual([expect.objectContaining({ createdBy: { role: 'ncb', country: 'MC' } })]);
    const person = (
      await app.http.get(`/api/exercises/${ex.id}/persons/${persons[0].id}`).set(ex.as('monaco')).expect(200)
    ).body;
    // The mark's hit brought Serbia's prints, the name check's hits the files of Serbia and four others.
    expect(person.records.map((r: { ownerCountry: string; kind: string }) => `${r.ownerCountry} ${r.kind}`).sort()).toEqual([
      'AT nominal',
      'DE nominal',
      'HU nominal',
      'IT nominal',
      'RS fingerprints',
      'RS nominal',
    ]);
    expect(person.hits).toHaveLength(6);
    expect(person.notices).toEqual([expect.objectContaining({ requestingCountry: 'MC', state: 'withdrawn' })]);

    const hits = (await app.http.get(`/api/exercises/${ex.id}/hits?limit=1000`).set(ex.as('france')).expect(200)).body.items;
    // At the border: the Croatian passport is a stolen blank, the name is the Red notice's.
    expect(hits.filter((h: { kind: string }) => h.kind === 'sltd')).toEqual([expect.objectContaining({ ownerCountry: 'HR' })]);
    const onNotice = hits.filter((h: { kind: string }) => h.kind === 'notice');
    expect(onNotice).toEqual([
      expect.objectContaining({ noticeId: person.notices[0].id, reportedAt: expect.any(String), personId: person.id }),
    ]);
    const report = (await app.http.get(`/api/exercises/${ex.id}/report`).set(bearer(ex.facilitatorToken)).expect(200)).body;
    expect(report.summary).toMatchObject({ score: 70, maxScore: 70 });
    // The debrief counts the searches and hits, and how long each hit waited for what followed it.
    const { databases } = report;
    expect(databases).toMatchObject({ searches: 4, hits: databases.hitList.length });
    const hitsBy = (country: string) =>
      databases.hitList.filter((h: { searcher: { country: string } }) => h.searcher.country === country).length;
    expect(databases.byParticipant).toEqual([
      { role: 'ncb', country: 'FR', searches: 2, hits: hitsBy('FR') },
      { role: 'ncb', country: 'MC', searches: 2, hits: hitsBy('MC') },
    ]);
    // Monaco's mark found Serbia's prints, its name check Serbia's file and four others'.
    expect(hitsBy('MC')).toBe(6);
    const followed = (kind: string, country: string) =>
      databases.hitList.find((h: { kind: string; searcher: { country: string } }) => h.kind === kind && h.searcher.country === country);
    // France reported the border hit eight minutes after its search; Monaco requested the notice 2½ hours after the mark.
    expect(followed('notice', 'FR')).toMatchObject({ followedBy: 'REPORT_HIT', seconds: 8 * 60 });
    expect(followed('fingerprints', 'MC')).toMatchObject({ followedBy: 'REQUEST', seconds: 150 * 60 });
    expect(followed('sltd', 'FR')).toMatchObject({ followedBy: null, seconds: null });
  });

  it('loads its records again into the next run after a reset', async () => {
    const ex = await create({ scenario: STORY, teams: ['monaco'], freezeWhilePaused: false });
    const count = async (run?: number) =>
      (
        await app.http
          .get(`/api/exercises/${ex.id}/records?limit=1000${run ? `&run=${run}` : ''}`)
          .set(ex.as('evaluator'))
          .expect(200)
      ).body.items.length;
    // Monaco is a team: its own mark search hits Serbia's prints, as the script's would.
    const mark = await app.http
      .post(`/api/exercises/${ex.id}/searches`)
      .set(ex.as('monaco'))
      .send({ kind: 'fingerprints', template: 'RS-AFIS-2019-004711' })
      .expect(200);
    expect(mark.body.hits).toEqual([expect.objectContaining({ kind: 'fingerprints', ownerCountry: 'RS' })]);
    await app.http.post(`/api/exercises/${ex.id}/reset`).set(bearer(ex.facilitatorToken)).expect(200);
    expect(await count()).toBe(67);
    expect(await count(1)).toBe(67);
    const hits = async (run: number) =>
      (await app.http.get(`/api/exercises/${ex.id}/hits?run=${run}`).set(ex.as('monaco')).expect(200)).body.items;
    expect(await hits(1)).toHaveLength(1);
    expect(await hits(2)).toEqual([]);
  });

  it('resets an exercise whose scenario was stored before scenarios had records', async () => {
    const ex = await create({ scenario: STORY });
    await app.db.prisma.$executeRaw`UPDATE exercises SET scenario = scenario - 'records' WHERE id = ${ex.id}::uuid`;
    await app.http.post(`/api/exercises/${ex.id}/reset`).set(bearer(ex.facilitatorToken)).expect(200);
    const records = await app.http.get(`/api/exercises/${ex.id}/records`).set(ex.as('evaluator')).expect(200);
    expect(records.body.items).toEqual([]);
  });

  it('refuses a scenario that names a file of records the server’s scenarios folder does not hold', async () => {
    const res = await app.http
      .post('/api/exercises')
      .send({ scenario: STORY.replace('monaco-whole-story-germany.csv', 'nowhere.csv') })
      .expect(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'body.scenario.records' })]);
  });
});
