import type { Database } from '../../src/db/database';
import { CHANNELS } from '../../src/db/notifications';
import { createExerciseSequencer } from '../../src/exercises/exercise-sequencer';
import { createExerciseService } from '../../src/exercises/exercise-service';
import { createExerciseStore } from '../../src/exercises/exercise-store';
import { noticeRunScope } from '../../src/notices/notice-runs';
import { createNoticeStore } from '../../src/notices/notice-store';
import type { NoticeRequest } from '../../src/notices/notice-types';
import { composeNotices } from '../../src/server';
import { createEventFeed } from '../../src/stream/event-feed';
import { databaseKinds, openTestDatabase } from '../support/databases';
import { redRequest } from '../support/fixtures';

/**
 * Positions are given after commit (exercise-sequencer.ts). Here the notices are written with no
 * sequencer behind them, as by a process that stopped between its commit and its kick.
 */
describe.each(databaseKinds())('the exercise sequencer on %s', (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await db.close();
  });

  async function exerciseWithUnnumberedEvents() {
    const exercises = createExerciseService(createExerciseStore(db.prisma), undefined, { runScopes: [noticeRunScope] });
    const { notices } = composeNotices(createNoticeStore(db.prisma));
    const ex = await exercises.create('sequencer');
    const facilitator = (await exercises.authenticate(ex.facilitatorToken))!;
    const ncb = await exercises.addParticipant(facilitator, ex.id, { role: 'ncb', country: 'MC' });
    const mc = (await exercises.authenticate(ncb.token))!;
    const notice = await notices.create(mc, ex.id, redRequest() as unknown as NoticeRequest);
    await notices.sendEvent(mc, notice.id, { type: 'SUBMIT' });
    return { exercises, facilitator, exerciseId: ex.id };
  }

  const positionsOf = async (exerciseId: string) =>
    (
      await db.prisma.noticeEvent.findMany({
        where: { exerciseId },
        orderBy: { id: 'asc' },
        select: { exerciseSeq: true },
      })
    ).map((e) => (e.exerciseSeq === null ? null : Number(e.exerciseSeq)));

  it('leaves committed events out of the feed until numbered, then the sweep numbers them in order and says so', async () => {
    const { exerciseId } = await exerciseWithUnnumberedEvents();
    const feed = createEventFeed(db.prisma);
    const gs = { role: 'gs' as const };
    expect(await positionsOf(exerciseId)).toEqual([null, null]);
    expect(await feed.now(exerciseId)).toBe(0);
    expect(await feed.after(exerciseId, 0, gs)).toEqual([]);

    const heard: string[] = [];
    const stop = await db.notifications.listen(CHANNELS.exerciseEvents, (id) => heard.push(id));
    await createExerciseSequencer(db.query).sweep();
    // Sent last: once it is here, the sequencer's message (sent on its commit, before) has come too.
    await db.notifications.notify(CHANNELS.exerciseEvents, 'last');
    await new Promise<void>((resolve) => {
      const check = setInterval(() => heard.includes('last') && (clearInterval(check), resolve()), 5);
    });
    await stop();

    expect(await positionsOf(exerciseId)).toEqual([1, 2]);
    expect(await feed.now(exerciseId)).toBe(2);
    expect(
      (await feed.after(exerciseId, 0, gs)).map((e) => [e.position, e.event === 'notice-event' && e.data.subject === 'notice' && e.data.type]),
    ).toEqual([
      [1, 'CREATE'],
      [2, 'SUBMIT'],
    ]);
    expect(heard.filter((id) => id === exerciseId)).toEqual([exerciseId]);
  });

  it('numbers each event once however many kicks come at once, and a later kick finds nothing to do', async () => {
    const { exerciseId } = await exerciseWithUnnumberedEvents();
    const sequencer = createExerciseSequencer(db.query);
    await Promise.all([sequencer.kick(exerciseId), sequencer.kick(exerciseId), sequencer.kick(exerciseId)]);
    await sequencer.kick(exerciseId);
    expect(await positionsOf(exerciseId)).toEqual([1, 2]);
    expect(await createEventFeed(db.prisma).now(exerciseId)).toBe(2);
  });

  it('numbers several exercises kicked during a round in one round of their own, each from its own counter', async () => {
    const made = [];
    for (let i = 0; i < 4; i++) made.push(await exerciseWithUnnumberedEvents());
    const ids = made.map((m) => m.exerciseId);
    const heard: string[] = [];
    const stop = await db.notifications.listen(CHANNELS.exerciseEvents, (id) => heard.push(id));
    const sequencer = createExerciseSequencer(db.query);
    // The first kick starts a round; the others come during it and share the next one (one statement).
    await Promise.all(ids.map((id) => sequencer.kick(id)));
    await db.notifications.notify(CHANNELS.exerciseEvents, 'last');
    await new Promise<void>((resolve) => {
      const check = setInterval(() => heard.includes('last') && (clearInterval(check), resolve()), 5);
    });
    await stop();
    for (const id of ids) {
      expect(await positionsOf(id)).toEqual([1, 2]);
      expect(await createEventFeed(db.prisma).now(id)).toBe(2);
    }
    expect(heard.filter((id) => id !== 'last').sort()).toEqual([...ids].sort());
  });

  it('has a reset number the events committed before it first, then take the next position itself', async () => {
    const { exercises, facilitator, exerciseId } = await exerciseWithUnnumberedEvents();
    await exercises.reset(facilitator, exerciseId);

    expect(await positionsOf(exerciseId)).toEqual([1, 2]);
    const resets = await db.prisma.exerciseReset.findMany({ where: { exerciseId } });
    expect(resets.map((r) => [r.run, Number(r.exerciseSeq)])).toEqual([[2, 3]]);
    expect(await createEventFeed(db.prisma).now(exerciseId)).toBe(3);
  });
});
