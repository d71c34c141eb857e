import { readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { buildServices } from '../../src/server';
import { bearer, createExercise, publishedNotice, redRequest, send } from '../support/fixtures';
import { openTestDatabase } from '../support/databases';
import { createTestApp, describeEachDatabase, type Agent } from '../support/http';

const MONACO = readFileSync(path.join(__dirname, '../../scenarios/monaco-fingerprints.yaml'), 'utf8');
const MARKUP = '<img src=x onerror="alert(1)">&amp; Dupont';

interface Created {
  id: string;
  facilitatorToken: string;
  participants: { key: string; id: string; role: string; country?: string; name?: string; token: string }[];
}

async function fromScenario(http: Agent, body: object): Promise<Created & { token: (key: string) => string; idOf: (key: string) => string }> {
  const created = (await http.post('/api/exercises').send(body).expect(201)).body as Created;
  const find = (key: string) => created.participants.find((p) => p.key === key)!;
  return { ...created, token: (key) => find(key).token, idOf: (key) => find(key).id };
}

const clock = (http: Agent, ex: Created, body: object) => http.post(`/api/exercises/${ex.id}/clock`).set(bearer(ex.facilitatorToken)).send(body).expect(200);

const participants = async (http: Agent, exerciseId: string, facilitator: string) =>
  (await http.get(`/api/exercises/${exerciseId}/participants`).set(bearer(facilitator)).expect(200)).body.items as {
    id: string;
    role: string;
    country?: string;
    key?: string;
    name?: string;
  }[];

/** The sign-in tokens a token sheet carries, in card order. */
const tokensIn = (html: string) => [...html.matchAll(/#token=([A-Za-z0-9_%-]+)/g)].map((m) => decodeURIComponent(m[1]!));

describeEachDatabase('the facilitator console', (ctx) => {
  describe('participant names', () => {
    it('takes a name, and shows it in the answer, the list, /api/me and the history actors, as text', async () => {
      const { http } = ctx();
      const ex = await createExercise(http, ['MC']);
      const added = await http.post(`/api/exercises/${ex.id}/participants`).set(bearer(ex.facilitator)).send({ role: 'observer', name: 'Instructor Dupont' }).expect(201);
      expect(added.body).toMatchObject({ role: 'observer', name: 'Instructor Dupont' });
      expect(added.headers['cache-control']).toBe('no-store');
      const ncb = await http.post(`/api/exercises/${ex.id}/participants`).set(bearer(ex.facilitator)).send({ role: 'ncb', country: 'FR', name: `  ${MARKUP}  ` }).expect(201);
      expect(ncb.body.name).toBe(MARKUP);

      const list = await participants(http, ex.id, ex.facilitator);
      expect(list.find((p) => p.id === added.body.id)?.name).toBe('Instructor Dupont');
      expect(list.find((p) => p.id === ncb.body.id)?.name).toBe(MARKUP);
      expect(list.find((p) => p.role === 'gs')).not.toHaveProperty('name');

      const me = await http.get('/api/me').set(bearer(added.body.token)).expect(200);
      expect(me.body).toMatchObject({ participantId: added.body.id, role: 'observer', name: 'Instructor Dupont' });
      expect((await http.get('/api/me').set(bearer(ex.tokens.gs!)).expect(200)).body).not.toHaveProperty('name');

      // France, named with markup, reports a hit: the history names it, as the text it is.
      const notice = await publishedNotice(http, ex, redRequest());
      await http.post(`/api/notices/${notice.id}/circulation/FR/events`).set(bearer(ncb.body.token)).send({ type: 'REPORT_HIT', details: 'Nice' }).expect(200);
      const history = await http.get(`/api/notices/${notice.id}/history`).set(bearer(ex.tokens.gs!)).expect(200);
      const hit = history.body.items.find((h: { type: string }) => h.type === 'REPORT_HIT');
      expect(hit.actor).toEqual({ role: 'ncb', country: 'FR', name: MARKUP });
      expect(history.body.items.find((h: { type: string }) => h.type === 'SUBMIT').actor).toEqual({ role: 'ncb', country: 'MC' });
    });

    it('refuses a name over 100 characters or of white space only, naming the field', async () => {
      const { http } = ctx();
      const ex = await createExercise(http, []);
      for (const name of ['x'.repeat(101), '   ']) {
        const res = await http.post(`/api/exercises/${ex.id}/participants`).set(bearer(ex.facilitator)).send({ role: 'observer', name }).expect(400);
        expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['body.name']);
      }
      await http.post(`/api/exercises/${ex.id}/participants`).set(bearer(ex.facilitator)).send({ role: 'observer', name: 'x'.repeat(100) }).expect(201);
    });

    it('lists a scenario’s participants with their keys and names', async () => {
      const { http } = ctx();
      const ex = await fromScenario(http, { scenario: MONACO });
      const list = await participants(http, ex.id, ex.facilitatorToken);
      expect(list.map((p) => [p.key ?? null, p.name ?? null])).toEqual([
        [null, null],
        ['monaco', 'NCB Monaco'],
        ['france', 'NCB Paris'],
        ['serbia', 'NCB Belgrade'],
        ['italy', 'NCB Rome'],
        ['secretariat', 'Notices and Diffusions Task Force'],
        ['evaluator', null],
      ]);
      expect((await http.get('/api/me').set(bearer(ex.token('france'))).expect(200)).body).toMatchObject({ key: 'france', name: 'NCB Paris', country: 'FR' });
    });
  });

  describe('re-issuing a token', () => {
    it('gives the same participant a new token and refuses the old one from then on', async () => {
      const { http } = ctx();
      const ex = await createExercise(http, ['MC']);
      const mc = (await participants(http, ex.id, ex.facilitator)).find((p) => p.country === 'MC')!;
      const notice = await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens['ncb:MC']!)).send(redRequest()).expect(201);

      const res = await http.post(`/api/exercises/${ex.id}/participants/${mc.id}/token`).set(bearer(ex.facilitator)).expect(201);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toEqual({ id: mc.id, role: 'ncb', country: 'MC', token: expect.stringMatching(/^nst_/) });
      expect(res.body.token).not.toBe(ex.tokens['ncb:MC']);
      await http.get('/api/me').set(bearer(ex.tokens['ncb:MC']!)).expect(401);
      expect((await http.get('/api/me').set(bearer(res.body.token)).expect(200)).body.participantId).toBe(mc.id);
      // Still the requester: its notice is its own.
      await send(http, res.body.token, notice.body.id, { type: 'SUBMIT' });
      expect(await participants(http, ex.id, ex.facilitator)).toHaveLength(5);
    });

    it('answers 404 for an unknown, revoked or other exercise’s participant, and 403 to anyone but the facilitator', async () => {
      const { http } = ctx();
      const ex = await createExercise(http, ['MC']);
      const other = await createExercise(http, []);
      const list = await participants(http, ex.id, ex.facilitator);
      const gs = list.find((p) => p.role === 'gs')!;
      const observer = list.find((p) => p.role === 'observer')!;
      await http.post(`/api/exercises/${ex.id}/participants/6f1c1a51-2b7e-4e43-9a55-0a9a4a8c2f10/token`).set(bearer(ex.facilitator)).expect(404);
      await http.post(`/api/exercises/${other.id}/participants/${gs.id}/token`).set(bearer(other.facilitator)).expect(404);
      await http.post(`/api/exercises/${ex.id}/participants/${gs.id}/token`).set(bearer(other.facilitator)).expect(404);
      for (const token of [ex.tokens.gs!, ex.tokens.observer!, ex.tokens['ncb:MC']!]) {
        await http.post(`/api/exercises/${ex.id}/participants/${gs.id}/token`).set(bearer(token)).expect(403);
      }
      await http.delete(`/api/exercises/${ex.id}/participants/${observer.id}`).set(bearer(ex.facilitator)).expect(204);
      await http.post(`/api/exercises/${ex.id}/participants/${observer.id}/token`).set(bearer(ex.facilitator)).expect(404);
      await http.get('/api/me').set(bearer(ex.tokens.observer!)).expect(401);
      await http.get('/api/me').set(bearer(ex.tokens.gs!)).expect(200);
    });

    it('lets the facilitator re-issue its own token: the old one stops, the answer carries the new one', async () => {
      const { http } = ctx();
      const ex = await createExercise(http, []);
      const self = (await participants(http, ex.id, ex.facilitator)).find((p) => p.role === 'facilitator')!;
      const res = await http.post(`/api/exercises/${ex.id}/participants/${self.id}/token`).set(bearer(ex.facilitator)).expect(201);
      expect(res.body).toMatchObject({ id: self.id, role: 'facilitator' });
      await http.get(`/api/exercises/${ex.id}/participants`).set(bearer(ex.facilitator)).expect(401);
      await http.get(`/api/exercises/${ex.id}/participants`).set(bearer(res.body.token)).expect(200);
    });
  });

  describe('the token sheet', () => {
    it('issues fresh tokens for every participant but the facilitator and prints a card for each, escaped', async () => {
      const { http } = ctx();
      const ex = await fromScenario(http, { scenario: MONACO.replace('name: NCB Paris', `name: '${MARKUP}'`) });
      const res = await http.post(`/api/exercises/${ex.id}/token-sheet`).set(bearer(ex.facilitatorToken)).send({}).expect(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      const html = res.text;
      expect(html.match(/<section class="card">/g)).toHaveLength(6);
      expect(html).not.toContain('<img');
      expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;amp; Dupont');
      for (const words of ['National Central Bureau', 'General Secretariat', 'Observer', 'Monaco', 'France', 'Serbia', 'Monaco fingerprints', 'NCB Belgrade', '@page { size: A4']) {
        expect(html).toContain(words);
      }
      expect(html.match(/<svg/g)).toHaveLength(6);
      // Self-contained: no script, nothing loaded from elsewhere.
      expect(html).not.toMatch(/<script|<link|<img|url\(/i);
      const addresses = html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '').match(/https?:\/\//g);
      expect(addresses).toHaveLength(6);

      const tokens = tokensIn(html);
      expect(tokens).toHaveLength(6);
      expect(html).toContain(`http://localhost:3000/#token=${tokens[0]}`);
      const me = await Promise.all(tokens.map(async (t) => (await http.get('/api/me').set(bearer(t)).expect(200)).body.key));
      expect(me).toEqual(['monaco', 'france', 'serbia', 'italy', 'secretariat', 'evaluator']);
      for (const p of ex.participants) await http.get('/api/me').set(bearer(p.token)).expect(401);
      await http.get('/api/me').set(bearer(ex.facilitatorToken)).expect(200);
    });

    it('re-issues only the participants named, and changes nothing when one of them is not a participant', async () => {
      const { http } = ctx();
      const ex = await fromScenario(http, { scenario: MONACO });
      const other = await createExercise(http, []);
      const otherGs = (await participants(http, other.id, other.facilitator)).find((p) => p.role === 'gs')!;
      const bad = await http
        .post(`/api/exercises/${ex.id}/token-sheet`)
        .set(bearer(ex.facilitatorToken))
        .send({ participants: [ex.idOf('france'), otherGs.id] })
        .expect(400);
      expect(bad.body.error.details).toEqual([{ field: 'body.participants.1', message: 'is not a participant of this exercise' }]);
      await http.get('/api/me').set(bearer(ex.token('france'))).expect(200);

      const res = await http.post(`/api/exercises/${ex.id}/token-sheet`).set(bearer(ex.facilitatorToken)).send({ participants: [ex.idOf('france'), ex.idOf('france')] }).expect(200);
      const [france] = tokensIn(res.text);
      expect(tokensIn(res.text)).toHaveLength(1);
      expect((await http.get('/api/me').set(bearer(france!)).expect(200)).body.key).toBe('france');
      await http.get('/api/me').set(bearer(ex.token('france'))).expect(401);
      await http.get('/api/me').set(bearer(ex.token('monaco'))).expect(200);
      await http.post(`/api/exercises/${ex.id}/token-sheet`).set(bearer(ex.token('evaluator'))).send({}).expect(403);
      await http.post(`/api/exercises/${ex.id}/token-sheet`).set(bearer(other.facilitator)).send({}).expect(404);
    });
  });

  describe('shipped scenarios and the briefing', () => {
    it('lists the scenario files with their parts, and gives each one’s YAML to create an exercise from', async () => {
      const { http } = ctx();
      const list = await http.get('/api/scenarios').expect(200);
      expect(list.body.items.map((s: { key: string }) => s.key)).toEqual([
        'article3-refused',
        'extradition-granted',
        'left-to-expire',
        'missing-child',
        'monaco-fingerprints',
        'monaco-whole-story',
      ]);
      const monaco = list.body.items.find((s: { key: string }) => s.key === 'monaco-fingerprints');
      expect(monaco).toMatchObject({ title: 'Monaco fingerprints', start: '2026-03-02T09:00:00Z', injects: 9 });
      expect(monaco.briefing).toContain('Police in Monaco find fingerprints');
      expect(monaco.participants[0]).toEqual({ key: 'monaco', role: 'ncb', country: 'MC', name: 'NCB Monaco' });
      expect(monaco.participants[5]).toEqual({ key: 'evaluator', role: 'observer' });

      const yaml = await http.get('/api/scenarios/monaco-fingerprints').expect(200);
      expect(yaml.headers['content-type']).toBe('text/yaml; charset=utf-8');
      expect(yaml.text).toBe(MONACO);
      await http.post('/api/exercises').send({ scenario: yaml.text, teams: ['france'] }).expect(201);
      await http.get('/api/scenarios/no-such-scenario').expect(404);
      for (const key of ['..%2Fpackage', '..', 'Monaco']) await http.get(`/api/scenarios/${key}`).expect(400);
    });

    it('gives any participant its exercise’s briefing, and another exercise’s token a 404', async () => {
      const { http } = ctx();
      const ex = await fromScenario(http, { scenario: MONACO });
      const res = await http.get(`/api/exercises/${ex.id}/briefing`).set(bearer(ex.token('serbia'))).expect(200);
      expect(res.body).toMatchObject({ exercise: { id: ex.id, name: 'Monaco fingerprints' }, title: 'Monaco fingerprints', start: '2026-03-02T09:00:00Z' });
      expect(res.body.briefing).toContain('Nice airport');
      expect(res.body.participants.map((p: { key: string; name?: string }) => `${p.key}:${p.name ?? ''}`)).toContain('secretariat:Notices and Diffusions Task Force');
      const plain = await createExercise(http, []);
      await http.get(`/api/exercises/${ex.id}/briefing`).set(bearer(plain.facilitator)).expect(404);
      const own = await http.get(`/api/exercises/${plain.id}/briefing`).set(bearer(plain.tokens.gs!)).expect(200);
      expect(own.body).toMatchObject({ title: 'Test exercise', briefing: null, start: null, participants: [] });
    });
  });

  describe('the inject panel and the coming deadlines', () => {
    it('shows every inject with its number, words, participant, due time and outcome', async () => {
      const { http } = ctx();
      // The GS is played by a team that never reviews: France's hit then finds no published notice and fails.
      const ex = await fromScenario(http, { scenario: MONACO, teams: ['secretariat'] });
      await clock(http, ex, { action: 'advance', by: 'P8DT30M' });
      const res = await http.get(`/api/exercises/${ex.id}/injects`).set(bearer(ex.facilitatorToken)).expect(200);
      const items = res.body.items;
      expect(items.map((i: { number: number; status: string }) => `${i.number}:${i.status}`)).toEqual(['1:done', '2:done', '3:skipped', '4:skipped', '5:failed', '6:failed', '7:pending', '8:pending', '9:pending']);
      const [create, submit, , , , hit] = items;
      expect(create).toMatchObject({
        description: "NCB Monaco requests a Red notice 'petrovic' for Marko PETROVIC",
        note: "Monaco's request, with the fingerprints as identifier",
        participant: { id: ex.idOf('monaco'), key: 'monaco', name: 'NCB Monaco', role: 'ncb', country: 'MC' },
        due: '2026-03-02T09:00:00.000Z',
        noticeKey: 'petrovic',
        error: null,
      });
      expect(Date.parse(create.firedAt)).not.toBeNaN();
      expect(submit.noticeId).toBe(create.noticeId);
      expect(hit.description).toBe("NCB Paris reports a hit on 'petrovic': Identified at Nice airport");
      expect(hit.error).toEqual({ code: expect.any(String), message: expect.any(String) });
      expect(hit.noticeId).toBe(create.noticeId);
      expect(items[6]).toMatchObject({ status: 'pending', firedAt: null, error: null });

      await http.get(`/api/exercises/${ex.id}/injects`).set(bearer(ex.token('evaluator'))).expect(200);
      for (const key of ['secretariat', 'monaco']) await http.get(`/api/exercises/${ex.id}/injects`).set(bearer(ex.token(key))).expect(403);
      const other = await createExercise(http, []);
      await http.get(`/api/exercises/${ex.id}/injects`).set(bearer(other.facilitator)).expect(404);
    });

    it('lists the coming timed transitions across notices, soonest first, to the facilitator and observers', async () => {
      const { http } = ctx();
      const ex = await createExercise(http, ['MC']);
      const published = await publishedNotice(http, ex, redRequest());
      const asked = await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens['ncb:MC']!)).send(redRequest({ subject: { ...(redRequest().subject as object), forename: 'Ana', familyName: 'NOVAK' } })).expect(201);
      await send(http, ex.tokens['ncb:MC']!, asked.body.id, { type: 'SUBMIT' });
      await send(http, ex.tokens.gs!, asked.body.id, { type: 'START_REVIEW' });
      await send(http, ex.tokens.gs!, asked.body.id, { type: 'REQUEST_INFO', question: 'Which warrant?' });

      const res = await http.get(`/api/exercises/${ex.id}/deadlines`).set(bearer(ex.tokens.observer!)).expect(200);
      expect(res.body.items.map((d: { event: string; subject: string }) => `${d.event}:${d.subject}`)).toEqual(['INFO_TIMEOUT:Ana NOVAK', 'OPEN_RENEWAL:Marko PETROVIC']);
      expect(res.body.items[1]).toMatchObject({ noticeId: published.id, noticeType: 'RED', noticeState: 'published', country: null });
      const dues = res.body.items.map((d: { due: string }) => Date.parse(d.due));
      expect([...dues].sort((a, b) => a - b)).toEqual(dues);

      const limited = await http.get(`/api/exercises/${ex.id}/deadlines?limit=1`).set(bearer(ex.facilitator)).expect(200);
      expect(limited.body.items).toHaveLength(1);
      const bad = await http.get(`/api/exercises/${ex.id}/deadlines?limit=0`).set(bearer(ex.facilitator)).expect(400);
      expect(bad.body.error.details[0].field).toBe('query.limit');
      await http.get(`/api/exercises/${ex.id}/deadlines`).set(bearer(ex.tokens.gs!)).expect(403);
    });
  });
});

describe('the exercise list', () => {
  it('needs ADMIN_TOKEN when one is set, and lists the exercises newest first with their clock and counts', async () => {
    const app = await createTestApp('pglite', { adminToken: 'the-admin-secret-token' });
    try {
      const admin = bearer('the-admin-secret-token');
      const first = (await app.http.post('/api/exercises').set(admin).send({ name: 'First' }).expect(201)).body;
      const second = (await app.http.post('/api/exercises').set(admin).send({ scenario: MONACO }).expect(201)).body;
      await app.http.get('/api/exercises').expect(401);
      await app.http.get('/api/exercises').set(bearer(first.facilitatorToken)).expect(401);
      const res = await app.http.get('/api/exercises').set(admin).expect(200);
      expect(res.body.items.map((e: { id: string }) => e.id)).toEqual([second.id, first.id]);
      expect(res.body.items[0]).toMatchObject({
        name: 'Monaco fingerprints',
        title: 'Monaco fingerprints',
        clock: { now: '2026-03-02T09:00:00.000Z', running: false, speed: 60 },
        participants: 7,
        notices: 1,
      });
      expect(res.body.items[1]).toMatchObject({ name: 'First', title: null, participants: 1, notices: 0, clock: { running: true } });
      expect(JSON.stringify(res.body)).not.toContain(first.facilitatorToken);
    } finally {
      await app.db.close();
    }
  });

  it('is open, as creating is, when the server has no ADMIN_TOKEN', async () => {
    const app = await createTestApp('pglite');
    try {
      const created = (await app.http.post('/api/exercises').send({ name: 'Open' }).expect(201)).body;
      const res = await app.http.get('/api/exercises').expect(200);
      expect(res.body.items.map((e: { id: string }) => e.id)).toContain(created.id);
    } finally {
      await app.db.close();
    }
  });
});

describe('PUBLIC_URL', () => {
  it('is what the token sheet’s sign-in links are built on', async () => {
    const db = await openTestDatabase('pglite');
    try {
      const { app } = buildServices(db, pino({ level: 'silent' }), { authFailureLimit: 1_000_000 }, { publicUrl: 'https://training.example:8443/room' });
      const http = request(app);
      const ex = await createExercise(http, ['MC']);
      const res = await http.post(`/api/exercises/${ex.id}/token-sheet`).set(bearer(ex.facilitator)).send({}).expect(200);
      const links = [...res.text.matchAll(/<p class="link">([^<]+)<\/p>/g)].map((m) => m[1]!);
      expect(links).toHaveLength(4);
      for (const link of links) expect(link).toMatch(/^https:\/\/training\.example:8443\/room\/#token=nst_[\w-]+$/);
    } finally {
      await db.close();
    }
  });
});
