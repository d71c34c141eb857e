import { randomUUID } from 'node:crypto';
import type { Principal } from '../../src/exercises/exercise-types';
import { composeNotices } from '../../src/server';
import type { NoticeEventInput } from '../../src/notices/notice-request-schemas';
import { createNoticeStore } from '../../src/notices/notice-store';
import { bearer, createExercise, redRequest, yellowRequest, type ExerciseFixture } from '../support/fixtures';
import { describeEachDatabase, type TestApp } from '../support/http';

/**
 * Every role against every event and read: the requester (Monaco), two receiving countries (France,
 * Serbia), the GS, the CCF, an observer, the facilitator, and no token at all.
 */
const ROLES = ['ncb:MC', 'ncb:FR', 'ncb:RS', 'gs', 'ccf', 'observer', 'facilitator', 'none'] as const;
type RoleKey = (typeof ROLES)[number];

type Step = { as: RoleKey | 'system'; event: Record<string, unknown> };
const SUBMIT: Step = { as: 'ncb:MC', event: { type: 'SUBMIT' } };
const REVIEW: Step = { as: 'gs', event: { type: 'START_REVIEW' } };
const ASK: Step = { as: 'gs', event: { type: 'REQUEST_INFO', question: 'Which identifiers?' } };
const APPROVE: Step = { as: 'gs', event: { type: 'APPROVE', article3Cleared: true } };
const SUSPEND: Step = { as: 'ncb:MC', event: { type: 'SUSPEND', reason: 'Identity check' } };
// The exercise clock that fires deadlines is not there yet: the test sends the deadline as the system would.
const RENEWAL_WINDOW: Step = { as: 'system', event: { type: 'OPEN_RENEWAL' } };
const PUBLISHED = [SUBMIT, REVIEW, APPROVE];

interface NoticeCase {
  event: Record<string, unknown>;
  setup: Step[];
  allowed: RoleKey[];
  type?: 'RED' | 'YELLOW';
}

const NOTICE_CASES: NoticeCase[] = [
  { event: { type: 'SUBMIT' }, setup: [], allowed: ['ncb:MC'] },
  { event: { type: 'START_REVIEW' }, setup: [SUBMIT], allowed: ['gs'] },
  { event: { type: 'REQUEST_INFO', question: 'Which identifiers?' }, setup: [SUBMIT, REVIEW], allowed: ['gs'] },
  { event: { type: 'PROVIDE_INFO', answer: 'Fingerprints' }, setup: [SUBMIT, REVIEW, ASK], allowed: ['ncb:MC'] },
  { event: { type: 'APPROVE', article3Cleared: true }, setup: [SUBMIT, REVIEW], allowed: ['gs'] },
  { event: { type: 'REFUSE', reason: 'Predominantly political', grounds: ['ARTICLE_3'] }, setup: [SUBMIT, REVIEW], allowed: ['gs'] },
  { event: { type: 'SUSPEND', reason: 'Identity check' }, setup: PUBLISHED, allowed: ['ncb:MC'] },
  { event: { type: 'RESUME' }, setup: [...PUBLISHED, SUSPEND], allowed: ['ncb:MC'] },
  { event: { type: 'RENEW', reason: 'Still wanted' }, setup: [...PUBLISHED, RENEWAL_WINDOW], allowed: ['ncb:MC'] },
  { event: { type: 'REPORT_LOCATED', details: 'Found' }, setup: PUBLISHED, allowed: ['ncb:MC', 'ncb:FR', 'ncb:RS'], type: 'YELLOW' },
  { event: { type: 'WITHDRAW', reason: 'Arrested' }, setup: PUBLISHED, allowed: ['ncb:MC'] },
  { event: { type: 'CANCEL', reason: 'Conditions lapsed' }, setup: PUBLISHED, allowed: ['gs'] },
  { event: { type: 'DELETE', decisionRef: 'CCF/2026/1' }, setup: PUBLISHED, allowed: ['ccf'] },
];

const HIT: Record<string, unknown> = { type: 'REPORT_HIT', details: 'Seen at the border' };
const ARREST: Record<string, unknown> = { type: 'PROVISIONAL_ARREST' };
const CIRCULATION_CASES: { event: Record<string, unknown>; before: Record<string, unknown>[]; type?: 'YELLOW' }[] = [
  { event: { type: 'ACKNOWLEDGE' }, before: [] },
  { event: HIT, before: [] },
  { event: ARREST, before: [HIT] },
  { event: { type: 'DECLINE_ACTION', reason: 'Statute of limitations' }, before: [HIT] },
  { event: { type: 'SURRENDER' }, before: [HIT, ARREST] },
  { event: { type: 'REPORT_LOCATED', details: 'Found in Lyon' }, before: [], type: 'YELLOW' },
];

describeEachDatabase('who may do what', (ctx) => {
  let ex: ExerciseFixture;
  beforeAll(async () => {
    ex = await createExercise(ctx().http, ['MC', 'FR', 'RS']);
  });

  const auth = (role: RoleKey) => (role === 'none' ? {} : bearer(role === 'facilitator' ? ex.facilitator : ex.tokens[role]!));

  /** The system actor, for the deadline only the clock would send. */
  function systemSend(app: TestApp, noticeId: string, event: Record<string, unknown>) {
    const system: Principal = { participantId: randomUUID(), exerciseId: ex.id, role: 'system', clock: { simEpoch: new Date(), wallAnchor: new Date(), speed: 1, running: true, freezeWhilePaused: true } };
    return composeNotices(createNoticeStore(app.db.prisma)).notices.sendEvent(system, noticeId, event as unknown as NoticeEventInput);
  }

  async function prepare(app: TestApp, type: 'RED' | 'YELLOW', setup: Step[]): Promise<string> {
    const request = type === 'RED' ? redRequest() : yellowRequest();
    const created = await app.http.post(`/api/exercises/${ex.id}/notices`).set(auth('ncb:MC')).send(request).expect(201);
    for (const step of setup) {
      if (step.as === 'system') await systemSend(app, created.body.id, step.event);
      else await app.http.post(`/api/notices/${created.body.id}/events`).set(auth(step.as)).send(step.event).expect(200);
    }
    return created.body.id as string;
  }

  const stateOf = async (app: TestApp, id: string) => {
    const notice = await app.http.get(`/api/notices/${id}`).set(auth('gs')).expect(200);
    const history = await app.http.get(`/api/notices/${id}/history`).set(auth('gs')).expect(200);
    return { version: notice.body.version, state: notice.body.state, history: history.body.items.length };
  };

  describe.each(NOTICE_CASES)('notice event $event.type', ({ event, setup, allowed, type = 'RED' }) => {
    const published = setup.some((s) => s.event.type === 'APPROVE');
    const expected = (role: RoleKey) => {
      if (role === 'none') return 401;
      if (allowed.includes(role)) return 200;
      // A receiving country sees the notice only once it is published to it.
      if ((role === 'ncb:FR' || role === 'ncb:RS') && !published) return 404;
      return 403;
    };

    it(`${ROLES.map((r) => `${r} → ${expected(r)}`).join(', ')}; allowedEvents agrees`, async () => {
      const app = ctx();
      const id = await prepare(app, type, setup);
      const before = await stateOf(app, id);
      for (const role of ROLES.filter((r) => expected(r) !== 200)) {
        const res = await app.http.post(`/api/notices/${id}/events`).set(auth(role)).send(event);
        expect([role, res.status]).toEqual([role, expected(role)]);
        if (expected(role) === 404 || role === 'none') continue;
        const seen = await app.http.get(`/api/notices/${id}`).set(auth(role)).expect(200);
        expect([role, seen.body.allowedEvents.includes(event.type)]).toEqual([role, false]);
      }
      expect(await stateOf(app, id)).toEqual(before);
      for (const role of allowed) {
        const fresh = role === allowed[0] ? id : await prepare(app, type, setup);
        const seen = await app.http.get(`/api/notices/${fresh}`).set(auth(role)).expect(200);
        expect([role, seen.body.allowedEvents.includes(event.type)]).toEqual([role, true]);
        const res = await app.http.post(`/api/notices/${fresh}/events`).set(auth(role)).send(event);
        expect([role, res.status]).toEqual([role, 200]);
      }
    });
  });

  describe.each(CIRCULATION_CASES)('circulation event $event.type on France’s record', ({ event, before, type }) => {
    const expected = (role: RoleKey) => (role === 'none' ? 401 : role === 'ncb:FR' ? 200 : 403);

    it(`${ROLES.map((r) => `${r} → ${expected(r)}`).join(', ')}`, async () => {
      const app = ctx();
      const id = await prepare(app, type ?? 'RED', PUBLISHED);
      const post = (role: RoleKey, body: Record<string, unknown>) =>
        app.http.post(`/api/notices/${id}/circulation/FR/events`).set(auth(role)).send(body);
      for (const step of before) await post('ncb:FR', step).expect(200);
      const snapshot = await stateOf(app, id);
      for (const role of ROLES.filter((r) => r !== 'ncb:FR')) {
        const res = await post(role, event);
        expect([role, res.status]).toEqual([role, expected(role)]);
      }
      expect(await stateOf(app, id)).toEqual(snapshot);
      await post('ncb:FR', event).expect(200);
    });
  });

  describe('reads', () => {
    const READS = ['/api/notices/:id', '/api/notices/:id/history', '/api/notices/:id/circulation'];
    it.each([
      ['a draft', [] as Step[], { 'ncb:MC': 200, 'ncb:FR': 404, 'ncb:RS': 404 }],
      ['a published notice', PUBLISHED, { 'ncb:MC': 200, 'ncb:FR': 200, 'ncb:RS': 200 }],
    ])('of %s: ncb as shown, gs/ccf/observer/facilitator 200, no token 401', async (_what, setup, ncbs) => {
      const app = ctx();
      const id = await prepare(app, 'RED', setup);
      const expected: Record<RoleKey, number> = { ...ncbs, gs: 200, ccf: 200, observer: 200, facilitator: 200, none: 401 };
      for (const path of READS) {
        for (const role of ROLES) {
          const res = await app.http.get(path.replace(':id', id)).set(auth(role));
          expect([path, role, res.status]).toEqual([path, role, expected[role]]);
        }
      }
    });

    it('of the notice list: everyone with a token, filtered for an ncb; of participants: the facilitator only', async () => {
      const app = ctx();
      for (const role of ROLES) {
        const list = await app.http.get(`/api/exercises/${ex.id}/notices`).set(auth(role));
        expect([role, list.status]).toEqual([role, role === 'none' ? 401 : 200]);
        const participants = await app.http.get(`/api/exercises/${ex.id}/participants`).set(auth(role));
        expect([role, participants.status]).toEqual([role, role === 'none' ? 401 : role === 'facilitator' ? 200 : 403]);
      }
    });
  });
});
