import { Writable } from 'node:stream';
import pino from 'pino';
import type { ExerciseService } from '../../src/exercises/exercise-service';
import type { NoticeStore } from '../../src/notices/notice-store-type';
import type { InjectStore } from '../../src/scenarios/inject-store';
import type { Scheduler } from '../../src/scenarios/scheduler';
import { startTicker } from '../../src/scenarios/ticker';

/** A logger whose lines the test reads. */
function capturingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('the ticker while the database is away', () => {
  it('logs the outage once as a warning, not an error each tick, and once when the database answers again', async () => {
    const { logger, lines } = capturingLogger();
    let failWith: Error | null = new Error('Connection terminated unexpectedly');
    let ticks = 0;
    const due = async () => {
      ticks += 1;
      if (failWith) throw failWith;
      return new Map<string, Date>();
    };
    const ticker = startTicker(
      {
        store: { earliestDeadlines: due } as unknown as NoticeStore,
        injects: { earliestPendingInjects: async () => new Map<string, Date>() } as unknown as InjectStore,
        scheduler: {} as Scheduler,
        exercises: { clocksOf: async () => new Map() } as unknown as ExerciseService,
        logger,
      },
      5,
    );
    try {
      await until(() => ticks >= 10);
      failWith = null;
      await until(() => ticks >= 15);
      failWith = new Error('Query read timeout');
      await until(() => ticks >= 25);
      // Not an outage: each tick still says so as an error.
      failWith = new TypeError("Cannot read properties of undefined (reading 'id')");
      await until(() => ticks >= 28);
    } finally {
      await ticker.stop();
    }
    const said = (level: number) => lines.filter((l) => l.level === level).map((l) => l.msg);
    expect(said(40)).toEqual([
      'database unavailable: due deadlines and injects wait until it answers',
      'database unavailable: due deadlines and injects wait until it answers',
    ]);
    expect(said(30)).toEqual(['database answers again: due deadlines and injects run']);
    expect(said(50).length).toBeGreaterThanOrEqual(2);
    expect(new Set(said(50))).toEqual(new Set(['tick failed']));
  });
});
