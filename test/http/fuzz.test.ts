import fc from 'fast-check';
import { NOTICE_EVENT_TYPES } from '../../src/notices/notice-types';
import { CIRCULATION_EVENT_TYPES } from '../../src/circulation/circulation-machine';
import { bearer, createExercise, publishedNotice, redRequest, yellowRequest, type ExerciseFixture } from '../support/fixtures';
import { describeEachDatabase, type TestApp } from '../support/http';

/**
 * Thousands of random requests (methods, paths, ids, headers, bodies) against every endpoint: none
 * may get a 5xx, and none may change a notice, its history or its circulation unless it was a
 * request its caller was allowed to make and the server said so.
 */
const printable = (max: number) => fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${max}}$`));
const segment = fc.oneof(printable(30), fc.string({ maxLength: 20 })).map(encodeURIComponent);

interface Ids {
  exercise: string;
  otherExercise: string;
  notices: string[];
  participants: string[];
}

/** Bodies every endpoint would accept from the right caller in the right state. */
const WELL_FORMED: object[] = [
  { type: 'SUBMIT' },
  { type: 'START_REVIEW' },
  { type: 'REQUEST_INFO', question: 'Which identifiers?' },
  { type: 'PROVIDE_INFO', answer: 'Fingerprints', changes: { subject: { dnaRef: 'DNA-1' } } },
  { type: 'APPROVE', article3Cleared: true },
  { type: 'APPROVE', article3Cleared: false, particularImportance: true },
  { type: 'REFUSE', reason: 'Political', grounds: ['ARTICLE_3'] },
  { type: 'SUSPEND', reason: 'Check' },
  { type: 'RESUME' },
  { type: 'RENEW', reason: 'Still wanted' },
  { type: 'REPORT_LOCATED', details: 'Found' },
  { type: 'WITHDRAW', reason: 'Arrested' },
  { type: 'CANCEL', reason: 'Lapsed' },
  { type: 'DELETE', decisionRef: 'CCF/1' },
  { type: 'ACKNOWLEDGE' },
  { type: 'REPORT_HIT', details: 'Seen' },
  { type: 'PROVISIONAL_ARREST' },
  { type: 'DECLINE_ACTION', reason: 'No' },
  { type: 'SURRENDER' },
  { role: 'gs' },
  { role: 'ncb', country: 'IT' },
  { name: 'Fuzzed exercise' },
  redRequest(),
  yellowRequest(),
];

function requests(ids: Ids, tokens: string[]) {
  // Mostly well-formed requests with real ids, so that the fuzz gets past routing and validation into
  // the rules; some malformed ones throughout.
  const idFrom = (real: string[]) =>
    fc.oneof({ arbitrary: fc.constantFrom(...real), weight: 8 }, { arbitrary: fc.uuid(), weight: 1 }, { arbitrary: segment, weight: 1 });
  const exerciseId = idFrom([ids.exercise, ids.otherExercise]);
  const noticeId = idFrom(ids.notices);
  const participantId = idFrom(ids.participants);
  const country = fc.oneof({ arbitrary: fc.constantFrom('FR', 'MC', 'RS', 'IT'), weight: 8 }, fc.constantFrom('XX', 'fr', 'TV'), segment);
  const path = fc.oneof(
    {
      weight: 9,
      arbitrary: fc.tuple(exerciseId, noticeId, participantId, country).chain(([e, n, p, c]) =>
        fc.constantFrom(
          '/api/exercises',
          `/api/exercises/${e}/participants`,
          `/api/exercises/${e}/participants/${p}`,
          `/api/exercises/${e}/notices`,
          `/api/notices/${n}`,
          `/api/notices/${n}/events`,
          `/api/notices/${n}/events`,
          `/api/notices/${n}/history`,
          `/api/notices/${n}/circulation`,
          `/api/notices/${n}/circulation/${c}/events`,
          `/api/notices/${n}/circulation/${c}/events`,
          `/api/public/exercises/${e}/notices`,
          `/api/public/exercises/${e}/notices/${n}`,
          '/api/countries',
          '/api/health',
          // Reads added with the exercises, diagrams and dashboard (the stream is left out: it never ends).
          `/api/exercises/${e}/report`,
          `/api/exercises/${e}/heatmap`,
          `/api/notices/${n}/diagram`,
          '/api/machines',
          '/api/machines/notice-red',
          '/api/machines/circulation',
          '/api/me',
          '/',
        ),
      ),
    },
    { weight: 1, arbitrary: fc.array(segment, { maxLength: 5 }).map((parts) => `/${parts.join('/')}`) },
  );
  const query = fc.dictionary(
    fc.constantFrom('state', 'type', 'country', 'limit', 'offset', 'format', 'machine', 'labels', 'x'),
    fc.oneof(printable(12), fc.constantFrom('json', 'html', 'mermaid', 'dot', 'scxml', 'notice-red', 'notice-yellow', 'circulation', 'events', 'full')),
    { maxKeys: 3 },
  );
  const eventLike = fc.record(
    {
      type: fc.oneof(fc.constantFrom(...NOTICE_EVENT_TYPES, ...CIRCULATION_EVENT_TYPES, 'CREATE'), printable(12)),
      reason: fc.oneof(printable(20), fc.string(), fc.integer()),
      details: fc.oneof(printable(20), fc.string()),
      question: printable(20),
      answer: printable(20),
      decisionRef: printable(20),
      article3Cleared: fc.oneof(fc.boolean(), printable(5)),
      particularImportance: fc.boolean(),
      changes: fc.anything(),
      role: fc.constantFrom('ncb', 'gs', 'ccf', 'observer', 'facilitator', 'system'),
      country: country,
      name: fc.oneof(printable(30), fc.string()),
    },
    { requiredKeys: [] },
  );
  const body = fc.oneof(
    { arbitrary: fc.constantFrom(...WELL_FORMED).map((b) => JSON.stringify(b)), weight: 6 },
    { arbitrary: eventLike.map((b) => JSON.stringify(b)), weight: 3 },
    { arbitrary: fc.constantFrom(redRequest(), yellowRequest()).chain((r) => fc.anything().map((junk) => JSON.stringify({ ...r, subject: junk }))), weight: 1 },
    { arbitrary: fc.constantFrom(redRequest(), yellowRequest()).map((r) => JSON.stringify(r)), weight: 1 },
    { arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)), weight: 1 },
    { arbitrary: fc.string({ maxLength: 200 }), weight: 1 },
  );
  return fc.record({
    method: fc.oneof({ arbitrary: fc.constantFrom('get', 'post'), weight: 8 }, { arbitrary: fc.constantFrom('delete', 'put', 'patch'), weight: 2 }),
    path,
    query,
    token: fc.oneof({ arbitrary: fc.constantFrom(...tokens), weight: 9 }, { arbitrary: printable(60), weight: 1 }),
    authScheme: fc.oneof({ arbitrary: fc.constant('Bearer '), weight: 9 }, { arbitrary: fc.constantFrom('bearer ', 'Basic ', ''), weight: 1 }),
    contentType: fc.oneof(
      { arbitrary: fc.constant('application/json'), weight: 8 },
      { arbitrary: fc.constantFrom('text/plain', 'application/json; charset=latin1', undefined), weight: 2 },
    ),
    ifMatch: fc.option(fc.oneof(fc.nat({ max: 12 }).map(String), printable(12)), { nil: undefined, freq: 4 }),
    body: fc.option(body, { nil: undefined }),
  });
}

type FuzzRequest = ReturnType<typeof requests> extends fc.Arbitrary<infer R> ? R : never;

function send(app: TestApp, r: FuzzRequest) {
  const query = new URLSearchParams(r.query).toString();
  let req = app.http[r.method as 'get'](`${r.path}${query ? `?${query}` : ''}`).set('Authorization', `${r.authScheme}${r.token}`);
  if (r.contentType) req = req.set('Content-Type', r.contentType);
  if (r.ifMatch !== undefined) req = req.set('If-Match', r.ifMatch);
  return r.body === undefined ? req : req.send(r.body);
}

/**
 * Every notice, record and history row of the fuzzed exercise, in a comparable form. Only that one:
 * other test files share the PostgreSQL database, and the second exercise's own tokens may rightly
 * act in it.
 */
async function fingerprint(app: TestApp, ids: Ids): Promise<string> {
  const exerciseId = ids.exercise;
  const notices = await app.db.prisma.notice.findMany({
    where: { exerciseId },
    select: { id: true, version: true, state: true, lastSeq: true },
    orderBy: { id: 'asc' },
  });
  const records = await app.db.prisma.circulationRecord.aggregate({ where: { notice: { exerciseId } }, _count: true, _sum: { version: true } });
  const history = await app.db.prisma.noticeEvent.count({ where: { notice: { exerciseId } } });
  return JSON.stringify({ notices, records, history });
}

describeEachDatabase('fuzzing every endpoint', (ctx) => {
  let ex: ExerciseFixture;
  let ids: Ids;
  beforeAll(async () => {
    const { http } = ctx();
    ex = await createExercise(http, ['MC', 'FR', 'RS']);
    const other = await createExercise(http, ['MC']);
    const draft = await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens['ncb:MC']!)).send(redRequest()).expect(201);
    const red = await publishedNotice(http, ex, redRequest({ publicExtractConsent: true }));
    const yellow = await publishedNotice(http, ex, yellowRequest());
    await http.post(`/api/notices/${red.id}/circulation/FR/events`).set(bearer(ex.tokens['ncb:FR']!)).send({ type: 'REPORT_HIT', details: 'x' }).expect(200);
    const participants = await http.get(`/api/exercises/${ex.id}/participants`).set(bearer(ex.facilitator)).expect(200);
    const observer = participants.body.items.find((p: { role: string }) => p.role === 'observer');
    // A revoked token, kept for the fuzz: it must be as powerless as no token.
    const revoked = (await http.post(`/api/exercises/${ex.id}/participants`).set(bearer(ex.facilitator)).send({ role: 'gs' }).expect(201)).body;
    await http.delete(`/api/exercises/${ex.id}/participants/${revoked.id}`).set(bearer(ex.facilitator)).expect(204);
    ex.tokens.revoked = revoked.token;
    ex.tokens.otherGs = other.tokens.gs!;
    ex.tokens.otherMc = other.tokens['ncb:MC']!;
    ids = { exercise: ex.id, otherExercise: other.id, notices: [draft.body.id, red.id, yellow.id], participants: [observer.id, revoked.id] };
  });

  it('gives no 5xx and changes nothing for callers who may change nothing in the exercise: 2,000 requests', async () => {
    const app = ctx();
    const before = await fingerprint(app, ids);
    const powerless = [ex.tokens.observer!, ex.facilitator, ex.tokens.revoked!, ex.tokens.otherGs!, ex.tokens.otherMc!, 'nst_not-a-token'];
    await fc.assert(
      fc.asyncProperty(requests(ids, powerless), async (r) => {
        const res = await send(app, r);
        expect(res.status).toBeLessThan(500);
        // No framework HTML error page: HTML only for the dashboard's page and a report asked for as HTML.
        if (/html/.test(res.headers['content-type'] ?? '')) {
          expect(res.status).toBe(200);
          expect(r.path.replace(/\/+/g, '/') === '/' || /\/report$/.test(r.path)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
    expect(await fingerprint(app, ids)).toEqual(before);
  });

  it('gives no 5xx to the requester, the receivers, the GS and the CCF, and a refused or read request changes nothing: 1,000 requests', async () => {
    const app = ctx();
    const acting = [ex.tokens['ncb:MC']!, ex.tokens['ncb:FR']!, ex.tokens['ncb:RS']!, ex.tokens.gs!, ex.tokens.ccf!];
    await fc.assert(
      fc.asyncProperty(requests(ids, acting), async (r) => {
        const before = await fingerprint(app, ids);
        const res = await send(app, r);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400 || r.method === 'get') expect(await fingerprint(app, ids)).toEqual(before);
      }),
      { numRuns: 1000 },
    );
  });
});
