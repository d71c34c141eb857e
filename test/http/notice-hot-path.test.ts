import { getInitialSnapshot } from 'xstate';
import { circulationEffect } from '../../src/circulation/circulation-effects';
import { evaluateEvent, type PersistedSnapshot } from '../../src/kernel/machine-evaluation';
import { NOTICE_ROLE_GUARDS, noticeMachineFor, type NoticeEvent } from '../../src/notices/notice-machine';
import { createNoticeStore } from '../../src/notices/notice-store';
import { createNoticeTransitions } from '../../src/notices/notice-transitions';
import type { NoticeRequest, NoticeType } from '../../src/notices/notice-types';
import { bearer, createExercise, publishedNotice, redRequest, send, type ExerciseFixture } from '../support/fixtures';
import { describeEachDatabase, type TestApp } from '../support/http';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Red notice of Monaco's, driven to under_review. */
async function underReview(app: TestApp, ex: ExerciseFixture): Promise<string> {
  const ncb = ex.tokens['ncb:MC']!;
  const created = await app.http.post(`/api/exercises/${ex.id}/notices`).set(bearer(ncb)).send(redRequest()).expect(201);
  await send(app.http, ncb, created.body.id, { type: 'SUBMIT' });
  await send(app.http, ex.tokens.gs!, created.body.id, { type: 'START_REVIEW' });
  return created.body.id as string;
}

const history = async (app: TestApp, ex: ExerciseFixture, id: string) =>
  (await app.http.get(`/api/notices/${id}/history`).set(bearer(ex.tokens.gs!)).expect(200)).body.items as {
    seq: number;
    type: string;
    actor: { role: string; country?: string };
    from: string | null;
    to: string;
    at: string;
    payload: Record<string, unknown>;
  }[];

/** The notice's row and its own deadline rows as stored. */
async function stored(app: TestApp, id: string) {
  const notice = await app.db.prisma.notice.findUniqueOrThrow({ where: { id } });
  const deadlines = await app.db.prisma.deadline.findMany({ where: { noticeId: id }, orderBy: { dueAt: 'asc' } });
  return { notice, deadlines: deadlines.map((d) => ({ event: d.event, at: d.dueAt.toISOString() })) };
}

/** Counts the store's Prisma transactions (the locked path) while `work` runs. */
async function transactionsDuring(app: TestApp, work: () => Promise<void>): Promise<number> {
  const spy = jest.spyOn(app.db.prisma, '$transaction');
  try {
    await work();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

describeEachDatabase('notice events without the notice lock', (ctx) => {
  it('publishes without a transaction when nothing stands in the way', async () => {
    const app = ctx();
    const ex = await createExercise(app.http, ['MC', 'FR']);
    const id = await underReview(app, ex);
    let body: Record<string, unknown> = {};
    const transactions = await transactionsDuring(app, async () => {
      body = await send(app.http, ex.tokens.gs!, id, { type: 'APPROVE', article3Cleared: true });
    });
    expect(transactions).toBe(0);
    expect(body).toMatchObject({ state: 'published', version: 4 });
    const { notice, deadlines } = await stored(app, id);
    expect({ state: notice.state, version: notice.version, lastSeq: notice.lastSeq }).toEqual({
      state: 'published',
      version: 4,
      lastSeq: 4,
    });
    expect(notice.publishedAt?.toISOString()).toBe(body.publishedAt);
    expect(deadlines).toEqual(body.deadlines);
    expect((await history(app, ex, id)).at(-1)).toMatchObject({
      seq: 4,
      type: 'APPROVE',
      from: 'under_review',
      to: 'published',
      payload: { article3Cleared: true, failingChecks: [], recipientCount: 195 },
    });
  });

  it('gives one of two racing APPROVEs of one notice a 200 and the other a 409, and writes it once', async () => {
    const app = ctx();
    const ex = await createExercise(app.http, ['MC']);
    for (let round = 0; round < 3; round++) {
      const id = await underReview(app, ex);
      const approve = () =>
        app.http.post(`/api/notices/${id}/events`).set(bearer(ex.tokens.gs!)).send({ type: 'APPROVE', article3Cleared: true });
      const answers = await Promise.all([approve(), approve()]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
      const refused = answers.find((r) => r.status === 409)!;
      // Judged against the notice as it arrived: it moved meanwhile (STALE_VERSION), or had moved already.
      expect(['STALE_VERSION', 'INVALID_TRANSITION']).toContain(refused.body.error.code);
      const items = await history(app, ex, id);
      expect(items.map((h) => h.type)).toEqual(['CREATE', 'SUBMIT', 'START_REVIEW', 'APPROVE']);
      const { notice, deadlines } = await stored(app, id);
      expect({ version: notice.version, lastSeq: notice.lastSeq }).toEqual({ version: 4, lastSeq: 4 });
      expect(deadlines).toEqual(answers.find((r) => r.status === 200)!.body.deadlines);
    }
  });

  it('keeps If-Match: a version other than the notice’s is refused before anything is written', async () => {
    const app = ctx();
    const ex = await createExercise(app.http, ['MC']);
    const id = await underReview(app, ex);
    const stale = await app.http
      .post(`/api/notices/${id}/events`)
      .set({ ...bearer(ex.tokens.gs!), 'If-Match': '2' })
      .send({ type: 'APPROVE', article3Cleared: true })
      .expect(409);
    expect(stale.body.error.code).toBe('STALE_VERSION');
    expect((await stored(app, id)).notice.version).toBe(3);
    await app.http
      .post(`/api/notices/${id}/events`)
      .set({ ...bearer(ex.tokens.gs!), 'If-Match': '3' })
      .send({ type: 'APPROVE', article3Cleared: true })
      .expect(200);
  });

  it('fires a deadline that fell due before the event first, on the locked path, and judges the event after it', async () => {
    const app = ctx();
    const ex = await createExercise(app.http, ['MC'], 'Played on a paused clock', { freezeWhilePaused: false });
    const clock = (body: object) =>
      app.http.post(`/api/exercises/${ex.id}/clock`).set(bearer(ex.facilitator)).send(body).expect(200);
    await clock({ action: 'pause' });
    const id = await underReview(app, ex);
    await send(app.http, ex.tokens.gs!, id, { type: 'REQUEST_INFO', question: 'Which court?' });
    await clock({ action: 'advance', by: 'P59D' });
    // One simulated year a second: the 60 days' deadline falls due within 0.1 s, with no ticker in this app.
    await clock({ action: 'set_speed', speed: 31_536_000 });
    await clock({ action: 'resume' });
    await sleep(150);
    let refused: { error: { code: string; details: { state: string } } } | undefined;
    const transactions = await transactionsDuring(app, async () => {
      refused = await send(app.http, ex.tokens['ncb:MC']!, id, { type: 'PROVIDE_INFO', answer: 'The Paris court' }, 409);
    });
    expect(transactions).toBeGreaterThan(0);
    expect(refused?.error).toMatchObject({ code: 'INVALID_TRANSITION', details: { state: 'refused' } });
    expect((await history(app, ex, id)).at(-1)).toMatchObject({ type: 'INFO_TIMEOUT', to: 'refused', actor: { role: 'system' } });
    expect((await stored(app, id)).deadlines).toEqual([]);
  });

  it('refuses an event on a notice of an ended run with 409 EARLIER_RUN, and writes nothing', async () => {
    const app = ctx();
    const ex = await createExercise(app.http, ['MC']);
    const id = await underReview(app, ex);
    await app.http.post(`/api/exercises/${ex.id}/reset`).set(bearer(ex.facilitator)).expect(200);
    await app.http.post(`/api/exercises/${ex.id}/clock`).set(bearer(ex.facilitator)).send({ action: 'resume' }).expect(200);
    const refused = await send(app.http, ex.tokens.gs!, id, { type: 'APPROVE', article3Cleared: true }, 409);
    expect(refused.error).toMatchObject({ code: 'EARLIER_RUN', details: { run: 1, currentRun: 2 } });
    const { notice } = await stored(app, id);
    expect({ state: notice.state, version: notice.version }).toEqual({ state: 'under_review', version: 3 });
    expect((await history(app, ex, id)).map((h) => h.type)).toEqual(['CREATE', 'SUBMIT', 'START_REVIEW']);
  });

  it('writes a planned transition only at the version and run it was judged on, whole or not at all', async () => {
    const app = ctx();
    const ex = await createExercise(app.http, ['MC']);
    const store = createNoticeStore(app.db.prisma, app.db.query);
    const transitions = createNoticeTransitions();
    const plan = async (id: string) => {
      const notice = (await store.peekNotice(id))!;
      const event = { type: 'APPROVE', article3Cleared: true, actor: { role: 'gs' }, at: new Date().toISOString() };
      const planned = (await transitions.planAlone(notice, event as NoticeEvent, { participantId: null, payload: {} }))!;
      return { notice, planned };
    };
    const id = await underReview(app, ex);
    const { notice, planned } = await plan(id);
    expect(planned.write.deadlines?.length).toBeGreaterThan(0);
    const written = await store.writeNoticeEventAlone(notice, planned.write, planned.entry);
    expect(written).toMatchObject({ id, state: 'published', version: 4, run: 1, exerciseRun: 1 });
    const after = await stored(app, id);
    // The same plan again: the version has moved, so nothing is written.
    expect(await store.writeNoticeEventAlone(notice, planned.write, planned.entry)).toBeNull();
    expect(await stored(app, id)).toEqual(after);
    expect((await history(app, ex, id)).length).toBe(4);

    // A reset after the read: the notice's run has ended, so nothing is written either.
    const next = await underReview(app, ex);
    const late = await plan(next);
    await app.http.post(`/api/exercises/${ex.id}/reset`).set(bearer(ex.facilitator)).expect(200);
    const before = await stored(app, next);
    expect(await store.writeNoticeEventAlone(late.notice, late.planned.write, late.planned.entry)).toBeNull();
    expect(await stored(app, next)).toEqual(before);
  });

  it('leaves to the locked path a transition whose effects write in the transaction (closing the circulation)', async () => {
    const app = ctx();
    const ex = await createExercise(app.http, ['MC', 'FR']);
    const store = createNoticeStore(app.db.prisma, app.db.query);
    const published = await publishedNotice(app.http, ex, redRequest());
    const notice = (await store.peekNotice(published.id))!;
    const withdraw = { type: 'WITHDRAW', reason: 'Done', actor: { role: 'ncb', country: 'MC' }, at: new Date().toISOString() };
    const transitions = createNoticeTransitions([circulationEffect]);
    const meta = { participantId: null, payload: {} };
    expect(await transitions.planAlone(notice, withdraw as NoticeEvent, meta)).toBeNull();
    // A move circulation has nothing to do for plans as any other.
    const suspend = { ...withdraw, type: 'SUSPEND' };
    expect(await transitions.planAlone(notice, suspend as NoticeEvent, meta)).toMatchObject({ entry: { to: 'suspended' } });
    // Through the API the withdrawal still closes every record, on the locked path.
    const body = await send(app.http, ex.tokens['ncb:MC']!, published.id, { type: 'WITHDRAW', reason: 'Done' });
    expect(body.state).toBe('withdrawn');
    expect((await history(app, ex, published.id)).at(-1)!.payload.closedRecords).toContain('FR');
  });

  it('keeps a history that replays, through the notice machine, to the stored state', async () => {
    const app = ctx();
    const ex = await createExercise(app.http, ['MC', 'FR']);
    const ncb = ex.tokens['ncb:MC']!;
    const gs = ex.tokens.gs!;
    const id = await underReview(app, ex);
    await send(app.http, gs, id, { type: 'REQUEST_INFO', question: 'Which court?' });
    await send(app.http, ncb, id, { type: 'PROVIDE_INFO', answer: 'The Paris court' });
    await send(app.http, gs, id, { type: 'APPROVE', article3Cleared: true });
    await send(app.http, ncb, id, { type: 'SUSPEND', reason: 'Identity check' });
    await send(app.http, ncb, id, { type: 'RESUME' });
    // A refused event on the way leaves no trace.
    await send(app.http, gs, id, { type: 'APPROVE', article3Cleared: true }, 409);

    const items = await history(app, ex, id);
    expect(items.map((h) => h.seq)).toEqual(items.map((_, i) => i + 1));
    items.slice(1).forEach((h, i) => expect(h.from).toBe(items[i]!.to));
    const { notice, deadlines } = await stored(app, id);
    const snapshot = notice.snapshot as unknown as PersistedSnapshot<{ request: unknown; requestingCountry: string }>;
    const machine = noticeMachineFor(notice.type as NoticeType);
    // The request as created: no event on the way changed it (PROVIDE_INFO sent no changes).
    let replayed = getInitialSnapshot(machine, {
      requestingCountry: snapshot.context.requestingCountry,
      request: snapshot.context.request as NoticeRequest,
    });
    for (const h of items.slice(1)) {
      const { failingChecks: _f, recipientCount: _r, ...sent } = h.payload;
      const event = { type: h.type, actor: h.actor, at: h.at, ...sent } as NoticeEvent;
      const outcome = evaluateEvent(machine, replayed, event, { roleGuards: NOTICE_ROLE_GUARDS });
      if (!outcome.ok) throw new Error(`${h.type} did not replay: ${outcome.reason}`);
      replayed = outcome.next;
    }
    expect(JSON.parse(JSON.stringify({ value: replayed.value, context: replayed.context }))).toEqual(snapshot);
    expect(notice.state).toBe(String(replayed.value));
    expect(deadlines).toEqual(replayed.context.deadlines);
    const rows = await app.db.prisma.noticeEvent.findMany({ where: { noticeId: id }, select: { exerciseSeq: true } });
    expect(rows.every((r) => r.exerciseSeq !== null)).toBe(true);
    expect(new Set(rows.map((r) => r.exerciseSeq)).size).toBe(rows.length);
  });
});
