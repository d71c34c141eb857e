import { createExerciseService } from '../../src/exercises/exercise-service';
import { createExerciseStore } from '../../src/exercises/exercise-store';
import type { Database } from '../../src/db/database';
import type { CommittedListener } from '../../src/notices/notice-changes';
import { createNoticeStore } from '../../src/notices/notice-store';
import { composeNotices } from '../../src/server';
import type { NoticeRequest } from '../../src/notices/notice-types';
import { openTestDatabase } from '../support/databases';
import { redRequest } from '../support/fixtures';

describe('the after-commit hook of the transition path', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase('pglite');
  });
  afterAll(async () => {
    await db.close();
  });

  it('reports each committed change once with its history entries, and nothing for a refused event', async () => {
    const changes: Parameters<CommittedListener>[0][] = [];
    const exercises = createExerciseService(createExerciseStore(db.prisma));
    const { notices } = composeNotices(createNoticeStore(db.prisma), { onCommitted: (c) => changes.push(c) });
    const ex = await exercises.create('hook');
    const facilitator = await exercises.authenticate(ex.facilitatorToken);
    const ncb = await exercises.addParticipant(facilitator!, ex.id, { role: 'ncb', country: 'MC' });
    const mc = (await exercises.authenticate(ncb.token))!;

    const notice = await notices.create(mc, ex.id, redRequest() as unknown as NoticeRequest);
    await notices.sendEvent(mc, notice.id, { type: 'SUBMIT' });
    await expect(notices.sendEvent(mc, notice.id, { type: 'SUBMIT' })).rejects.toMatchObject({ status: 409 });

    expect(changes.map((c) => c.entries.map((e) => e.type))).toEqual([['CREATE'], ['SUBMIT']]);
    expect(changes.every((c) => c.exerciseId === ex.id && c.noticeId === notice.id)).toBe(true);
  });
});
