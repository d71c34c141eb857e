import type { Principal } from '../../src/exercises/exercise-types';
import { AppError } from '../../src/kernel/errors';
import { createFakeNoticeStore } from '../../src/notices/fake-notice-store';
import { composeNotices } from '../../src/server';
import type { NoticeStore } from '../../src/notices/notice-store-type';
import type { NoticeRequest } from '../../src/notices/notice-types';
import { redRequest, yellowRequest } from '../support/fixtures';

const EXERCISE = '11111111-1111-4111-8111-111111111111';
const START = new Date('2026-03-02T09:00:00.000Z');

/** A participant on a paused clock at START, so every event's simulated time is known. */
function as(role: Principal['role'], country?: string): Principal {
  return {
    participantId: `${role}-${country ?? ''}`,
    exerciseId: EXERCISE,
    role,
    ...(country && { country }),
    clock: { simEpoch: START, wallAnchor: START, speed: 1, running: false, freezeWhilePaused: true },
  };
}

const mc = as('ncb', 'MC');
const fr = as('ncb', 'FR');
const gs = as('gs');

async function statusOf(promise: Promise<unknown>): Promise<[number, string]> {
  try {
    await promise;
    return [200, ''];
  } catch (error) {
    if (error instanceof AppError) return [error.status, error.code];
    throw error;
  }
}

describe('notice service on the in-memory store', () => {
  let store: NoticeStore;
  beforeEach(() => {
    store = createFakeNoticeStore();
  });

  async function published(request = redRequest()) {
    const { notices, circulation } = composeNotices(store);
    const notice = await notices.create(mc, EXERCISE, request as unknown as NoticeRequest);
    await notices.sendEvent(mc, notice.id, { type: 'SUBMIT' });
    await notices.sendEvent(gs, notice.id, { type: 'START_REVIEW' });
    return { notices, circulation, notice: await notices.sendEvent(gs, notice.id, { type: 'APPROVE', article3Cleared: true }) };
  }

  it('stamps APPROVE with simulated time and keeps the deadlines as data', async () => {
    const { notice } = await published();
    expect(notice.publishedAt).toBe('2026-03-02T09:00:00.000Z');
    expect(notice.expiresAt).toBe('2031-03-02T09:00:00.000Z');
    expect(notice.deadlines).toEqual([{ event: 'OPEN_RENEWAL', at: '2030-09-02T09:00:00.000Z' }]);
    expect(notice.deadline).toEqual({ event: 'OPEN_RENEWAL', at: '2030-09-02T09:00:00.000Z' });
    expect(await store.nextDue(EXERCISE, new Date('2030-09-02T09:00:00.000Z'))).toEqual({
      noticeId: notice.id,
      country: null,
      event: 'OPEN_RENEWAL',
      dueAt: new Date('2030-09-02T09:00:00.000Z'),
    });
    expect(await store.nextDue(EXERCISE, new Date('2030-09-02T08:59:59.999Z'))).toBeNull();
  });

  it('opens 195 records on APPROVE and closes the open ones on WITHDRAW, keeping a surrender', async () => {
    const { notices, circulation, notice } = await published();
    await circulation.sendEvent(fr, notice.id, 'FR', { type: 'REPORT_HIT', details: 'Nice' });
    await circulation.sendEvent(fr, notice.id, 'FR', { type: 'PROVISIONAL_ARREST' });
    await circulation.sendEvent(fr, notice.id, 'FR', { type: 'SURRENDER' });
    await notices.sendEvent(mc, notice.id, { type: 'WITHDRAW', reason: 'Surrendered' });
    const records = await store.circulation(notice.id);
    expect(records).toHaveLength(195);
    expect(records.filter((r) => r.state === 'closed')).toHaveLength(194);
    expect(records.find((r) => r.country === 'FR')?.state).toBe('surrendered');
    const history = await store.history(notice.id);
    expect(history.map((h) => h.seq)).toEqual(history.map((_, i) => i + 1));
  });

  it('tells a state that does not take the event (409) from a role that may not send it (403) from a failing check (409)', async () => {
    const { notices } = composeNotices(store);
    const request = redRequest({ offence: { ...(redRequest().offence as object), category: 'adultery' } });
    const notice = await notices.create(mc, EXERCISE, request as unknown as NoticeRequest);
    expect(await statusOf(notices.sendEvent(gs, notice.id, { type: 'START_REVIEW' }))).toEqual([409, 'INVALID_TRANSITION']);
    expect(await statusOf(notices.sendEvent(gs, notice.id, { type: 'SUBMIT' }))).toEqual([403, 'FORBIDDEN']);
    await notices.sendEvent(mc, notice.id, { type: 'SUBMIT' });
    await notices.sendEvent(gs, notice.id, { type: 'START_REVIEW' });
    const refused = notices.sendEvent(gs, notice.id, { type: 'APPROVE', article3Cleared: true });
    await expect(refused).rejects.toMatchObject({ status: 409, details: { failingChecks: ['RED-CRIME-CATEGORY'] } });
  });

  it('leaves nothing behind when the versioned write fails after the fan-out', async () => {
    const { notices } = composeNotices(store);
    const notice = await notices.create(mc, EXERCISE, redRequest() as unknown as NoticeRequest);
    await notices.sendEvent(mc, notice.id, { type: 'SUBMIT' });
    await notices.sendEvent(gs, notice.id, { type: 'START_REVIEW' });
    // Another writer moves the version on: before the one-statement write, then inside the transaction.
    const racing: NoticeStore = {
      ...store,
      writeNoticeEventAlone: (read, write, entry) =>
        store.writeNoticeEventAlone({ ...read, version: read.version - 1 }, write, entry),
      transaction: (work) =>
        store.transaction((tx) =>
          work({
            ...tx,
            update: async (id, version, write, entry) => tx.update(id, version - 1, write, entry),
          }),
        ),
    };
    const result = composeNotices(racing).notices.sendEvent(gs, notice.id, { type: 'APPROVE', article3Cleared: true });
    await expect(result).rejects.toMatchObject({ status: 409, code: 'STALE_VERSION' });
    expect(await store.circulation(notice.id)).toEqual([]);
    expect((await store.find(notice.id))?.state).toBe('under_review');
    expect((await store.history(notice.id)).map((h) => h.type)).toEqual(['CREATE', 'SUBMIT', 'START_REVIEW']);
  });

  it('refuses with 409 an event that arrived before a concurrent change committed, even one the new state would take', async () => {
    const { notice } = await published();
    // Hold the owner's SUSPEND inside its transaction until the GS's CANCEL has arrived.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held = false;
    const holding: NoticeStore = {
      ...store,
      transaction: (work) =>
        store.transaction(async (tx) => {
          if (!held) {
            held = true;
            await gate;
          }
          return work(tx);
        }),
    };
    const { notices } = composeNotices(holding);
    const suspend = notices.sendEvent(mc, notice.id, { type: 'SUSPEND', reason: 'Identity check' });
    const cancel = notices.sendEvent(gs, notice.id, { type: 'CANCEL', reason: 'Conditions lapsed' });
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await expect(suspend).resolves.toMatchObject({ state: 'suspended' });
    await expect(cancel).rejects.toMatchObject({ status: 409, code: 'STALE_VERSION' });
    // Sent again, now that the caller has seen the suspension, the CANCEL applies.
    await expect(notices.sendEvent(gs, notice.id, { type: 'CANCEL', reason: 'Conditions lapsed' })).resolves.toMatchObject({ state: 'cancelled' });
  });

  it('moves a Yellow notice to located with the reporting country’s record, whichever route the report takes', async () => {
    const viaRecord = await published(yellowRequest());
    await viaRecord.circulation.sendEvent(fr, viaRecord.notice.id, 'FR', { type: 'REPORT_LOCATED', details: 'Lyon' });
    const viaNotice = await published(yellowRequest());
    await viaNotice.notices.sendEvent(fr, viaNotice.notice.id, { type: 'REPORT_LOCATED', details: 'Lyon' });
    for (const id of [viaRecord.notice.id, viaNotice.notice.id]) {
      expect((await store.find(id))?.state).toBe('located');
      expect((await store.circulation(id)).find((r) => r.country === 'FR')?.state).toBe('located');
      const tail = (await store.history(id)).slice(-2).map((h) => [h.type, h.country, h.to]);
      expect(tail).toEqual([
        ['REPORT_LOCATED', 'FR', 'located'],
        ['REPORT_LOCATED', null, 'located'],
      ]);
    }
  });

  it('lists for an ncb only what it requested or received', async () => {
    const { notices } = await published();
    await notices.create(as('ncb', 'RS'), EXERCISE, yellowRequest() as unknown as NoticeRequest);
    const query = { limit: 100, offset: 0 };
    expect((await notices.list(fr, EXERCISE, query)).map((n) => n.type)).toEqual(['RED']);
    expect((await notices.list(as('ncb', 'RS'), EXERCISE, query)).map((n) => n.type).sort()).toEqual(['RED', 'YELLOW']);
    expect(await notices.list(gs, EXERCISE, query)).toHaveLength(2);
    expect(await notices.list(mc, EXERCISE, { ...query, type: 'YELLOW' })).toEqual([]);
  });
});
