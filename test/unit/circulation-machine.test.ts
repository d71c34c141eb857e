import { initialTransition, transition, type SnapshotFrom } from 'xstate';
import { createTestModel } from 'xstate/graph';
import {
  CIRCULATION_EVENT_TYPES,
  CIRCULATION_STATES,
  FINAL_CIRCULATION_STATES,
  circulationGuardFailure,
  circulationMachine,
  type CirculationEvent,
  type CirculationInput,
} from '../../src/circulation/circulation-machine';
import type { Actor } from '../../src/exercises/exercise-types';
import type { NoticeState, NoticeType } from '../../src/notices/notice-types';
import { definedEdges, definedStates, replayOnActor, serializeByValue, takenEdges } from './model-coverage';
import { GS, OWNER, SYSTEM, T0 } from './notice-fixtures';

type Snapshot = SnapshotFrom<typeof circulationMachine>;

const MONACO: Actor = { role: 'ncb', country: 'MC' };
/** The notice's requester, which sends the formal extradition request on Monaco's record. */
const FRANCE: Actor = { role: 'ncb', country: 'FR' };
const inputFor = (noticeType: NoticeType): CirculationInput => ({ noticeType, country: 'MC', requestingCountry: 'FR' });

function eventsBy(actor: Actor, noticeState: NoticeState = 'published'): CirculationEvent[] {
  const meta = { actor, at: T0, noticeState };
  return [
    { type: 'ACKNOWLEDGE', ...meta },
    { type: 'REPORT_HIT', ...meta, details: 'Fingerprints matched at a crime scene' },
    { type: 'PROVISIONAL_ARREST', ...meta },
    { type: 'DECLINE_ACTION', ...meta, reason: 'No extradition treaty' },
    { type: 'SURRENDER', ...meta },
    { type: 'REPORT_LOCATED', ...meta, details: 'Found at the border' },
    { type: 'GRANT_EXTRADITION', ...meta },
    { type: 'REFUSE_EXTRADITION', ...meta, reason: 'A national of Monaco', basis: 'nationality' },
    { type: 'CLOSE', ...{ ...meta, actor: SYSTEM, noticeState: 'withdrawn' as const } },
  ];
}

/** The record's country's events, the requester's extradition request, and the system's release. */
const validEvents = (): CirculationEvent[] => [
  ...eventsBy(MONACO),
  { type: 'EXTRADITION_REQUESTED', actor: FRANCE, at: T0, noticeState: 'published' },
  { type: 'RELEASE', actor: SYSTEM, at: T0, noticeState: 'published' },
];

function at(noticeType: NoticeType, ...events: CirculationEvent[]): Snapshot {
  return events.reduce(
    (snapshot, event) => transition(circulationMachine, snapshot, event)[0],
    initialTransition(circulationMachine, inputFor(noticeType))[0],
  );
}

function byType(
  type: CirculationEvent['type'],
  actor: Actor = MONACO,
  noticeState: NoticeState = 'published',
): CirculationEvent {
  const event = eventsBy(actor, noticeState).find((e) => e.type === type);
  if (!event) throw new Error(type);
  return type === 'CLOSE' ? { ...event, actor } : event;
}

describe('circulation machine, model-based', () => {
  it('defines exactly the circulation states, with surrendered, located and closed final', () => {
    expect(circulationMachine.id).toBe('circulation');
    expect(definedStates(circulationMachine)).toEqual([...CIRCULATION_STATES].sort());
    for (const state of CIRCULATION_STATES) {
      expect(circulationMachine.states[state]?.type === 'final').toBe(FINAL_CIRCULATION_STATES.includes(state));
    }
    const used = new Set(definedEdges(circulationMachine).map((edge) => edge.split(':')[1]?.split('->')[0]));
    expect([...used].sort()).toEqual([...CIRCULATION_EVENT_TYPES].sort());
  });

  const reachable: Record<NoticeType, string[]> = {
    RED: [
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
    ],
    YELLOW: ['received', 'acknowledged', 'located', 'closed'],
  };

  describe.each<NoticeType>(['RED', 'YELLOW'])('for a %s notice', (noticeType) => {
    const model = createTestModel(circulationMachine, {
      input: inputFor(noticeType),
      events: validEvents,
      serializeState: serializeByValue,
    });
    const paths = model.getShortestPaths();

    it('reaches exactly the states of its notice type', () => {
      const reached = new Set<string>();
      for (const path of paths) for (const step of path.steps) reached.add(step.state.value as string);
      expect([...reached].sort()).toEqual([...reachable[noticeType]].sort());
    });

    it.each(
      paths.map(
        (path) =>
          [
            path.steps
              .map((s) => s.event.type)
              .slice(1)
              .join(' → ') || '(initial)',
            path,
          ] as const,
      ),
    )('replays %s on a live actor', (_title, path) =>
      replayOnActor(
        circulationMachine,
        inputFor(noticeType),
        path as never,
        CIRCULATION_EVENT_TYPES,
        (actual: Snapshot) => {
          expect(actual.status).toBe(FINAL_CIRCULATION_STATES.includes(actual.value) ? 'done' : 'active');
        },
      ),
    );
  });

  it('takes every transition of the definition across Red and Yellow records', () => {
    const taken = new Set([
      ...takenEdges(circulationMachine, inputFor('RED'), validEvents),
      ...takenEdges(circulationMachine, inputFor('YELLOW'), validEvents),
    ]);
    expect([...taken].sort()).toEqual(definedEdges(circulationMachine));
  });
});

describe('circulation guards', () => {
  it("lets only the NCB of the record's country act on it", () => {
    const received = at('RED');
    expect(received.can(byType('ACKNOWLEDGE'))).toBe(true);
    for (const actor of [OWNER, GS, SYSTEM, { role: 'ncb' } as Actor]) {
      expect(received.can(byType('ACKNOWLEDGE', actor))).toBe(false);
      expect(received.can(byType('REPORT_HIT', actor))).toBe(false);
    }
  });

  it.each<NoticeState>(['published', 'renewal_pending'])(
    'lets the record move while the notice is %s',
    (noticeState) => {
      expect(at('RED').can(byType('REPORT_HIT', MONACO, noticeState))).toBe(true);
    },
  );

  it.each<NoticeState>(['draft', 'under_review', 'suspended', 'withdrawn', 'expired'])(
    'holds the record still while the notice is %s, and says why',
    (noticeState) => {
      const event = byType('REPORT_HIT', MONACO, noticeState);
      expect(at('RED').can(event)).toBe(false);
      expect(circulationGuardFailure(event)).toMatch(new RegExp(noticeState));
    },
  );

  it('keeps Red actions off Yellow records and Yellow actions off Red records', () => {
    expect(at('YELLOW').can(byType('REPORT_HIT'))).toBe(false);
    expect(at('RED').can(byType('REPORT_LOCATED'))).toBe(false);
    expect(at('YELLOW').can(byType('REPORT_LOCATED'))).toBe(true);
  });

  it('lets only the system close a record, whatever the notice state', () => {
    const hit = at('RED', byType('REPORT_HIT'));
    expect(hit.can(byType('CLOSE', MONACO))).toBe(false);
    expect(hit.can(byType('CLOSE', GS))).toBe(false);
    expect(hit.can({ ...byType('CLOSE', SYSTEM), noticeState: 'deleted' })).toBe(true);
  });

  it('keeps a declined record open until the system closes it', () => {
    const declined = at('RED', byType('REPORT_HIT'), byType('DECLINE_ACTION'));
    expect(declined.value).toBe('declined');
    expect(declined.status).toBe('active');
    expect(declined.can(byType('PROVISIONAL_ARREST'))).toBe(false);
    expect(transition(circulationMachine, declined, byType('CLOSE', SYSTEM))[0].value).toBe('closed');
  });

  it('follows a Red hit through provisional arrest to surrender', () => {
    const surrendered = at(
      'RED',
      byType('ACKNOWLEDGE'),
      byType('REPORT_HIT'),
      byType('PROVISIONAL_ARREST'),
      byType('SURRENDER'),
    );
    expect(surrendered.value).toBe('surrendered');
    expect(surrendered.status).toBe('done');
    expect(surrendered.context).toEqual({ noticeType: 'RED', country: 'MC', requestingCountry: 'FR' });
  });
});

describe('the extradition step after a provisional arrest', () => {
  const arrested = () => at('RED', byType('REPORT_HIT'), byType('PROVISIONAL_ARREST'));
  const requested = { type: 'EXTRADITION_REQUESTED', actor: FRANCE, at: T0, noticeState: 'published' } as const;
  const release = { type: 'RELEASE', actor: SYSTEM, at: T0, noticeState: 'published' } as const;

  it('takes the formal request from the requester only, then the arresting country’s grant and the surrender', () => {
    expect(arrested().can({ ...requested, actor: MONACO })).toBe(false);
    expect(arrested().can({ ...requested, actor: GS })).toBe(false);
    const granted = [requested, byType('GRANT_EXTRADITION'), byType('SURRENDER')].reduce(
      (snapshot, event) => transition(circulationMachine, snapshot, event)[0],
      arrested(),
    );
    expect(granted.value).toBe('surrendered');
    expect(granted.status).toBe('done');
  });

  it('ends a refusal there, with its basis', () => {
    const afterRequest = transition(circulationMachine, arrested(), requested)[0];
    expect(afterRequest.can({ ...byType('GRANT_EXTRADITION'), actor: FRANCE })).toBe(false);
    const refused = transition(circulationMachine, afterRequest, byType('REFUSE_EXTRADITION'))[0];
    expect(refused.value).toBe('extradition_refused');
    expect(refused.status).toBe('done');
  });

  it('releases a person held with no request, by the system only, and not once the request came', () => {
    expect(arrested().can({ ...release, actor: MONACO })).toBe(false);
    expect(transition(circulationMachine, arrested(), release)[0].value).toBe('released');
    expect(transition(circulationMachine, arrested(), requested)[0].can(release)).toBe(false);
  });

  it('goes on whatever the notice’s state, and is not closed when the notice ends', () => {
    const withdrawn = { noticeState: 'withdrawn' as const };
    expect(arrested().can({ ...requested, ...withdrawn })).toBe(true);
    expect(circulationGuardFailure({ ...requested, ...withdrawn })).toBeNull();
    expect(arrested().can({ ...byType('SURRENDER'), ...withdrawn })).toBe(true);
    expect(arrested().can(byType('CLOSE', SYSTEM))).toBe(false);
  });

  it('keeps a surrender under the simplified procedure straight from the arrest', () => {
    expect(transition(circulationMachine, arrested(), byType('SURRENDER'))[0].value).toBe('surrendered');
  });
});
