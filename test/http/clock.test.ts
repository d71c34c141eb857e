import { createExerciseService } from '../../src/exercises/exercise-service';
import { createExerciseStore } from '../../src/exercises/exercise-store';
import { simulatedNow } from '../../src/exercises/clock';
import { composeNotices } from '../../src/server';
import { createNoticeStore } from '../../src/notices/notice-store';
import { databaseKinds, openTestDatabase } from '../support/databases';
import { bearer, createExercise, publishedNotice, redRequest, send, type ExerciseFixture } from '../support/fixtures';
import { describeEachDatabase, type TestApp } from '../support/http';

const clock = (app: TestApp, ex: ExerciseFixture, body: object, status = 200) =>
  app.http.post(`/api/exercises/${ex.id}/clock`).set(bearer(ex.facilitator)).send(body).expect(status);
const history = async (app: TestApp, ex: ExerciseFixture, id: string) =>
  (await app.http.get(`/api/notices/${id}/history`).set(bearer(ex.tokens.gs!)).expect(200)).body.items as {
    type: string;
    actor: { role: string };
    at: string;
    from: string;
    to: string;
    payload: Record<string, unknown>;
  }[];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * These tests pause the clock so that each event has an exact simulated time, and act as teams between
 * the facilitator's advances: their exercises let teams act while paused.
 */
const playingWhilePaused = (app: TestApp, countries: string[]) =>
  createExercise(app.http, countries, 'Played on a paused clock', { freezeWhilePaused: false });

describeEachDatabase('the exercise clock', (ctx) => {
  it('is read by every participant and driven by the facilitator alone', async () => {
    const app = ctx();
    const ex = await createExercise(app.http, ['MC']);
    for (const token of [ex.facilitator, ex.tokens.gs!, ex.tokens['ncb:MC']!, ex.tokens.observer!]) {
      const res = await app.http.get(`/api/exercises/${ex.id}/clock`).set(bearer(token)).expect(200);
      expect(res.body).toEqual({ now: expect.any(String), running: true, speed: 1, freezeWhilePaused: true });
    }
    for (const token of [ex.tokens.gs!, ex.tokens['ncb:MC']!, ex.tokens.observer!]) {
      await app.http.post(`/api/exercises/${ex.id}/clock`).set(bearer(token)).send({ action: 'pause' }).expect(403);
    }
    const other = await createExercise(app.http, []);
    await app.http.get(`/api/exercises/${ex.id}/clock`).set(bearer(other.tokens.gs!)).expect(404);
  });

  it.each([
    [{}, 'body.action'],
    [{ action: 'rewind' }, 'body.action'],
    [{ action: 'advance' }, 'body.by'],
    [{ action: 'advance', by: '30 days' }, 'body.by'],
    [{ action: 'advance', by: 'P-1D' }, 'body.by'],
    [{ action: 'advance', by: 'P11Y' }, 'body.by'],
    [{ action: 'advance', by: 'P1MT-719H' }, 'body.by'],
    [{ action: 'advance', by: 'P1M-29DT-23H' }, 'body.by'],
    [{ action: 'advance', by: 'PT0S' }, 'body.by'],
    [{ action: 'set_speed', speed: 0 }, 'body.speed'],
    [{ action: 'set_speed', speed: 5e-324 }, 'body.speed'],
    [{ action: 'set_speed', speed: 0.0009 }, 'body.speed'],
    [{ action: 'set_speed', speed: 31_536_001 }, 'body.speed'],
    [{ action: 'set_speed', speed: '3600' }, 'body.speed'],
    [{ action: 'pause', by: 'P1D' }, 'body.by'],
  ])('rejects %j naming %s', async (body, field) => {
    const app = ctx();
    const ex = await createExercise(app.http, []);
    const res = await clock(app, ex, body, 400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('stands still while paused, jumps on advance, and runs at the speed set', async () => {
    const app = ctx();
    const ex = await createExercise(app.http, []);
    const paused = (await clock(app, ex, { action: 'pause' })).body;
    expect(paused.running).toBe(false);
    await sleep(30);
    expect((await app.http.get(`/api/exercises/${ex.id}/clock`).set(bearer(ex.facilitator))).body.now).toBe(paused.now);
    const advanced = (await clock(app, ex, { action: 'advance', by: 'P30D' })).body;
    expect(Date.parse(advanced.now) - Date.parse(paused.now)).toBe(30 * 86_400_000);
    await clock(app, ex, { action: 'set_speed', speed: 3600 });
    const resumed = (await clock(app, ex, { action: 'resume' })).body;
    expect(resumed).toMatchObject({ running: true, speed: 3600 });
    await sleep(50);
    const later = (await app.http.get(`/api/exercises/${ex.id}/clock`).set(bearer(ex.facilitator))).body;
    // At least 50 ms of wall time went by, so at least 180 simulated seconds.
    expect(Date.parse(later.now) - Date.parse(resumed.now)).toBeGreaterThanOrEqual(180_000);
  });

  it('stamps events with simulated time: a notice published after a 30-day jump is published then', async () => {
    const app = ctx();
    const ex = await playingWhilePaused(app, ['MC']);
    const { now } = (await clock(app, ex, { action: 'pause' })).body;
    await clock(app, ex, { action: 'advance', by: 'P30D' });
    const notice = await publishedNotice(app.http, ex, redRequest());
    expect(Date.parse(notice.publishedAt) - Date.parse(now)).toBe(30 * 86_400_000);
    const items = await history(app, ex, notice.id);
    expect(items.every((h) => h.at === notice.publishedAt)).toBe(true);
  });
});

describeEachDatabase('deadlines that fire', (ctx) => {
  it('expires a notice nobody renewed when six years pass, closing its circulation, in time order', async () => {
    const app = ctx();
    const ex = await playingWhilePaused(app, ['MC', 'FR']);
    await clock(app, ex, { action: 'pause' });
    const notice = await publishedNotice(app.http, ex, redRequest());
    const fired = await clock(app, ex, { action: 'advance', by: 'P6Y' });
    expect(fired.body.deadlinesFired).toBe(2);

    const after = await app.http.get(`/api/notices/${notice.id}`).set(bearer(ex.tokens.gs!)).expect(200);
    expect(after.body).toMatchObject({ state: 'expired', deadline: null });
    const items = await history(app, ex, notice.id);
    expect(items.slice(-2).map((h) => [h.type, h.actor.role, h.from, h.to])).toEqual([
      ['OPEN_RENEWAL', 'system', 'published', 'renewal_pending'],
      ['EXPIRE', 'system', 'renewal_pending', 'expired'],
    ]);
    const windowOpens = new Date(notice.expiresAt);
    windowOpens.setUTCMonth(windowOpens.getUTCMonth() - 6);
    expect(items.at(-2)!.at).toBe(windowOpens.toISOString());
    expect(items.at(-1)!.at).toBe(notice.expiresAt);
    expect(items.at(-1)!.payload.closedRecords).toHaveLength(195);

    // Nothing is left to fire: a second jump fires nothing.
    expect((await clock(app, ex, { action: 'advance', by: 'P1Y' })).body.deadlinesFired).toBe(0);
  });

  it('keeps a renewed notice alive: the window opens, the owner renews, expiry moves five years on', async () => {
    const app = ctx();
    const ex = await playingWhilePaused(app, ['MC']);
    await clock(app, ex, { action: 'pause' });
    const notice = await publishedNotice(app.http, ex, redRequest());
    await clock(app, ex, { action: 'advance', by: 'P4Y7M' });
    const pending = await app.http.get(`/api/notices/${notice.id}`).set(bearer(ex.tokens['ncb:MC']!)).expect(200);
    expect(pending.body).toMatchObject({ state: 'renewal_pending', allowedEvents: ['RENEW', 'WITHDRAW'] });
    const renewed = await send(app.http, ex.tokens['ncb:MC']!, notice.id, { type: 'RENEW', reason: 'Still wanted in five countries' });
    expect(new Date(renewed.expiresAt).getUTCFullYear() - new Date(notice.expiresAt).getUTCFullYear()).toBe(5);
    expect((await clock(app, ex, { action: 'advance', by: 'P2Y' })).body.deadlinesFired).toBe(0);
    expect((await app.http.get(`/api/notices/${notice.id}`).set(bearer(ex.tokens.gs!))).body.state).toBe('published');
  });

  it('withdraws a suspension left for six months and refuses a request for information unanswered for 60 days', async () => {
    const app = ctx();
    const ex = await playingWhilePaused(app, ['MC']);
    await clock(app, ex, { action: 'pause' });
    const suspended = await publishedNotice(app.http, ex, redRequest());
    await send(app.http, ex.tokens['ncb:MC']!, suspended.id, { type: 'SUSPEND', reason: 'Identity check' });
    const created = await app.http.post(`/api/exercises/${ex.id}/notices`).set(bearer(ex.tokens['ncb:MC']!)).send(redRequest()).expect(201);
    await send(app.http, ex.tokens['ncb:MC']!, created.body.id, { type: 'SUBMIT' });
    await send(app.http, ex.tokens.gs!, created.body.id, { type: 'START_REVIEW' });
    await send(app.http, ex.tokens.gs!, created.body.id, { type: 'REQUEST_INFO', question: 'Which court?' });

    expect((await clock(app, ex, { action: 'advance', by: 'P59D' })).body.deadlinesFired).toBe(0);
    expect((await clock(app, ex, { action: 'advance', by: 'P2D' })).body.deadlinesFired).toBe(1);
    expect((await history(app, ex, created.body.id)).at(-1)).toMatchObject({ type: 'INFO_TIMEOUT', to: 'refused', actor: { role: 'system' } });
    expect((await clock(app, ex, { action: 'advance', by: 'P5M' })).body.deadlinesFired).toBe(1);
    expect((await history(app, ex, suspended.id)).at(-1)).toMatchObject({ type: 'LAPSE_SUSPENSION', to: 'withdrawn', actor: { role: 'system' } });
  });

  it('opens the renewal window at once, never in the past, for a notice resumed after its window would have opened', async () => {
    const app = ctx();
    const ex = await playingWhilePaused(app, ['MC']);
    await clock(app, ex, { action: 'pause' });
    const notice = await publishedNotice(app.http, ex, redRequest());
    await clock(app, ex, { action: 'advance', by: 'P4Y5M' });
    await send(app.http, ex.tokens['ncb:MC']!, notice.id, { type: 'SUSPEND', reason: 'Identity check' });
    await clock(app, ex, { action: 'advance', by: 'P2M' });
    const resumed = await send(app.http, ex.tokens['ncb:MC']!, notice.id, { type: 'RESUME' });
    const resumedAt = (await history(app, ex, notice.id)).at(-1)!.at;
    expect(resumed.deadline).toEqual({ event: 'OPEN_RENEWAL', at: resumedAt });
    expect((await clock(app, ex, { action: 'advance', by: 'PT1M' })).body.deadlinesFired).toBe(1);
    const items = await history(app, ex, notice.id);
    expect(items.at(-1)).toMatchObject({ type: 'OPEN_RENEWAL', at: resumedAt });
    const times = items.map((h) => Date.parse(h.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('fires a deadline that fell due before an event first, and keeps it when the event is refused', async () => {
    const app = ctx();
    const ex = await playingWhilePaused(app, ['MC', 'FR']);
    await clock(app, ex, { action: 'pause' });
    const notice = await publishedNotice(app.http, ex, redRequest());
    await clock(app, ex, { action: 'advance', by: 'P4Y11M' });
    // One simulated year a second: within 0.1 s of wall time the expiry falls due, with no ticker in this app.
    await clock(app, ex, { action: 'set_speed', speed: 31_536_000 });
    await clock(app, ex, { action: 'resume' });
    await sleep(150);
    const withdraw = await send(app.http, ex.tokens['ncb:MC']!, notice.id, { type: 'WITHDRAW', reason: 'Too late' }, 409);
    expect(withdraw.error.details.state).toBe('expired');
    const items = await history(app, ex, notice.id);
    expect(items.slice(-2).map((h) => h.type)).toEqual(['OPEN_RENEWAL', 'EXPIRE']);
    expect(items.at(-1)!.at).toBe(notice.expiresAt);
    const hit = await app.http
      .post(`/api/notices/${notice.id}/circulation/FR/events`)
      .set(bearer(ex.tokens['ncb:FR']!))
      .send({ type: 'REPORT_HIT', details: 'Too late too' })
      .expect(409);
    expect(hit.body.error.code).toBe('INVALID_TRANSITION');
  });
});

describe.each(databaseKinds())('a deadline fires once with two servers on one database [%s]', (kind) => {
  it('lets only one of two concurrent firings apply each deadline', async () => {
    const first = await openTestDatabase(kind);
    // PostgreSQL: a second client with its own pool, as a second process would have. PGlite: one process only.
    const second = kind === 'postgres' ? await openTestDatabase(kind) : first;
    try {
      const exercises = createExerciseService(createExerciseStore(first.prisma));
      const a = composeNotices(createNoticeStore(first.prisma));
      const b = composeNotices(createNoticeStore(second.prisma));
      const noticesA = a.notices;
      const ex = await exercises.create('two servers');
      const facilitator = (await exercises.authenticate(ex.facilitatorToken))!;
      await exercises.actOnClock(facilitator, ex.id, { action: 'pause' });
      const mc = (await exercises.authenticate((await exercises.addParticipant(facilitator, ex.id, { role: 'ncb', country: 'MC' })).token))!;
      const gs = (await exercises.authenticate((await exercises.addParticipant(facilitator, ex.id, { role: 'gs' })).token))!;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const n = await noticesA.create(mc, ex.id, redRequest() as never);
        await noticesA.sendEvent(mc, n.id, { type: 'SUBMIT' });
        await noticesA.sendEvent(gs, n.id, { type: 'START_REVIEW' });
        await noticesA.sendEvent(gs, n.id, { type: 'APPROVE', article3Cleared: true });
        ids.push(n.id);
      }
      const clock = await exercises.actOnClock(facilitator, ex.id, { action: 'advance', by: 'P6Y' });
      const now = simulatedNow(clock);
      const [firedA, firedB] = await Promise.all([a.changes.fireDue(ex.id, now), b.changes.fireDue(ex.id, now)]);
      expect(firedA + firedB).toBe(10);
      for (const id of ids) {
        const types = (await first.prisma.noticeEvent.findMany({ where: { noticeId: id }, orderBy: { seq: 'asc' } })).map((h) => h.type);
        expect(types).toEqual(['CREATE', 'SUBMIT', 'START_REVIEW', 'APPROVE', 'OPEN_RENEWAL', 'EXPIRE']);
      }
    } finally {
      if (second !== first) await second.close();
      await first.close();
    }
  });
});
