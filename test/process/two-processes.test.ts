import pg from 'pg';
import { redRequest } from '../support/fixtures';
import { postgresTestUrl, databaseKinds } from '../support/databases';
import { listening, npmStart, type ServerProcess } from '../support/server-process';
import { openSse, type SseClient, type SseMessage } from '../support/sse';

/**
 * Two server processes on one PostgreSQL database, as behind a load balancer. Their streams' poll is set
 * to 60 s: an event that reaches the other process's stream within a test's few seconds came through
 * LISTEN/NOTIFY, since no poll could have run yet.
 */
const COUNTRIES = [
  'FR',
  'DE',
  'IT',
  'ES',
  'RS',
  'GB',
  'US',
  'BE',
  'NL',
  'PT',
  'AT',
  'CH',
  'PL',
  'SE',
  'NO',
  'DK',
  'FI',
  'IE',
  'GR',
  'HR',
];

interface Answer {
  status: number;
  body: any;
}

async function call(base: string, method: string, path: string, token?: string, body?: object): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    ...(body && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function ok(answer: Promise<Answer>, status = 200): Promise<any> {
  const a = await answer;
  if (a.status !== status) throw new Error(`expected ${status}, got ${a.status}: ${JSON.stringify(a.body)}`);
  return a.body;
}

interface Exercise {
  id: string;
  facilitator: string;
  tokens: Record<string, string>;
}

async function createExercise(base: string, name: string): Promise<Exercise> {
  const { id, facilitatorToken } = await ok(
    call(base, 'POST', '/api/exercises', undefined, { name, freezeWhilePaused: false }),
    201,
  );
  const tokens: Record<string, string> = {};
  const add = async (key: string, body: object) => {
    tokens[key] = (
      await ok(call(base, 'POST', `/api/exercises/${id}/participants`, facilitatorToken, body), 201)
    ).token;
  };
  await add('gs', { role: 'gs' });
  for (const country of ['MC', ...COUNTRIES]) await add(`ncb:${country}`, { role: 'ncb', country });
  return { id, facilitator: facilitatorToken, tokens };
}

const createNotice = async (base: string, ex: Exercise) =>
  (await ok(call(base, 'POST', `/api/exercises/${ex.id}/notices`, ex.tokens['ncb:MC'], redRequest()), 201))
    .id as string;
const event = (base: string, token: string, noticeId: string, body: object) =>
  call(base, 'POST', `/api/notices/${noticeId}/events`, token, body);

async function publish(base: string, ex: Exercise): Promise<string> {
  const id = await createNotice(base, ex);
  await ok(event(base, ex.tokens['ncb:MC']!, id, { type: 'SUBMIT' }));
  await ok(event(base, ex.tokens.gs!, id, { type: 'START_REVIEW' }));
  await ok(event(base, ex.tokens.gs!, id, { type: 'APPROVE', article3Cleared: true }));
  return id;
}

const stream = (base: string, ex: Exercise, from: 'now' | 'start') =>
  openSse(`${base}/api/exercises/${ex.id}/stream?from=${from}`, { authorization: `Bearer ${ex.tokens.gs}` });

const positions = (messages: SseMessage[]) =>
  messages.filter((m) => m.event === 'notice-event').map((m) => Number(m.id));

(databaseKinds().includes('postgres') ? describe : describe.skip)('two server processes on one database', () => {
  const servers: ServerProcess[] = [];
  const streams: SseClient[] = [];
  let a: string;
  let b: string;
  let sql: pg.Client;

  beforeAll(async () => {
    const env = { DATABASE_URL: postgresTestUrl(), STREAM_POLL_MS: '60000' };
    servers.push(npmStart(env), npmStart(env));
    [a, b] = (await Promise.all(servers.map((s) => listeningUrl(s)))) as [string, string];
    sql = new pg.Client({ connectionString: postgresTestUrl() });
    await sql.connect();
  }, 150_000);

  afterAll(async () => {
    for (const s of streams) s.close();
    await sql?.end();
    for (const s of servers) s.kill();
  });

  it('delivers an event written through one process to the other’s stream, before any poll could have run', async () => {
    const ex = await createExercise(a, 'across processes');
    const live = await stream(b, ex, 'now');
    streams.push(live);
    await live.waitFor('ready', 1);

    const noticeId = await createNotice(a, ex);

    const [created] = await live.waitFor('notice-event', 1);
    expect(JSON.parse(created!.data)).toMatchObject({ noticeId, type: 'CREATE' });
  });

  it('numbers 200 requests raced across both processes gap-free: one history row per 200, none per 409, every stream in order', async () => {
    const ex = await createExercise(a, 'race across processes');
    const published = [];
    for (let i = 0; i < 4; i++) published.push(await publish(i % 2 ? b : a, ex));
    const drafts = [];
    for (let i = 0; i < 20; i++) drafts.push(await createNotice(i % 2 ? b : a, ex));
    const live = [await stream(a, ex, 'start'), await stream(b, ex, 'start')];
    streams.push(...live);

    // Each record acknowledged twice and each draft submitted twice, once through each process: one of
    // each pair wins, the other is refused (409), in whichever order they land.
    type Sent = { noticeId: string; country: string | null; type: string; answer: Promise<Answer> };
    const sent: Sent[] = [];
    for (const noticeId of published)
      for (const country of COUNTRIES)
        for (const base of [a, b])
          sent.push({
            noticeId,
            country,
            type: 'ACKNOWLEDGE',
            answer: call(
              base,
              'POST',
              `/api/notices/${noticeId}/circulation/${country}/events`,
              ex.tokens[`ncb:${country}`],
              {
                type: 'ACKNOWLEDGE',
              },
            ),
          });
    for (const noticeId of drafts)
      for (const base of [b, a])
        sent.push({
          noticeId,
          country: null,
          type: 'SUBMIT',
          answer: event(base, ex.tokens['ncb:MC']!, noticeId, { type: 'SUBMIT' }),
        });
    expect(sent).toHaveLength(200);
    const answers = await Promise.all(sent.map((s) => s.answer));

    expect(answers.filter((r) => r.status !== 200 && r.status !== 409)).toEqual([]);
    const rows = await sql.query<{ notice_id: string; country: string | null; type: string; n: number }>(
      `SELECT notice_id, country, type, count(*)::int AS n FROM notice_events
        WHERE exercise_id = $1 AND type IN ('ACKNOWLEDGE', 'SUBMIT') GROUP BY 1, 2, 3`,
      [ex.id],
    );
    const written = new Map(rows.rows.map((r) => [`${r.notice_id}/${r.country ?? ''}/${r.type}`, r.n]));
    const publishedSubmits = published.length;
    // Per pair: rows written = 200s answered (one), whatever the 409 said.
    const pairs = new Map<string, number>();
    sent.forEach((s, i) => {
      const key = `${s.noticeId}/${s.country ?? ''}/${s.type}`;
      pairs.set(key, (pairs.get(key) ?? 0) + (answers[i]!.status === 200 ? 1 : 0));
    });
    for (const [key, successes] of pairs) {
      expect([key, successes]).toEqual([key, 1]);
      // The published notices' own SUBMIT is in the history too; a draft's is the raced one.
      expect([key, written.get(key)]).toEqual([key, 1]);
    }
    expect(rows.rows.filter((r) => r.type === 'SUBMIT')).toHaveLength(drafts.length + publishedSubmits);

    // Positions 1..N, gap-free, none twice, none left unnumbered.
    const numbered = await sql.query<{ exercise_seq: string | null }>(
      'SELECT exercise_seq FROM notice_events WHERE exercise_id = $1 ORDER BY exercise_seq NULLS FIRST',
      [ex.id],
    );
    const total = numbered.rows.length;
    expect(numbered.rows.map((r) => Number(r.exercise_seq))).toEqual(Array.from({ length: total }, (_, i) => i + 1));

    // Each notice's history replays to its stored state, and each record's to its record's.
    const history = await sql.query<{
      notice_id: string;
      country: string | null;
      from_state: string | null;
      to_state: string;
    }>(
      'SELECT notice_id, country, from_state, to_state FROM notice_events WHERE exercise_id = $1 ORDER BY notice_id, seq',
      [ex.id],
    );
    const last = new Map<string, string>();
    for (const h of history.rows) {
      const key = `${h.notice_id}/${h.country ?? ''}`;
      if (last.has(key)) expect([key, h.from_state]).toEqual([key, last.get(key)]);
      last.set(key, h.to_state);
    }
    const stored = await sql.query<{ key: string; state: string }>(
      `SELECT id || '/' AS key, state FROM notices WHERE exercise_id = $1
       UNION ALL SELECT c.notice_id || '/' || c.country, c.state FROM circulation_records c JOIN notices n ON n.id = c.notice_id
        WHERE n.exercise_id = $1`,
      [ex.id],
    );
    const states = new Map(stored.rows.map((r) => [r.key, r.state]));
    for (const [key, state] of last) expect([key, state]).toEqual([key, states.get(key)]);

    // Both processes' streams deliver all of them, in order.
    for (const s of live) {
      await s.waitFor('notice-event', total, 30_000);
      expect(positions(s.messages)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    }
  }, 120_000);

  it('fires each deadline once while both processes’ tickers run the exercise', async () => {
    const ex = await createExercise(a, 'deadlines across processes');
    const clock = (body: object) => ok(call(a, 'POST', `/api/exercises/${ex.id}/clock`, ex.facilitator, body));
    await clock({ action: 'pause' });
    const notices = [];
    for (let i = 0; i < 6; i++) notices.push(await publish(i % 2 ? b : a, ex));
    // The renewal window opens in about a month, the expiry six months later: at a year a second,
    // both fall due within a tick or two of each process's ticker.
    await clock({ action: 'advance', by: 'P4Y5M' });
    await clock({ action: 'set_speed', speed: 31_536_000 });
    await clock({ action: 'resume' });
    try {
      for (const id of notices) {
        for (;;) {
          const { state } = (await sql.query<{ state: string }>('SELECT state FROM notices WHERE id = $1', [id]))
            .rows[0]!;
          if (state === 'expired') break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    } finally {
      await clock({ action: 'pause' });
    }
    const fired = await sql.query<{ notice_id: string; type: string; n: number }>(
      `SELECT notice_id, type, count(*)::int AS n FROM notice_events
        WHERE exercise_id = $1 AND country IS NULL AND actor_role = 'system' GROUP BY 1, 2 ORDER BY 1, 2`,
      [ex.id],
    );
    expect(fired.rows).toHaveLength(notices.length * 2);
    expect(fired.rows.every((r) => r.n === 1)).toBe(true);
    expect(new Set(fired.rows.map((r) => r.type))).toEqual(new Set(['OPEN_RENEWAL', 'EXPIRE']));
  }, 120_000);
});

async function listeningUrl(server: ServerProcess): Promise<string> {
  return (await listening(server)).url;
}
