import type { CirculationService } from '../../src/circulation/circulation-service';
import { AppError } from '../../src/kernel/errors';
import type { NoticeChanges } from '../../src/notices/notice-changes';
import type { NoticeService } from '../../src/notices/notice-service';
import type { NoticeStore } from '../../src/notices/notice-store-type';
import type { InjectError, InjectStore, StoredInject } from '../../src/scenarios/inject-store';
import { createScheduler } from '../../src/scenarios/scheduler';

const clock = { simEpoch: new Date(0), wallAnchor: new Date(0), speed: 1, running: true, freezeWhilePaused: true };

/** One pending inject that creates a notice, whose action fails with `error`. */
function schedulerFailingWith(error: Error) {
  const inject = {
    id: 'inject-1',
    exerciseId: 'exercise-1',
    run: 1,
    seq: 0,
    at: new Date(0),
    participant: { id: 'p-1', key: 'mc', name: null, role: 'ncb', country: 'MC' },
    action: { create: { request: {} } },
    noticeKey: 'red',
    status: 'pending',
    noticeId: null,
    error: null,
    firedAt: null,
  } as unknown as StoredInject;
  const failed: InjectError[] = [];
  const injects = {
    nextPending: async () => (failed.length ? null : inject),
    markFailed: async (_id: string, e: InjectError) => (failed.push(e), true),
  } as unknown as InjectStore;
  const scheduler = createScheduler({
    notices: { create: async () => Promise.reject(error) } as unknown as NoticeService,
    circulation: {} as CirculationService,
    changes: { fireDue: async () => 0 } as unknown as NoticeChanges,
    noticeStore: {} as NoticeStore,
    injects,
  });
  return { scheduler, failed };
}

describe('the scheduler when an inject’s action fails', () => {
  it('marks the inject failed when the API refuses the action', async () => {
    const { scheduler, failed } = schedulerFailingWith(new AppError('NOTICE_NOT_CREATED', 'no such notice'));
    await expect(scheduler.runDue('exercise-1', new Date(1), clock)).resolves.toMatchObject({ injectsFailed: 1 });
    expect(failed.map((f) => f.code)).toEqual(['NOTICE_NOT_CREATED']);
  });

  it.each(['DATABASE_UNAVAILABLE', 'COMMIT_OUTCOME_UNKNOWN'] as const)(
    'leaves it pending on %s, to fire when the database answers again',
    async (code) => {
      const { scheduler, failed } = schedulerFailingWith(new AppError(code, 'the database is away'));
      await expect(scheduler.runDue('exercise-1', new Date(1), clock)).rejects.toMatchObject({ code });
      expect(failed).toEqual([]);
    },
  );
});
