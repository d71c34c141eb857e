import { type SnapshotFrom } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { renewalWindowOpensAt } from '../../src/notices/deadline-config';
import {
  noticeMachineFor,
  type NoticeEvent,
  type NoticeInput,
  type NoticeMachine,
} from '../../src/notices/notice-machine';
import { FINAL_NOTICE_STATES, NOTICE_EVENT_TYPES, NOTICE_STATES, type NoticeType } from '../../src/notices/notice-types';
import { definedEdges, definedStates, replayOnActor, serializeByValue, takenEdges } from './model-coverage';
import { CCF, GS, OTHER_NCB, OWNER, SYSTEM, T0, redRequest, yellowRequest } from './notice-fixtures';

type NoticeSnapshot = SnapshotFrom<NoticeMachine>;

/** One valid event of every type, sent by the role allowed to send it, at the time it would plausibly come. */
function validEvents(snapshot: NoticeSnapshot): NoticeEvent[] {
  const { deadlines, publishedAt } = snapshot.context;
  const at = publishedAt ?? T0;
  const due = deadlines[0]?.at ?? at;
  return [
    { type: 'UPDATE_DRAFT', actor: OWNER, at, request: { ...snapshot.context.request, subject: { ...snapshot.context.request.subject, description: 'Tall' } } },
    { type: 'SUBMIT', actor: OWNER, at },
    { type: 'START_REVIEW', actor: GS, at },
    { type: 'REQUEST_INFO', actor: GS, at, question: 'Which court issued the warrant?' },
    { type: 'PROVIDE_INFO', actor: OWNER, at, answer: 'The Higher Court in Belgrade', changes: { subject: { description: 'scar on left hand' } } },
    { type: 'APPROVE', actor: GS, at, article3Cleared: true },
    { type: 'REFUSE', actor: GS, at, reason: 'Article 3', grounds: ['ARTICLE_3'] },
    { type: 'SUSPEND', actor: OWNER, at, reason: 'Operational' },
    { type: 'RESUME', actor: OWNER, at },
    { type: 'RENEW', actor: OWNER, at: due, reason: 'Still wanted' },
    { type: 'REPORT_LOCATED', actor: OTHER_NCB, at, details: 'Found in Monaco' },
    { type: 'WITHDRAW', actor: OWNER, at, reason: 'Purpose achieved' },
    { type: 'CANCEL', actor: GS, at, reason: 'NCB unresponsive' },
    { type: 'DELETE', actor: CCF, at, decisionRef: 'CCF/2025/17' },
    { type: 'OPEN_RENEWAL', actor: SYSTEM, at: due },
    { type: 'EXPIRE', actor: SYSTEM, at: due },
    { type: 'LAPSE_SUSPENSION', actor: SYSTEM, at: due },
    { type: 'INFO_TIMEOUT', actor: SYSTEM, at: due },
  ];
}

const EXPECTED_DEADLINE: Partial<Record<string, string>> = {
  info_requested: 'INFO_TIMEOUT',
  published: 'OPEN_RENEWAL',
  suspended: 'LAPSE_SUSPENSION',
  renewal_pending: 'EXPIRE',
  located: 'EXPIRE',
};

/** What must hold in every state whichever way it was reached. */
function assertInvariants(snapshot: NoticeSnapshot): void {
  const state = snapshot.value as string;
  const { context } = snapshot;
  expect(context.deadlines.map((d) => d.event)).toEqual(EXPECTED_DEADLINE[state] ? [EXPECTED_DEADLINE[state]] : []);
  expect(snapshot.status).toBe(FINAL_NOTICE_STATES.includes(state as never) ? 'done' : 'active');
  if (state === 'draft') expect(context.checks).toEqual([]);
  else expect(context.checks).toHaveLength(context.type === 'RED' ? 5 : 3);
  if (state === 'info_requested') expect(context.pendingQuestion).not.toBeNull();
  if (state === 'under_review') expect(context.pendingQuestion).toBeNull();
  if (state === 'published') {
    expect(context.deadlines[0]?.at).toBe(renewalWindowOpensAt(context.expiresAt ?? 'missing'));
  }
  if (state === 'renewal_pending' || state === 'located') expect(context.deadlines[0]?.at).toBe(context.expiresAt);
}

function pathTitle(path: { state: { value: unknown }; steps: Array<{ event: { type: string } }> }): string {
  const types = path.steps.map((step) => step.event.type).filter((type) => !type.startsWith('xstate.'));
  return `reaches ${String(path.state.value)} by ${types.join(' → ')}, keeping its invariants`;
}

describe.each<[NoticeType, NoticeInput]>([
  ['RED', { requestingCountry: 'RS', request: redRequest() }],
  ['YELLOW', { requestingCountry: 'RS', request: yellowRequest() }],
])('%s notice machine, model-based', (type, input) => {
  const machine = noticeMachineFor(type);
  const expectedStates = NOTICE_STATES.filter((s) => type === 'YELLOW' || s !== 'located');

  it('defines exactly the domain states, with the final ones final', () => {
    expect(definedStates(machine)).toEqual([...expectedStates].sort());
    for (const state of FINAL_NOTICE_STATES) expect(machine.states[state]?.type).toBe('final');
    expect(machine.id).toBe(type === 'RED' ? 'notice-red' : 'notice-yellow');
  });

  it('accepts only the public event types', () => {
    const used = new Set(definedEdges(machine).map((edge) => edge.split(':')[1]?.split('->')[0]));
    for (const eventType of used) expect(NOTICE_EVENT_TYPES).toContain(eventType);
  });

  const model = createTestModel(machine, { input, events: validEvents, serializeState: serializeByValue });
  const paths = model.getShortestPaths();

  it('reaches every state by valid events', () => {
    const reached = new Set(paths.map((path) => path.state.value as string));
    // Shortest paths are deduplicated into their longest extensions, so intermediate states count too.
    for (const path of paths) for (const step of path.steps) reached.add(step.state.value as string);
    expect([...reached].sort()).toEqual([...expectedStates].sort());
  });

  it.each(paths.map((path) => [pathTitle(path), path] as const))('%s', (_title, path) =>
    replayOnActor(machine, input, path as never, NOTICE_EVENT_TYPES, assertInvariants),
  );

  it('takes every transition of the definition, keeping the invariants after each', () => {
    expect(takenEdges(machine, input, validEvents, assertInvariants)).toEqual(definedEdges(machine));
  });
});
