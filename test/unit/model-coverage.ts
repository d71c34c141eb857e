/** Helpers for model-based tests: the edges a machine defines, and the edges a traversal actually takes. */
import { createActor, type AnyStateMachine, type EventObject, type Snapshot } from 'xstate';
import { getAdjacencyMap, toDirectedGraph, type AdjacencyMap } from 'xstate/graph';

type ValueSnapshot = Snapshot<unknown> & { value: unknown };

/** One label per transition of the definition, as `source:EVENT->target` (flat machines). */
export function definedEdges(machine: AnyStateMachine): string[] {
  return toDirectedGraph(machine)
    .children.flatMap((node) => node.edges)
    .map((edge) => `${edge.source.key}:${edge.label.text}->${edge.target.key}`)
    .sort();
}

export function definedStates(machine: AnyStateMachine): string[] {
  return Object.keys(machine.states).sort();
}

/** States are told apart by value only: context (times, expiry) would make the graph infinite. */
export function serializeByValue(snapshot: ValueSnapshot): string {
  return JSON.stringify(snapshot.value);
}

/**
 * Explores every generated event from every reachable state and labels the transitions that changed
 * state; `check` sees every snapshot a transition produced.
 */
export function takenEdges<TEvent extends EventObject>(
  machine: AnyStateMachine,
  input: unknown,
  events: (snapshot: never) => readonly TEvent[],
  check: (snapshot: never) => void = () => undefined,
): string[] {
  const adjacency: AdjacencyMap<ValueSnapshot, EventObject> = getAdjacencyMap(machine, {
    input,
    events: events as never,
    serializeState: serializeByValue as never,
  });
  const edges = new Set<string>();
  for (const { state, transitions } of Object.values(adjacency)) {
    const from = state.value;
    // Keys are branded strings, which Object.values cannot see through.
    const outgoing = Object.values(transitions) as Array<{ event: EventObject; state: ValueSnapshot }>;
    for (const { event, state: next } of outgoing) {
      const to = next.value;
      check(next as never);
      // A refused event leaves the state as it was; an accepted one may too (a draft saved again).
      const accepted = to !== from || (state as unknown as { can(e: EventObject): boolean }).can(event);
      if (accepted) edges.add(`${String(from)}:${event.type}->${String(to)}`);
    }
  }
  return [...edges].sort();
}

/**
 * Replays a test-model path on a live actor of the machine, sending each step's event and checking
 * after every step that the actor is where the path says, then `check` on its snapshot.
 */
export async function replayOnActor(
  machine: AnyStateMachine,
  input: unknown,
  path: { test(params: { events: Record<string, (step: { event: EventObject }) => void>; states: Record<string, (expected: ValueSnapshot) => void> }): unknown },
  eventTypes: readonly string[],
  check: (snapshot: never) => void,
): Promise<void> {
  const actor = createActor(machine, { input }).start();
  const events = Object.fromEntries(eventTypes.map((type) => [type, ({ event }: { event: EventObject }) => void actor.send(event)]));
  await path.test({
    events,
    states: {
      '*': (expected) => {
        const actual = actor.getSnapshot();
        expect(actual.value).toEqual(expected.value);
        check(actual as never);
      },
    },
  });
  actor.stop();
}
