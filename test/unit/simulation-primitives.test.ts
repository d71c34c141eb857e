import fc from 'fast-check';
import { getInitialSnapshot, transition } from 'xstate';
import { addMonths, expiryFrom } from '../../src/notices/deadline-config';
import { deadlineEvent, noticeMachineFor, type NoticeEvent } from '../../src/notices/notice-machine';
import { createEventList } from '../../src/simulation/event-list';
import { createSimNotice, fireDeadline, nextDeadline, send } from '../../src/simulation/lifecycle';
import { randomOf } from '../../src/kernel/random';
import { GS, OTHER_NCB, OWNER, T0, redRequest, yellowRequest } from './notice-fixtures';

describe('the simulation’s random streams', () => {
  const draws = (random: ReturnType<typeof randomOf>, n = 5) => Array.from({ length: n }, () => random.uniform());

  it('gives the same draws for the same seed, and others for another seed', () => {
    expect(draws(randomOf(42))).toEqual(draws(randomOf(42)));
    expect(draws(randomOf(42))).not.toEqual(draws(randomOf(43)));
    for (const u of draws(randomOf(7), 1000)) expect(u >= 0 && u < 1).toBe(true);
  });

  it('forks streams that neither change the seed’s own draws nor repeat each other', () => {
    const alone = draws(randomOf(42), 10);
    const parent = randomOf(42);
    const first = parent.fork();
    const second = parent.fork();
    draws(first, 100);
    expect(draws(parent, 10)).toEqual(alone);
    expect(draws(first)).not.toEqual(draws(second));
    expect(draws(randomOf(42).fork())).toEqual(draws(randomOf(42).fork()));
    expect(() => first.fork()).toThrow(/only the seed/);
  });

  it('draws exponential, Poisson and weighted values with the means asked for', () => {
    const random = randomOf(2024);
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean(Array.from({ length: 50_000 }, () => random.exponential(3)))).toBeCloseTo(3, 1);
    expect(mean(Array.from({ length: 50_000 }, () => random.poisson(4.5)))).toBeCloseTo(4.5, 1);
    expect(mean(Array.from({ length: 20_000 }, () => random.poisson(120)))).toBeCloseTo(120, 0);
    const picks = Array.from({ length: 40_000 }, () => random.weighted([1, 0, 3]));
    expect(picks.filter((i) => i === 1)).toHaveLength(0);
    expect(picks.filter((i) => i === 2).length / picks.length).toBeCloseTo(0.75, 1);
    expect(() => random.weighted([0, 0])).toThrow(RangeError);
    expect(() => randomOf(1.5)).toThrow(RangeError);
  });
});

const DAY = 86_400_000;

describe('the simulation’s event list', () => {
  // Events come out by time, ties in the order scheduled, while new ones are scheduled between pops:
  // the same order as sorting everything by (time, order of scheduling).
  it('gives events in time order, ties in scheduling order, however they are scheduled', () => {
    const op = fc.oneof(
      fc.record({ pop: fc.constant(true) }),
      fc.record({ ahead: fc.oneof(fc.integer({ min: 0, max: 3 * DAY }), fc.integer({ min: 0, max: 2000 * DAY })) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.integer({ min: 0, max: 5000 }), (ops, startDay) => {
        const until = (startDay + 1500) * DAY;
        const list = createEventList<number>(startDay * DAY, until);
        const pending: { at: number; id: number }[] = [];
        let now = startDay * DAY;
        let id = 0;
        const popBoth = () => {
          const got = list.next();
          pending.sort((a, b) => a.at - b.at || a.id - b.id);
          const want = pending.shift();
          expect(got && { at: got.at, id: got.item }).toEqual(want);
          if (got) now = got.at;
        };
        for (const o of ops) {
          if ('pop' in o) popBoth();
          else {
            // Coarse times so that ties happen.
            const at = now + Math.floor(o.ahead / 3_600_000) * 3_600_000;
            list.schedule(at, id);
            // An event past the end of the run is never taken, so not kept.
            if (at < until) pending.push({ at, id });
            id += 1;
          }
          expect(list.size).toBe(pending.length);
        }
        while (pending.length) popBoth();
        expect(list.next()).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a time that is not a number', () => {
    expect(() => createEventList(0, DAY).schedule(Number.NaN, 1)).toThrow(RangeError);
  });
});

describe('a notice in the simulation', () => {
  it('moves as the machine does, and its deadlines fire as the API fires them, until it expires', () => {
    const input = { request: redRequest(), requestingCountry: OWNER.country! };
    const notice = createSimNotice(1, input);
    const machine = noticeMachineFor('RED');
    let snapshot = getInitialSnapshot(machine, input);
    const events: NoticeEvent[] = [
      { type: 'SUBMIT', actor: OWNER, at: T0 },
      { type: 'START_REVIEW', actor: GS, at: T0 },
      { type: 'APPROVE', actor: GS, at: T0, article3Cleared: true },
    ];
    for (const event of events) {
      expect(send(notice, event)).toBe(true);
      [snapshot] = transition(machine, snapshot, event);
    }
    // Two deadlines follow each other: the renewal window six months before expiry, then the expiry.
    const expiry = expiryFrom(T0);
    expect(nextDeadline(notice)).toEqual({ event: 'OPEN_RENEWAL', at: addMonths(expiry, -6) });
    for (const expected of ['renewal_pending', 'expired']) {
      const due = nextDeadline(notice)!;
      expect(fireDeadline(notice, due)).toBe(true);
      [snapshot] = transition(machine, snapshot, deadlineEvent(due));
      expect({ value: notice.value, context: notice.context }).toEqual({
        value: snapshot.value,
        context: snapshot.context,
      });
      expect(notice.value).toBe(expected);
    }
    expect(notice.done).toBe(true);
    expect(nextDeadline(notice)).toBeUndefined();
    expect(send(notice, { type: 'CANCEL', actor: GS, at: expiry, reason: 'late' })).toBe(false);
  });

  it('leaves a notice as it was on a refused event, and fires no deadline the notice no longer has', () => {
    const notice = createSimNotice(2, { request: yellowRequest(), requestingCountry: OWNER.country! });
    const before = structuredClone({ value: notice.value, context: notice.context });
    expect(send(notice, { type: 'APPROVE', actor: GS, at: T0, article3Cleared: true })).toBe(false);
    expect(send(notice, { type: 'SUBMIT', actor: OTHER_NCB, at: T0 })).toBe(false);
    expect({ value: notice.value, context: notice.context }).toEqual(before);

    for (const event of [
      { type: 'SUBMIT', actor: OWNER, at: T0 },
      { type: 'START_REVIEW', actor: GS, at: T0 },
      { type: 'REQUEST_INFO', actor: GS, at: T0, question: 'Photo?' },
    ] as NoticeEvent[])
      send(notice, event);
    const timeout = nextDeadline(notice)!;
    expect(timeout.event).toBe('INFO_TIMEOUT');
    // The answer comes first: the timeout it replaced must not fire any more.
    expect(send(notice, { type: 'PROVIDE_INFO', actor: OWNER, at: T0, answer: 'Sent' })).toBe(true);
    expect(fireDeadline(notice, timeout)).toBe(false);
    expect(notice.value).toBe('under_review');
  });
});
