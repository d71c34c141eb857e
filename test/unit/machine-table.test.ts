import fc from 'fast-check';
import {
  assign,
  createMachine,
  getInitialSnapshot,
  transition,
  type AnyMachineSnapshot,
  type AnyStateMachine,
} from 'xstate';
import type { Actor } from '../../src/exercises/exercise-types';
import {
  CIRCULATION_EVENT_TYPES,
  CIRCULATION_ROLE_GUARDS,
  CIRCULATION_STATE_GUARDS,
  circulationMachine,
} from '../../src/circulation/circulation-machine';
import { allowedEventsFor, evaluateEvent } from '../../src/kernel/machine-evaluation';
import { compileMachine, tableOf } from '../../src/kernel/machine-table';
import { NOTICE_ROLE_GUARDS, redNoticeMachine, yellowNoticeMachine } from '../../src/notices/notice-machine';
import { NOTICE_EVENT_TYPES, NOTICE_STATES, type NoticeType } from '../../src/notices/notice-types';
import { CCF, GS, OTHER_NCB, OWNER, SYSTEM, T0, noticeEventFields, redRequest, yellowRequest } from './notice-fixtures';

/**
 * The compiled table (src/kernel/machine-table.ts) is the machines' lifecycle only while it moves
 * exactly as xstate's `transition()` does: here both take the same random event sequences, step by
 * step, from a new notice or record, and must agree on whether each event is taken, the state, the
 * context and the status after it.
 */

/** One step of a sequence, made into an event against the snapshot it meets (its deadlines, its type). */
const step = fc.record({
  type: fc.nat(),
  actor: fc.nat(),
  plausible: fc.boolean(),
  at: fc.nat(),
  flag: fc.boolean(),
  other: fc.boolean(),
});
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

const pick = <T>(items: readonly T[], n: number): T => items[n % items.length]!;

const ENDINGS: readonly string[] = [
  'WITHDRAW',
  'CANCEL',
  'REFUSE',
  'DELETE',
  'EXPIRE',
  'INFO_TIMEOUT',
  'LAPSE_SUSPENSION',
];
const NOTICE_ACTORS: readonly Actor[] = [OWNER, GS, OTHER_NCB, CCF, SYSTEM];
const SENT_BY: Record<string, Actor> = {
  UPDATE_DRAFT: OWNER,
  SUBMIT: OWNER,
  PROVIDE_INFO: OWNER,
  SUSPEND: OWNER,
  RESUME: OWNER,
  RENEW: OWNER,
  WITHDRAW: OWNER,
  START_REVIEW: GS,
  REQUEST_INFO: GS,
  APPROVE: GS,
  REFUSE: GS,
  CANCEL: GS,
  REPORT_LOCATED: OTHER_NCB,
  DELETE: CCF,
  OPEN_RENEWAL: SYSTEM,
  EXPIRE: SYSTEM,
  LAPSE_SUSPENSION: SYSTEM,
  INFO_TIMEOUT: SYSTEM,
};

function noticeEvent(snapshot: AnyMachineSnapshot, s: Step, noticeType: NoticeType) {
  const build = (type: string, actor: Actor) => {
    const due: string | undefined = snapshot.context.deadlines[0]?.at;
    // The deadline's own time, the start, a later time, and one with an offset (not the stored form).
    const at = pick([due ?? T0, T0, '2031-01-01T00:00:00.000Z', '2024-03-15T10:30:00+01:00'], s.at);
    const sameType = noticeType === 'RED' ? redRequest : yellowRequest;
    const request = s.other
      ? noticeType === 'RED'
        ? yellowRequest()
        : redRequest()
      : s.flag
        ? sameType({ subject: { ...sameType().subject, description: 'scar on the left hand' } } as never)
        : noticeType === 'RED'
          ? redRequest({ article3Concern: true, offence: { ...redRequest().offence, maxPenaltyYears: 1 } })
          : yellowRequest({ subject: { ...yellowRequest().subject, photoRef: undefined } as never });
    // Refused checks too: an APPROVE without Article 3 cleared, a draft with failing data.
    const fields =
      type === 'UPDATE_DRAFT'
        ? { request }
        : type === 'APPROVE'
          ? { article3Cleared: s.flag || s.at % 3 > 0, ...(s.other ? { particularImportance: s.flag } : {}) }
          : noticeEventFields(type, s.flag);
    return { type, actor, at, ...fields };
  };
  // Any event from anyone; or, so that sequences reach every state, one the state takes from whoever
  // may send it (chosen with xstate's `can`), mostly one that does not end the notice.
  if (!s.plausible) return build(pick(NOTICE_EVENT_TYPES, s.type), pick(NOTICE_ACTORS, s.actor));
  const taken = NOTICE_EVENT_TYPES.map((type) => build(type, SENT_BY[type]!)).filter((e) => snapshot.can(e as never));
  const onward = taken.filter((e) => !ENDINGS.includes(e.type));
  const choice = s.actor % 8 === 0 || !onward.length ? taken : onward;
  return choice.length ? pick(choice, s.type) : build(pick(NOTICE_EVENT_TYPES, s.type), pick(NOTICE_ACTORS, s.actor));
}

/** France's record of a notice Monaco requested; Italy, the system and the GS besides. */
const REQUESTER: Actor = { role: 'ncb', country: 'MC' };
const RECORD_ACTORS: readonly Actor[] = [
  { role: 'ncb', country: 'FR' },
  { role: 'ncb', country: 'IT' },
  SYSTEM,
  GS,
  REQUESTER,
];

/** Who sends each event when it is plausible: the system its own, the requester its extradition request. */
const plausibleActor = (type: string): Actor =>
  type === 'CLOSE' || type === 'RELEASE' ? SYSTEM : type === 'EXTRADITION_REQUESTED' ? REQUESTER : RECORD_ACTORS[0]!;

function circulationEvent(snapshot: AnyMachineSnapshot, s: Step) {
  const build = (type: string, actor: Actor) => {
    // Mostly a notice that circulates, sometimes one that has ended.
    const noticeState = s.flag || s.at % 3 ? 'published' : pick(NOTICE_STATES, s.at);
    return {
      type,
      actor,
      at: T0,
      noticeState,
      ...(type === 'REPORT_HIT' || type === 'REPORT_LOCATED' ? { details: 'Seen' } : {}),
      ...(type === 'REFUSE_EXTRADITION' ? { reason: 'A national', basis: 'nationality' } : {}),
    };
  };
  // Any event from anyone; or one the record takes from its own country (the system for CLOSE).
  if (!s.plausible) return build(pick(CIRCULATION_EVENT_TYPES, s.type), pick(RECORD_ACTORS, s.actor));
  const taken = CIRCULATION_EVENT_TYPES.map((type) => build(type, plausibleActor(type))).filter((e) =>
    snapshot.can(e as never),
  );
  const onward = taken.filter((e) => e.type !== 'CLOSE');
  const choice = s.actor % 6 === 0 || !onward.length ? taken : onward;
  return choice.length
    ? pick(choice, s.type)
    : build(pick(CIRCULATION_EVENT_TYPES, s.type), pick(RECORD_ACTORS, s.actor));
}

/** Drives the machine and its table through the steps; both must agree after each one. */
function agree(
  machine: AnyStateMachine,
  start: AnyMachineSnapshot,
  steps: Step[],
  eventOf: (snapshot: AnyMachineSnapshot, s: Step) => { type: string },
  guards: Parameters<typeof evaluateEvent>[3],
  eventTypes: readonly string[],
  /** The guards that are neither role nor state guards: the ones a listing of allowed events stubs. */
  stubbed: readonly string[],
): string[] {
  const table = compileMachine<unknown, { type: string }>(machine);
  let snapshot = start;
  const path = [String(snapshot.value)];
  for (const s of steps) {
    const event = eventOf(snapshot, s);
    const taken = table.next(String(snapshot.value), snapshot.context, event);
    const [expected] = transition(machine, snapshot, event as never);
    const can = snapshot.can(event as never);
    expect({ event: event.type, taken: taken !== null }).toEqual({ event: event.type, taken: can });
    expect(table.takes(String(snapshot.value), snapshot.context, event)).toBe(can);
    if (taken) {
      const want = { value: expected.value, context: expected.context, status: expected.status };
      expect({ value: taken.value, context: taken.context, status: taken.status }).toEqual(want);
      // The evaluation the API runs takes the same step.
      const outcome = evaluateEvent(machine, snapshot as never, event as never, guards);
      expect(
        outcome.ok && { value: outcome.next.value, context: outcome.next.context, status: outcome.next.status },
      ).toEqual(want);
      path.push(String(expected.value));
    }
    // The events listed as allowed (role guards only, through the table) are those xstate's can() lists.
    if (snapshot.status === 'active') {
      const actor = (event as unknown as { actor: Actor }).actor;
      const roleOnly = machine.provide({ guards: Object.fromEntries(stubbed.map((name) => [name, () => true])) });
      const onRoleOnly = roleOnly.resolveState({ value: snapshot.value, context: snapshot.context });
      expect(allowedEventsFor(machine, snapshot as never, actor, eventTypes, guards)).toEqual(
        eventTypes.filter((type) => onRoleOnly.can({ type, actor } as never)),
      );
    }
    snapshot = expected;
  }
  return path;
}

/** A snapshot as a table gives it. */
const stateOf = (snapshot: { value: unknown; context: unknown; status: string }) => ({
  value: snapshot.value,
  context: snapshot.context,
  status: snapshot.status,
});

describe('the machines compiled into tables', () => {
  it('compiles every lifecycle machine', () => {
    for (const machine of [redNoticeMachine, yellowNoticeMachine, circulationMachine])
      expect(tableOf(machine)).not.toBeNull();
  });

  it.each([
    ['RED', redNoticeMachine, redRequest],
    ['YELLOW', yellowNoticeMachine, yellowRequest],
  ] as const)('moves a %s notice as transition() does over random event sequences', (noticeType, machine, request) => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40, size: 'max' }), (steps) => {
        const input = { request: request(), requestingCountry: OWNER.country! };
        const start = getInitialSnapshot(machine, input);
        expect(tableOf(machine)!.start(input)).toEqual(stateOf(start));
        const path = agree(
          machine,
          start,
          steps,
          (snap, s) => noticeEvent(snap, s, noticeType),
          { roleGuards: NOTICE_ROLE_GUARDS },
          NOTICE_EVENT_TYPES,
          ['requestOfNoticeType', 'approvalChecksPass'],
        );
        path.forEach((state) => reached.add(state));
      }),
      { numRuns: 400 },
    );
    // The sequences went everywhere: a table that agreed only near the start would prove little.
    const expected = noticeType === 'RED' ? NOTICE_STATES.filter((s) => s !== 'located') : NOTICE_STATES;
    expect([...reached].sort()).toEqual([...expected].sort());
  });

  it.each(['RED', 'YELLOW'] as const)(
    'moves a circulation record of a %s notice as transition() does',
    (noticeType) => {
      const reached = new Set<string>();
      fc.assert(
        fc.property(fc.array(step, { minLength: 1, maxLength: 12, size: 'max' }), (steps) => {
          const input = { noticeType, country: 'FR', requestingCountry: 'MC' };
          const start = getInitialSnapshot(circulationMachine, input);
          expect(tableOf(circulationMachine)!.start(input)).toEqual(stateOf(start));
          const path = agree(
            circulationMachine,
            start,
            steps,
            circulationEvent,
            { roleGuards: CIRCULATION_ROLE_GUARDS, stateGuards: CIRCULATION_STATE_GUARDS },
            CIRCULATION_EVENT_TYPES,
            ['noticeIsActive'],
          );
          path.forEach((state) => reached.add(state));
        }),
        { numRuns: 300 },
      );
      const expected =
        noticeType === 'RED'
          ? [
              'received',
              'acknowledged',
              'hit',
              'provisional_arrest',
              'extradition_requested',
              'extradition_granted',
              'extradition_refused',
              'released',
              'surrendered',
              'declined',
              'closed',
            ]
          : ['received', 'acknowledged', 'located', 'closed'];
      expect([...reached].sort()).toEqual([...expected].sort());
    },
  );

  it('runs exit, transition and entry assignments in xstate’s order, with params read on the context so far', () => {
    type Toy = { trail: string; n: number };
    type ToyEvent = { type: string; by?: number };
    const log = (mark: string) => assign({ trail: ({ context }: { context: Toy }) => `${context.trail}${mark}` });
    const config = {
      initial: 'a',
      context: { trail: '', n: 1 },
      states: {
        a: {
          exit: 'leaveA',
          on: {
            GO: [
              {
                target: 'c',
                guard: 'big',
                actions: [
                  { type: 'add', params: ({ context }: { context: Toy }) => ({ by: context.n * 10 }) },
                  log('!'),
                ],
              },
              { target: 'b', actions: { type: 'add', params: { by: 1 } } },
            ],
            STAY: { target: 'a', actions: log('=') },
          },
        },
        b: { entry: 'enterB', type: 'final' },
        c: { entry: 'enterC', on: { GO: 'b' } },
      },
    };
    const implementations = {
      guards: { big: ({ event }: { event: ToyEvent }) => (event.by ?? 0) > 1 },
      actions: {
        add: assign(({ context }: { context: Toy }, params: { by: number }) => ({ n: context.n + params.by })),
        leaveA: log('-a'),
        enterB: log('+b'),
        enterC: log('+c'),
      },
    };
    const machine = createMachine(config as never, implementations as never) as AnyStateMachine;
    const table = compileMachine<{ trail: string; n: number }, { type: string }>(machine);
    for (const events of [
      [{ type: 'GO', by: 1 }],
      [
        { type: 'GO', by: 2 },
        { type: 'GO', by: 1 },
      ],
      [{ type: 'STAY' }, { type: 'GO', by: 5 }],
    ]) {
      let snapshot = getInitialSnapshot(machine);
      let state = { value: 'a', context: snapshot.context, status: 'active' as string };
      for (const event of events) {
        [snapshot] = transition(machine, snapshot, event as never);
        state = table.next(state.value, state.context, event)!;
        expect(state).toEqual({ value: snapshot.value, context: snapshot.context, status: snapshot.status });
      }
    }
  });

  it('starts as getInitialSnapshot does: the context made from the input, then the initial entry actions', () => {
    type Toy = { trail: string; n: number };
    const machine = createMachine(
      {
        initial: 'a',
        context: ({ input }: { input: { n: number } }) => ({ trail: 'made', n: input.n }),
        states: { a: { entry: ['enter', 'double'], on: { GO: 'b' } }, b: { type: 'final' } },
      } as never,
      {
        actions: {
          enter: assign({ trail: ({ context }: { context: Toy }) => `${context.trail}+a` }),
          double: assign(({ context }: { context: Toy }) => ({ n: context.n * 2 })),
        },
      } as never,
    ) as AnyStateMachine;
    const table = compileMachine<Toy, { type: string }>(machine);
    for (const n of [1, 7]) {
      const start = table.start({ n });
      expect(start).toEqual(stateOf(getInitialSnapshot(machine, { n })));
      expect(start).toEqual({ value: 'a', context: { trail: 'made+a', n: 2 * n }, status: 'active' });
    }
    const done = createMachine({ initial: 'z', context: { k: 1 }, states: { z: { type: 'final' } } });
    expect(compileMachine(done).start()).toEqual(stateOf(getInitialSnapshot(done)));
  });

  it('refuses a machine it cannot compile, and the evaluation keeps to transition() for it', () => {
    const nested = createMachine({
      initial: 'a',
      states: { a: { initial: 'x', states: { x: { on: { GO: 'y' } }, y: {} } } },
    });
    const eventless = createMachine({ initial: 'a', states: { a: { always: 'b' }, b: {} } });
    const sideEffect = createMachine({
      initial: 'a',
      states: { a: { on: { GO: { target: 'b', actions: () => undefined } } }, b: {} },
    });
    for (const machine of [nested, eventless, sideEffect]) {
      expect(() => compileMachine(machine)).toThrow();
      expect(tableOf(machine)).toBeNull();
    }
    const outcome = evaluateEvent(nested, getInitialSnapshot(nested), { type: 'GO' }, { roleGuards: [] });
    expect(outcome.ok && outcome.next.value).toEqual({ a: 'y' });
  });
});
