import fc from 'fast-check';
import type { Actor } from '../../src/exercises/exercise-types';
import { tableOf } from '../../src/kernel/machine-table';
import { noticeMachineFor, type NoticeEvent } from '../../src/notices/notice-machine';
import { NOTICE_EVENT_TYPES, type NoticeType } from '../../src/notices/notice-types';
import { createSimNotice, send, type SimNotice } from '../../src/simulation/lifecycle';
import { bearer, createExercise, redRequest, yellowRequest, type ExerciseFixture } from '../support/fixtures';
import { createTestApp, type TestApp } from '../support/http';
import { noticeEventFields } from '../unit/notice-fixtures';

/**
 * The simulation moves notices without the API (src/simulation/lifecycle.ts). It is the same lifecycle
 * only while both give the same notice for the same events: here one random sequence of events goes to
 * a notice through the HTTP API and to a simulated notice, and after every event both must have taken
 * it or both refused it, and agree on the state, the checks, the dates and the deadlines.
 */
describe('the simulation and the API', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp('pglite');
  });
  afterAll(async () => {
    await app.db.close();
  });

  const OWNER: Actor = { role: 'ncb', country: 'MC' };
  const ACTORS: Record<string, Actor> = {
    'ncb:MC': OWNER,
    'ncb:FR': { role: 'ncb', country: 'FR' },
    gs: { role: 'gs' },
    ccf: { role: 'ccf' },
  };
  const SENT_BY: Record<string, string> = {
    SUBMIT: 'ncb:MC',
    PROVIDE_INFO: 'ncb:MC',
    SUSPEND: 'ncb:MC',
    RESUME: 'ncb:MC',
    WITHDRAW: 'ncb:MC',
    RENEW: 'ncb:MC',
    START_REVIEW: 'gs',
    REQUEST_INFO: 'gs',
    APPROVE: 'gs',
    REFUSE: 'gs',
    CANCEL: 'gs',
    REPORT_LOCATED: 'ncb:FR',
    DELETE: 'ccf',
  };
  // Events a participant sends (UPDATE_DRAFT has its own route; the system's come from the clock).
  const SENT = NOTICE_EVENT_TYPES.filter((type) => type in SENT_BY);
  const body = (type: string, flag: boolean): Record<string, unknown> =>
    type === 'APPROVE' ? { article3Cleared: flag } : noticeEventFields(type, flag);

  const step = fc.record({ pick: fc.nat(), who: fc.nat(), plausible: fc.nat({ max: 4 }), flag: fc.boolean() });
  type Step = { pick: number; who: number; plausible: number; flag: boolean };

  /** Mostly an event the notice takes from whoever may send it, else any event from anyone. */
  function choose(sim: SimNotice, s: Step) {
    const table = tableOf(noticeMachineFor(sim.type))!;
    const taken = SENT.filter((type) =>
      table.takes(sim.value, sim.context, {
        type,
        actor: ACTORS[SENT_BY[type]!],
        at: new Date().toISOString(),
        ...body(type, true),
      } as NoticeEvent),
    );
    if (s.plausible > 0 && taken.length) {
      const type = taken[s.pick % taken.length]!;
      return { type, who: SENT_BY[type]!, body: { type, ...body(type, s.flag || s.plausible > 1) } };
    }
    const type = SENT[s.pick % SENT.length]!;
    const who = Object.keys(ACTORS)[s.who % 4]!;
    return { type, who, body: { type, ...body(type, s.flag) } };
  }

  async function agreeOn(ex: ExerciseFixture, noticeType: NoticeType, steps: Step[]) {
    const request = noticeType === 'RED' ? redRequest() : yellowRequest();
    const created = await app.http
      .post(`/api/exercises/${ex.id}/notices`)
      .set(bearer(ex.tokens['ncb:MC']!))
      .send(request)
      .expect(201);
    const id = created.body.id as string;
    // The API fills the request's defaults: the simulated notice starts from the request as stored.
    const stored = (await app.db.prisma.notice.findUniqueOrThrow({ where: { id } })).snapshot as {
      context: { request: never };
    };
    const sim = createSimNotice(1, { request: stored.context.request, requestingCountry: 'MC' });
    for (const s of steps) {
      const { type, who, body: sent } = choose(sim, s);
      const res = await app.http.post(`/api/notices/${id}/events`).set(bearer(ex.tokens[who]!)).send(sent);
      expect([200, 403, 404, 409, 422]).toContain(res.status);
      // The API stamps the event with its exercise's clock: the simulated notice gets the same time.
      const at =
        res.status === 200
          ? (await app.http.get(`/api/notices/${id}/history`).set(bearer(ex.tokens.gs!)).expect(200)).body.items.at(-1)
              .at
          : new Date().toISOString();
      const took = send(sim, { ...sent, actor: ACTORS[who], at } as NoticeEvent);
      expect({ type, who, taken: took }).toEqual({ type, who, taken: res.status === 200 });
      const api = (await app.http.get(`/api/notices/${id}`).set(bearer(ex.tokens.gs!)).expect(200)).body;
      const { deadlines, pendingQuestion, publishedAt, expiresAt } = sim.context;
      // A draft's checks are shown as they would run now (they are stored from SUBMIT on).
      const checks = sim.value === 'draft' ? api.checks : sim.context.checks;
      expect({
        state: api.state,
        checks: api.checks,
        deadlines: api.deadlines,
        pendingQuestion: api.pendingQuestion,
        publishedAt: api.publishedAt,
        expiresAt: api.expiresAt,
      }).toEqual({
        state: sim.value,
        checks,
        deadlines,
        pendingQuestion,
        publishedAt,
        expiresAt,
      });
    }
    return sim.value;
  }

  it.each(['RED', 'YELLOW'] as const)('gives a %s notice the same moves for the same events', async (noticeType) => {
    const ex = await createExercise(app.http, ['MC', 'FR']);
    const reached = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12, size: 'max' }), async (steps) => {
        reached.add(await agreeOn(ex, noticeType, steps));
      }),
      { numRuns: 25 },
    );
    // The sequences got past review: agreeing on drafts alone would prove little.
    expect(
      [...reached].some((state) =>
        ['published', 'suspended', 'withdrawn', 'cancelled', 'deleted', 'located'].includes(state),
      ),
    ).toBe(true);
  });
});
