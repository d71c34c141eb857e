import type { Agent } from './http';

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export interface ExerciseFixture {
  id: string;
  facilitator: string;
  tokens: Record<string, string>;
}

/**
 * An exercise with a token per role: `gs`, `ccf`, `observer`, and `ncb:XX` for each country named.
 */
export async function createExercise(http: Agent, countries: string[] = ['MC', 'FR', 'RS']): Promise<ExerciseFixture> {
  const created = await http.post('/api/exercises').send({ name: 'Test exercise' }).expect(201);
  const { id, facilitatorToken } = created.body as { id: string; facilitatorToken: string };
  const tokens: Record<string, string> = {};
  const add = async (key: string, body: object) => {
    const res = await http.post(`/api/exercises/${id}/participants`).set(bearer(facilitatorToken)).send(body).expect(201);
    tokens[key] = (res.body as { token: string }).token;
  };
  await add('gs', { role: 'gs' });
  await add('ccf', { role: 'ccf' });
  await add('observer', { role: 'observer' });
  for (const country of countries) await add(`ncb:${country}`, { role: 'ncb', country });
  return { id, facilitator: facilitatorToken, tokens };
}

/** Monaco's request: a man identified by fingerprints found at a crime scene. */
export function redRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'RED',
    subject: {
      familyName: 'PETROVIC',
      forename: 'Marko',
      sex: 'male',
      dateOfBirth: '1984-03-12',
      nationalities: ['RS'],
      fingerprintsRef: 'MC-AFIS-2026-0147',
      description: 'Scar on the left hand',
    },
    offence: {
      category: 'armed_robbery',
      summary: 'Armed robbery of a jewellery store in Monte-Carlo',
      law: 'Code pénal monégasque, art. 309',
      maxPenaltyYears: 20,
      basis: 'prosecution',
      warrant: { reference: 'MC-2026-AW-031', issuedOn: '2026-10-02', authority: 'Juge d’instruction, Monaco' },
    },
    extraditionFrom: ['FR', 'IT', 'RS'],
    publicExtractConsent: true,
    ...overrides,
  };
}

/** A missing child, last seen in Serbia's neighbourhood. */
export function yellowRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'YELLOW',
    subject: {
      familyName: 'JOVANOVIC',
      forename: 'Ana',
      sex: 'female',
      dateOfBirth: '2016-06-01',
      nationalities: ['MC'],
      photoRef: 'photo-ana-2026.jpg',
      description: 'Brown hair, 1.30 m, red coat',
    },
    disappearance: {
      date: '2026-11-01',
      place: 'Monte-Carlo',
      country: 'MC',
      circumstances: 'Did not come home from school',
      policeReport: { reference: 'MC-PR-2026-991', date: '2026-11-01' },
    },
    ...overrides,
  };
}

/** Sends a notice event and expects `status`; returns the body. */
export async function send(http: Agent, token: string, noticeId: string, event: object, status = 200): Promise<any> {
  const res = await http.post(`/api/notices/${noticeId}/events`).set(bearer(token)).send(event);
  if (res.status !== status) throw new Error(`${JSON.stringify(event)} → ${res.status} ${JSON.stringify(res.body)} (expected ${status})`);
  return res.body;
}

/** Creates a Red or Yellow notice as `ncb` and drives it to published. */
export async function publishedNotice(http: Agent, ex: ExerciseFixture, request: object, requester = 'MC'): Promise<any> {
  const created = await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens[`ncb:${requester}`]!)).send(request).expect(201);
  const id = (created.body as { id: string }).id;
  await send(http, ex.tokens[`ncb:${requester}`]!, id, { type: 'SUBMIT' });
  await send(http, ex.tokens.gs!, id, { type: 'START_REVIEW' });
  return send(http, ex.tokens.gs!, id, { type: 'APPROVE', article3Cleared: true });
}
