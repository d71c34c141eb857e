/** A minimal HTTP client for the app's API, and the setup steps the benchmark needs (as in test/support/fixtures.ts). */
import http from 'node:http';
import { MONACO_RED_REQUEST } from '../src/notices/example-requests';

export interface Response {
  status: number;
  text: string;
}

export interface Api {
  post(path: string, token: string | null, body: object): Promise<Response>;
  /** Posts and returns the parsed body; throws unless the status is `expected`. */
  expect<T>(expected: number, path: string, token: string | null, body: object): Promise<T>;
  close(): void;
}

/**
 * node:http with a keep-alive agent rather than fetch: the server runs in this same process, so the
 * client's own CPU cost counts against the HTTP figures, and this client is the lighter of the two.
 */
export function createApi(baseUrl: string): Api {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const { hostname, port } = new URL(baseUrl);

  const post = (path: string, token: string | null, body: object): Promise<Response> =>
    new Promise((resolve, reject) => {
      const payload = JSON.stringify(body);
      const headers: http.OutgoingHttpHeaders = {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(payload),
        ...(token && { authorization: `Bearer ${token}` }),
      };
      const req = http.request({ agent, hostname, port, path, method: 'POST', headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });

  return {
    post,
    async expect<T>(expected: number, path: string, token: string | null, body: object): Promise<T> {
      const res = await post(path, token, body);
      if (res.status !== expected) throw new Error(`POST ${path} → ${res.status} ${res.text.slice(0, 300)} (expected ${expected})`);
      return JSON.parse(res.text) as T;
    },
    close: () => agent.destroy(),
  };
}

export interface BenchExercise {
  id: string;
  /** `gs`, and `ncb:XX` for every member country. */
  tokens: Map<string, string>;
  /** Participant ids by the same keys, for the direct-SQL baseline's history rows. */
  participants: Map<string, string>;
}

export function tokenOf(ex: BenchExercise, key: string): string {
  const token = ex.tokens.get(key);
  if (!token) throw new Error(`no participant ${key}`);
  return token;
}

/** An exercise with a gs and an ncb per country: each ncb may only act on its own country's records. */
export async function createBenchExercise(api: Api, countries: readonly string[]): Promise<BenchExercise> {
  const { id, facilitatorToken } = await api.expect<{ id: string; facilitatorToken: string }>(201, '/api/exercises', null, {
    name: 'Benchmark',
  });
  const tokens = new Map<string, string>();
  const participants = new Map<string, string>();
  const add = async (key: string, body: object) => {
    const p = await api.expect<{ id: string; token: string }>(201, `/api/exercises/${id}/participants`, facilitatorToken, body);
    tokens.set(key, p.token);
    participants.set(key, p.id);
  };
  await add('gs', { role: 'gs' });
  for (const country of countries) await add(`ncb:${country}`, { role: 'ncb', country });
  return { id, tokens, participants };
}

/** Creates a Red notice as `requester` and drives it to under_review; returns its id. */
export async function noticeUnderReview(api: Api, ex: BenchExercise, requester: string): Promise<string> {
  const ncb = tokenOf(ex, `ncb:${requester}`);
  const { id } = await api.expect<{ id: string }>(201, `/api/exercises/${ex.id}/notices`, ncb, MONACO_RED_REQUEST);
  await api.expect(200, `/api/notices/${id}/events`, ncb, { type: 'SUBMIT' });
  await api.expect(200, `/api/notices/${id}/events`, tokenOf(ex, 'gs'), { type: 'START_REVIEW' });
  return id;
}

/** Sends APPROVE as the gs: publishes the notice and fans it out to every other member country. */
export function approve(api: Api, ex: BenchExercise, noticeId: string): Promise<Response> {
  return api.post(`/api/notices/${noticeId}/events`, tokenOf(ex, 'gs'), { type: 'APPROVE', article3Cleared: true });
}
