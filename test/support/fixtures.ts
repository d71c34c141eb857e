import { MISSING_CHILD_YELLOW_REQUEST, MONACO_RED_REQUEST } from '../../src/notices/example-requests';
import type { Agent } from './http';

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export interface ExerciseFixture {
  id: string;
  facilitator: string;
  tokens: Record<string, string>;
}

/**
 * An exercise named `name` with a token per role: `gs`, `ccf`, `observer`, and `ncb:XX` for each country named.
 * Its clock runs; a test that pauses it and still acts as a team passes `{ freezeWhilePaused: false }`.
 */
export async function createExercise(
  http: Agent,
  countries: string[] = ['MC', 'FR', 'RS'],
  name = 'Test exercise',
  options: { freezeWhilePaused?: boolean } = {},
): Promise<ExerciseFixture> {
  const created = await http.post('/api/exercises').send({ name, ...options }).expect(201);
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

/** Monaco's request (the domain's seed case), as a plain object a test may break. */
export function redRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...structuredClone(MONACO_RED_REQUEST), ...overrides };
}

/** A missing child's request. */
export function yellowRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...structuredClone(MISSING_CHILD_YELLOW_REQUEST), ...overrides };
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
