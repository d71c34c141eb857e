import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { buildServices } from '../../src/server';
import { databaseKinds, openTestDatabase } from '../support/databases';
import { bearer, createExercise, publishedNotice, redRequest, type ExerciseFixture } from '../support/fixtures';

/** The ticker on each database: one exercise's clock, whatever is stored in it, cannot stop the others'. */
describe.each(databaseKinds())('the ticker [%s]', (kind) => {
  it('fires every other exercise on time while one clock is unreadable or absurdly slow', async () => {
    const db = await openTestDatabase(kind);
    const lines: { msg: string; exerciseId?: string; problem?: string }[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const services = buildServices(db, pino({ level: 'info' }, sink), { authFailureLimit: 1_000_000 });
    const http = request(services.app);
    const clock = (ex: ExerciseFixture, body: object) =>
      http.post(`/api/exercises/${ex.id}/clock`).set(bearer(ex.facilitator)).send(body).expect(200);
    // Three exercises, each with a notice published on a paused clock, its expiry a month away.
    const exercises: ExerciseFixture[] = [];
    const notices: string[] = [];
    for (const name of ['healthy', 'slowest', 'broken']) {
      const ex = await createExercise(http, ['MC'], name, { freezeWhilePaused: false });
      await clock(ex, { action: 'pause' });
      notices.push((await publishedNotice(http, ex, redRequest())).id);
      await clock(ex, { action: 'advance', by: 'P4Y11M' });
      exercises.push(ex);
    }
    const [healthy, slowest, broken] = exercises as [ExerciseFixture, ExerciseFixture, ExerciseFixture];
    // The healthy one runs at a year a second: its expiry falls due within the first tick or two.
    await clock(healthy, { action: 'set_speed', speed: 31_536_000 });
    await clock(healthy, { action: 'resume' });
    // Stored as an older server let them be: the smallest double as a speed, and a speed that is no number.
    await db.prisma.$executeRaw`UPDATE exercises SET speed = ${5e-324}, running = true WHERE id = ${slowest.id}::uuid`;
    await db.prisma.$executeRaw`UPDATE exercises SET speed = 'NaN'::float8, running = true WHERE id = ${broken.id}::uuid`;

    const stateOf = async (id: string) => (await db.prisma.notice.findUniqueOrThrow({ where: { id } })).state;
    // The advance left them due for renewal.
    const before = await Promise.all(notices.slice(1).map(stateOf));
    expect(before).toEqual(['renewal_pending', 'renewal_pending']);

    const ticker = services.startTicker();
    try {
      let state = '';
      for (let i = 0; i < 40 && state !== 'expired'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        state = await stateOf(notices[0]!);
      }
      expect(state).toBe('expired');
      // A few more ticks: the broken clock is said once, not on every tick; the two stopped clocks fire nothing.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
    } finally {
      await ticker.stop();
      // The PostgreSQL test database is shared by the whole run: leave no broken clock for other servers' tickers.
      await db.prisma.$executeRaw`UPDATE exercises SET speed = 1, running = false WHERE id IN (${slowest.id}::uuid, ${broken.id}::uuid)`;
    }
    const said = lines.filter((l) => l.msg === 'exercise clock unreadable: its deadlines and injects are skipped');
    expect(said).toEqual([expect.objectContaining({ exerciseId: broken.id, problem: expect.stringContaining('NaN') })]);
    expect(lines.filter((l) => l.msg === 'tick failed')).toEqual([]);
    expect(await Promise.all(notices.slice(1).map(stateOf))).toEqual(before);
    await db.close();
  });
});
