/** Generic, pure evaluation of an event against a persisted machine snapshot: for notices and circulation records. */
import {
  getNextTransitions,
  transition,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type EventFromLogic,
  type SnapshotFrom,
  type StateValue,
} from 'xstate';
import { tableOf } from './machine-table';

/** Who sends an event, as far as evaluation reads it (the machines' own actor type fits). */
interface Actor {
  role: string;
  country?: string;
}

/** What is stored of a snapshot: enough to rebuild it with `machine.resolveState`. */
export interface PersistedSnapshot<TContext = unknown> {
  value: StateValue;
  context: TContext;
}

export interface GuardClassification {
  /** Guards that look only at the actor: their failure is `forbidden`. */
  roleGuards: readonly string[];
  /**
   * Guards that look only at the context and never change for a record (e.g. its notice type): their
   * failure is `invalid_state`, as if the transition did not exist. Every other guard is `guard_failed`.
   */
  stateGuards?: readonly string[];
}

export type EvaluateResult<TMachine extends AnyStateMachine> =
  | { ok: true; next: SnapshotFrom<TMachine> }
  | { ok: false; reason: 'invalid_state'; allowed: string[] }
  | { ok: false; reason: 'forbidden'; message: string }
  | { ok: false; reason: 'guard_failed' };

export function persistSnapshot<TContext>(snapshot: {
  value: StateValue;
  context: TContext;
}): PersistedSnapshot<TContext> {
  // A JSON round trip drops xstate's internals and anything not serializable.
  return JSON.parse(
    JSON.stringify({ value: snapshot.value, context: snapshot.context }),
  ) as PersistedSnapshot<TContext>;
}

export function restoreSnapshot<TMachine extends AnyStateMachine>(
  machine: TMachine,
  persisted: PersistedSnapshot,
): SnapshotFrom<TMachine> {
  return machine.resolveState({ value: persisted.value, context: persisted.context }) as SnapshotFrom<TMachine>;
}

interface Variants {
  /** Only state guards real: "does this state accept the event type at all". */
  structural: AnyStateMachine;
  /** Role and state guards real: "may this actor send it". */
  roleOnly: AnyStateMachine;
}

// provide() builds a whole new machine, so the variants are built once per machine and classification.
const variantCache = new WeakMap<AnyStateMachine, Map<string, Variants>>();

function variantsOf(machine: AnyStateMachine, classification: GuardClassification): Variants {
  const stateGuards = classification.stateGuards ?? [];
  const key = JSON.stringify([[...classification.roleGuards].sort(), [...stateGuards].sort()]);
  let perMachine = variantCache.get(machine);
  if (!perMachine) {
    perMachine = new Map();
    variantCache.set(machine, perMachine);
  }
  const cached = perMachine.get(key);
  if (cached) return cached;

  const guardNames = Object.keys(machine.implementations.guards);
  const keepReal = (kept: readonly string[]) =>
    Object.fromEntries(guardNames.filter((name) => !kept.includes(name)).map((name) => [name, () => true]));
  const variants: Variants = {
    structural: machine.provide({ guards: keepReal(stateGuards) }),
    roleOnly: machine.provide({ guards: keepReal([...stateGuards, ...classification.roleGuards]) }),
  };
  perMachine.set(key, variants);
  return variants;
}

// A snapshot's guards are looked up on the machine that made it, so each variant needs its own snapshot.
function resolveOn(variant: AnyStateMachine, snapshot: AnyMachineSnapshot): AnyMachineSnapshot {
  return variant.resolveState({ value: snapshot.value, context: snapshot.context });
}

function describeActor(actor: Actor | undefined): string {
  if (!actor) return 'An actor';
  return actor.country ? `${actor.role} ${actor.country}` : actor.role;
}

function stateLabel(value: StateValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Event types the current state accepts from someone, given its state guards. */
function acceptedTypes(structuralSnapshot: AnyMachineSnapshot): string[] {
  const types = new Set(
    getNextTransitions(structuralSnapshot)
      .map((t) => t.eventType)
      .filter((type) => !type.startsWith('xstate.') && type !== '*'),
  );
  return [...types].filter((type) => structuralSnapshot.can({ type }));
}

/**
 * Classifies an event against the snapshot and, when accepted, returns the next snapshot (pure:
 * through the machine's compiled table, machine-table.ts, or else xstate's `transition`). Order: does
 * the state accept the type, may this actor send it, do the other guards pass.
 */
export function evaluateEvent<TMachine extends AnyStateMachine>(
  machine: TMachine,
  snapshot: SnapshotFrom<TMachine>,
  event: EventFromLogic<TMachine>,
  classification: GuardClassification,
): EvaluateResult<TMachine> {
  const current = snapshot as AnyMachineSnapshot;
  // Most events are accepted: take them straight away, and classify only a refusal. The machine's
  // compiled table (machine-table.ts) takes them in a few microseconds; xstate's own `transition()`
  // where the machine does not compile.
  const table = tableOf(machine);
  if (table && current.status === 'active' && typeof current.value === 'string') {
    const moved = table.next(current.value, current.context, event);
    if (moved) return { ok: true, next: machine.resolveState(moved) as SnapshotFrom<TMachine> };
  } else if (current.can(event)) {
    const [next] = transition(machine, snapshot, event);
    return { ok: true, next: next as SnapshotFrom<TMachine> };
  }
  const { structural, roleOnly } = variantsOf(machine, classification);
  const structuralSnapshot = resolveOn(structural, current);
  if (!structuralSnapshot.can(event)) {
    return { ok: false, reason: 'invalid_state', allowed: acceptedTypes(structuralSnapshot) };
  }
  if (!resolveOn(roleOnly, current).can(event)) {
    const actor = (event as { actor?: Actor }).actor;
    return {
      ok: false,
      reason: 'forbidden',
      message: `${describeActor(actor)} may not send ${event.type} in state ${stateLabel(current.value)}.`,
    };
  }
  return { ok: false, reason: 'guard_failed' };
}

/**
 * Event types among `eventTypes` this actor may send now. Only role (and state) guards count, so an
 * event is listed even while a check or other guard would still refuse it.
 */
export function allowedEventsFor<TMachine extends AnyStateMachine>(
  machine: TMachine,
  snapshot: SnapshotFrom<TMachine>,
  actor: Actor,
  eventTypes: readonly string[],
  classification: GuardClassification,
): string[] {
  const { roleOnly } = variantsOf(machine, classification);
  const current = snapshot as AnyMachineSnapshot;
  // Only the actor is read by role guards (and nothing by the others, stubbed true), so a bare event suffices.
  const table = tableOf(roleOnly);
  if (table && current.status === 'active' && typeof current.value === 'string') {
    const value = current.value;
    return eventTypes.filter((type) => table.takes(value, current.context, { type, actor } as { type: string }));
  }
  const roleOnlySnapshot = resolveOn(roleOnly, current);
  return eventTypes.filter((type) => roleOnlySnapshot.can({ type, actor }));
}
