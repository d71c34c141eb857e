/**
 * A machine's transitions compiled into a table: for each state and event type, the candidate
 * transitions in the machine's order, each with its guard as a predicate and its actions (the source's
 * exit, the transition's own, the target's entry) as context updates. Built from the machine's own
 * definition (its state nodes and implementations), never written by hand, so it is the same lifecycle:
 * test/unit/machine-table.test.ts holds it equal to xstate's `transition()` over random event sequences.
 * It takes a few microseconds where `transition()` takes about twenty, for the hot paths and for a
 * simulation that runs a year of notices in memory.
 *
 * Only what the lifecycle machines use compiles: flat machines whose actions all assign to the context,
 * with guards named, parameterised or combined by `and`, `or` and `not`. Anything else (nested or parallel
 * states, eventless or delayed transitions, invocations, side-effect actions) makes `compileMachine`
 * throw, and the caller keeps to `transition()`.
 */
import { and, not, or, type AnyStateMachine } from 'xstate';

/** What a compiled machine is given and gives: a flat machine's state value and context. */
export interface TableState<TContext> {
  value: string;
  context: TContext;
  /** `done` in a final state, as xstate's snapshot status. */
  status: 'active' | 'done';
}

export interface MachineTable<TContext, TEvent extends { type: string }> {
  /**
   * The state the machine starts in for `input` (xstate's `getInitialSnapshot`): its context made from
   * the input, then the initial state's entry actions, at a few microseconds rather than a hundred.
   */
  start(input?: unknown): TableState<TContext>;
  /**
   * The state after `event`, or null when no transition of `value` takes it (where xstate's
   * `transition()` leaves the snapshot as it was).
   */
  next(value: string, context: TContext, event: TEvent): TableState<TContext> | null;
  /** Whether `value` takes `event` (xstate's `snapshot.can`): its guards only, no action run. */
  takes(value: string, context: TContext, event: TEvent): boolean;
}

type Predicate = (context: unknown, event: unknown) => boolean;
/** What an assign action changes: the fields it assigns, computed from the context it is given. */
type Update = (context: Record<string, unknown>, event: unknown) => Record<string, unknown>;

/** The shape of the xstate internals read here (public fields of `StateNode` and `TransitionDefinition`). */
interface NodeLike {
  key: string;
  initial?: { target: NodeLike[]; actions: unknown[] } | undefined;
  type: string;
  states: Record<string, NodeLike>;
  entry: unknown[];
  exit: unknown[];
  on: Record<string, TransitionLike[]>;
  always?: unknown[] | undefined;
  after: unknown[];
  invoke: unknown[];
}

interface TransitionLike {
  target: NodeLike[] | undefined;
  actions: unknown[];
  guard: unknown;
  reenter: boolean;
}

interface Compiled {
  guard: Predicate;
  target: string | null;
  /** The status once taken: the target's, or (no target) `active`, as only an active state takes events. */
  status: 'active' | 'done';
  updates: Update[];
}

// The checks of xstate's higher-order guards, to recognise them by identity rather than by name.
const AND_CHECK = (and([]) as unknown as { check: unknown }).check;
const OR_CHECK = (or([]) as unknown as { check: unknown }).check;
const NOT_CHECK = (not('x') as unknown as { check: unknown }).check;

class NotCompilable extends Error {}

function compileGuard(machine: AnyStateMachine, guard: unknown): Predicate {
  if (guard === undefined) return () => true;
  const guards = machine.implementations.guards as Record<string, unknown>;
  const inline = typeof guard === 'function';
  const name = typeof guard === 'string' ? guard : (guard as { type?: string }).type;
  const resolved = inline ? guard : guards[name ?? ''];
  if (resolved === undefined) throw new NotCompilable(`guard ${String(name)} is not implemented`);
  // A named guard that is itself a guard object (an alias): as xstate, evaluate that one.
  if (typeof resolved !== 'function') return compileGuard(machine, resolved);
  const params = inline || typeof guard === 'string' ? undefined : (guard as { params?: unknown }).params;
  if ('check' in resolved) {
    const { check, guards: parts } = resolved as unknown as { check: unknown; guards: unknown[] };
    const compiled = parts.map((part) => compileGuard(machine, part));
    if (check === AND_CHECK) return (c, e) => compiled.every((p) => p(c, e));
    if (check === OR_CHECK) return (c, e) => compiled.some((p) => p(c, e));
    if (check === NOT_CHECK) return (c, e) => !compiled[0]!(c, e);
    throw new NotCompilable('a built-in guard other than and, or, not');
  }
  const implementation = resolved as (args: { context: unknown; event: unknown }, params: unknown) => boolean;
  if (typeof params === 'function') {
    return (context, event) => implementation({ context, event }, params({ context, event }));
  }
  return (context, event) => implementation({ context, event }, params);
}

function compileAction(machine: AnyStateMachine, action: unknown): Update {
  const actions = machine.implementations.actions as Record<string, unknown>;
  const inline = typeof action === 'function';
  const resolved = (
    inline ? action : actions[typeof action === 'string' ? action : (action as { type: string }).type]
  ) as { type?: string; assignment?: unknown } | undefined;
  if (!resolved || resolved.type !== 'xstate.assign') throw new NotCompilable(`an action that is not an assign`);
  const params = inline || typeof action === 'string' ? undefined : (action as { params?: unknown }).params;
  const paramsOf =
    typeof params === 'function' ? (context: unknown, event: unknown) => params({ context, event }) : () => params;
  const assignment = resolved.assignment;
  if (typeof assignment === 'function') {
    return (context, event) => assignment({ context, event }, paramsOf(context, event)) as Record<string, unknown>;
  }
  const keys = Object.keys(assignment as Record<string, unknown>);
  const parts = Object.values(assignment as Record<string, unknown>);
  return (context, event) => {
    const actionParams = paramsOf(context, event);
    // One argument for every part, as xstate's assign gives them.
    const args = { context, event };
    const update: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const part = parts[i];
      update[keys[i]!] = typeof part === 'function' ? part(args, actionParams) : part;
    }
    return update;
  };
}

function compileTransition(machine: AnyStateMachine, source: NodeLike, transition: TransitionLike): Compiled {
  if (transition.target && transition.target.length !== 1) throw new NotCompilable('a transition to several states');
  const target = transition.target?.[0];
  if (target && !Object.values(machine.root.states).includes(target as never)) {
    throw new NotCompilable('a transition out of the top level');
  }
  // Leaving the state (another target, or re-entering): its exit actions, the transition's, the target's entry.
  const leaves = target !== undefined && (target !== source || transition.reenter);
  // A final state reached ends the machine, and xstate then runs that state's exit actions too.
  const ends = leaves && target.type === 'final' ? target.exit : [];
  const actions = [...(leaves ? source.exit : []), ...transition.actions, ...(leaves ? target.entry : []), ...ends];
  return {
    guard: compileGuard(machine, transition.guard),
    target: target ? target.key : null,
    status: target?.type === 'final' ? 'done' : 'active',
    updates: actions.map((action) => compileAction(machine, action)),
  };
}

function compile(machine: AnyStateMachine) {
  const root = machine.root as unknown as NodeLike;
  if (root.entry.length || root.exit.length || Object.keys(root.on).length || root.always?.length) {
    throw new NotCompilable('transitions or actions on the machine itself');
  }
  const table = new Map<string, { final: boolean; on: Map<string, Compiled[]> }>();
  for (const node of Object.values(root.states)) {
    if (Object.keys(node.states).length || !['atomic', 'final'].includes(node.type)) {
      throw new NotCompilable(`state ${node.key} is not a plain state`);
    }
    if (node.always?.length || node.after.length || node.invoke.length) {
      throw new NotCompilable(`state ${node.key} has eventless, delayed or invoked work`);
    }
    const on = new Map<string, Compiled[]>();
    for (const [type, transitions] of Object.entries(node.on)) {
      if (type === '*' || type.includes('.'))
        throw new NotCompilable(`state ${node.key} takes wildcard or internal events`);
      on.set(
        type,
        transitions.map((transition) => compileTransition(machine, node, transition)),
      );
    }
    table.set(node.key, { final: node.type === 'final', on });
  }
  return table;
}

/** How the machine starts: its context from the input, and the initial state with its entry actions. */
function compileStart(machine: AnyStateMachine) {
  const root = machine.root as unknown as NodeLike;
  const initial = root.initial;
  const first = initial?.target.length === 1 ? initial.target[0]! : undefined;
  if (!first || initial!.actions.length) throw new NotCompilable('no single initial state, or actions on the way in');
  const factory = (machine.config as { context?: unknown }).context;
  if (factory !== undefined && typeof factory !== 'function' && (typeof factory !== 'object' || factory === null)) {
    throw new NotCompilable('a context that is neither an object nor a function of the input');
  }
  const updates = first.entry.map((action) => compileAction(machine, action));
  const status: 'active' | 'done' = first.type === 'final' ? 'done' : 'active';
  return (input: unknown): TableState<unknown> => {
    // As xstate: a function's context is assigned over an empty one, an object's taken as it is.
    let context = (
      typeof factory === 'function' ? { ...(factory as (a: { input: unknown }) => object)({ input }) } : (factory ?? {})
    ) as Record<string, unknown>;
    const event = { type: 'xstate.init', input };
    if (updates.length) {
      context = { ...context };
      for (const update of updates) Object.assign(context, update(context, event));
    }
    return { value: first.key, context, status };
  };
}

/** Compiles a flat, assign-only machine (see the module's comment); throws for any other. */
export function compileMachine<TContext, TEvent extends { type: string }>(
  machine: AnyStateMachine,
): MachineTable<TContext, TEvent> {
  const table = compile(machine);
  const start = compileStart(machine);
  const takenBy = (value: string, context: unknown, event: { type: string }) => {
    const state = table.get(value);
    if (!state || state.final) return undefined;
    const candidates = state.on.get(event.type);
    if (candidates) for (const candidate of candidates) if (candidate.guard(context, event)) return candidate;
    return undefined;
  };
  return {
    start: (input) => start(input) as TableState<TContext>,
    takes(value, context, event) {
      const taken = takenBy(value, context, event);
      return taken !== undefined && (taken.target !== null || taken.updates.length > 0);
    },
    next(value, context, event) {
      const taken = takenBy(value, context, event);
      if (!taken) return null;
      // One copy of the context for the whole transition, each action's fields written into it in turn:
      // what xstate's actions give one after another, without a copy per action.
      let next = context as Record<string, unknown>;
      if (taken.updates.length) {
        next = { ...next };
        for (const update of taken.updates) Object.assign(next, update(next, event));
      }
      return { value: taken.target ?? value, context: next as TContext, status: taken.status };
    },
  };
}

const compiledTables = new WeakMap<AnyStateMachine, MachineTable<unknown, { type: string }> | null>();

/** The machine's table, compiled once; null when the machine uses what the table does not compile. */
export function tableOf(machine: AnyStateMachine): MachineTable<unknown, { type: string }> | null {
  if (!compiledTables.has(machine)) {
    let table: MachineTable<unknown, { type: string }> | null = null;
    try {
      table = compileMachine(machine);
    } catch (error) {
      if (!(error instanceof NotCompilable)) throw error;
    }
    compiledTables.set(machine, table);
  }
  return compiledTables.get(machine)!;
}
