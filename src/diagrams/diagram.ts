import type { AnyStateMachine } from 'xstate';
import { circulationMachine } from '../circulation/circulation-machine';
import { noticeMachineFor } from '../notices/notice-machine';
import type { GraphTransition, GuardRef, MachineGraph } from './diagram-schema';

export type { GraphState, GraphTransition, GuardRef, MachineGraph } from './diagram-schema';

/**
 * Diagrams drawn from the machines themselves, never by hand: the states, the transitions, and on
 * each edge the guards and the role that may send the event, read from the machine definition. The
 * same graph is written as Mermaid, Graphviz DOT and W3C SCXML, so the three cannot disagree.
 */

export const MACHINE_IDS = ['notice-red', 'notice-yellow', 'circulation'] as const;
export type MachineId = (typeof MACHINE_IDS)[number];

export const MACHINE_TITLES: Record<MachineId, string> = {
  'notice-red': 'Red notice (wanted person) lifecycle',
  'notice-yellow': 'Yellow notice (missing person) lifecycle',
  circulation: 'Circulation record of one notice in one member country',
};

export function machineById(id: MachineId): AnyStateMachine {
  if (id === 'circulation') return circulationMachine;
  return noticeMachineFor(id === 'notice-red' ? 'RED' : 'YELLOW');
}

/** What each role guard allows, in words. */
function roleOf(guard: GuardRef): string | null {
  switch (guard.type) {
    case 'actorIs':
      return String(guard.params?.role);
    case 'actorIsOwner':
      return 'ncb (owner)';
    case 'actorIsAnyNcb':
      return 'ncb (any)';
    case 'actorIsCountryNcb':
      return 'ncb (record’s country)';
    case 'actorIsRequester':
      return 'ncb (requester)';
    default:
      return null;
  }
}

/**
 * A transition's guard as XState keeps it: a name, `{ type, params }`, or a combinator. `and([...])`
 * is flattened (each part must hold); `or` and `not` become one guard named after the expression,
 * so they are never drawn as a plain conjunction. An inline function is named `inline`.
 */
function flattenGuard(guard: unknown): GuardRef[] {
  if (guard === undefined || guard === null) return [];
  if (typeof guard === 'string') return [{ type: guard }];
  if (typeof guard === 'function') {
    const parts = (guard as unknown as { guards?: unknown }).guards;
    if (!Array.isArray(parts)) return [{ type: guard.name || 'inline' }];
    if (guard.name === 'and') return parts.flatMap(flattenGuard);
    const inner = parts.map((p) => flattenGuard(p));
    const text = inner.map((gs) => gs.map(guardText).join(' and '));
    const js = inner.map((gs) => gs.map(guardExpression).join(' && '));
    return guard.name === 'not'
      ? [{ type: `not(${text.join(', ')})`, expression: `!(${js.join(' && ')})` }]
      : [{ type: text.map((t) => `(${t})`).join(' or '), expression: js.map((j) => `(${j})`).join(' || ') }];
  }
  if (typeof guard === 'object' && 'type' in guard) {
    const { type, params } = guard as { type: string; params?: Record<string, unknown> };
    return [params ? { type, params } : { type }];
  }
  return [{ type: 'inline' }];
}

const guardText = (g: GuardRef) => (g.params ? `${g.type}(${Object.values(g.params).map(String).join(', ')})` : g.type);

const jsLiteral = (v: unknown) => `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** A guard as an ECMAScript call, for SCXML: `actorIs('gs')`, `approvalChecksPass()`. */
function guardExpression(g: GuardRef): string {
  if (g.expression) return g.expression;
  const name = /^[A-Za-z_$][\w$]*$/.test(g.type) ? g.type : 'inline';
  return `${name}(${g.params ? Object.values(g.params).map(jsLiteral).join(', ') : ''})`;
}

/** The machine's graph: its top-level states (the machines are flat) and every transition between them. */
export function machineGraph(id: MachineId): MachineGraph {
  return graphOf(machineById(id), MACHINE_TITLES[id]);
}

/** The graph of any flat machine. */
export function graphOf(machine: AnyStateMachine, title: string): MachineGraph {
  const id = machine.id;
  const root = machine.root;
  const states = Object.values(root.states).map((node) => ({
    id: node.key,
    final: node.type === 'final',
    ...(node.description && { description: node.description }),
  }));
  const transitions: GraphTransition[] = [];
  for (const node of Object.values(root.states)) {
    for (const [event, list] of node.transitions) {
      for (const t of list) {
        const guards = flattenGuard(t.guard);
        for (const target of t.target ?? [node]) {
          transitions.push({
            source: node.key,
            target: target.key,
            event,
            guards,
            roles: guards.map(roleOf).filter((r): r is string => r !== null),
            ...(t.description && { description: t.description }),
          });
        }
      }
    }
  }
  const initial = root.initial?.target?.[0]?.key;
  if (!initial) throw new Error(`${id} has no initial state`);
  return { id, title, initial, states, transitions };
}

/** Guards other than role guards, written as calls: `approvalChecksPass`, `noticeTypeIs(RED)`. */
function conditions(t: GraphTransition): string[] {
  return t.guards.filter((g) => roleOf(g) === null).map(guardText);
}

/** Per-diagram extras: the state to highlight, and how often each transition (by `source|event|target`) was taken. */
export interface DiagramOverlay {
  current?: string;
  /** Counts by state, shown in the state's label (a heatmap). */
  stateCounts?: Record<string, number>;
  transitionCounts?: Record<string, number>;
  /** `events`: edges show only the event (and count), for small screens; roles and guards are left out. */
  labels?: 'full' | 'events';
}

export const transitionKey = (t: { source: string; event: string; target: string }) =>
  `${t.source}|${t.event}|${t.target}`;

function edgeLabel(t: GraphTransition, overlay: DiagramOverlay, separator: string): string {
  const count = overlay.transitionCounts?.[transitionKey(t)];
  const conds = conditions(t);
  const full = overlay.labels !== 'events';
  return [
    t.event,
    full && t.roles.length ? `by ${t.roles.join(' + ')}` : '',
    full && conds.length ? `if ${conds.join(' and ')}` : '',
    count !== undefined ? `×${count}` : '',
  ]
    .filter(Boolean)
    .join(separator);
}

/** Mermaid `stateDiagram-v2`. */
export function toMermaid(graph: MachineGraph, overlay: DiagramOverlay = {}): string {
  const name = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');
  const lines = [
    'stateDiagram-v2',
    `  %% ${graph.id}: generated from the machine definition`,
    `  [*] --> ${name(graph.initial)}`,
  ];
  for (const s of graph.states) {
    const count = overlay.stateCounts?.[s.id];
    if (count !== undefined) lines.push(`  ${name(s.id)} : ${s.id.replace(/[:;#{}]/g, ' ')} (${count})`);
  }
  for (const t of graph.transitions) {
    // Mermaid reads a label up to the end of the line; these characters would end or confuse it.
    const label = edgeLabel(t, overlay, ' · ').replace(/[:;#{}]/g, ' ');
    lines.push(`  ${name(t.source)} --> ${name(t.target)} : ${label}`);
  }
  for (const s of graph.states.filter((st) => st.final)) lines.push(`  ${name(s.id)} --> [*]`);
  lines.push('  classDef final fill:#eeeeee,stroke:#555555');
  const finals = graph.states.filter((s) => s.final).map((s) => name(s.id));
  if (finals.length) lines.push(`  class ${finals.join(',')} final`);
  const occupied = graph.states.filter((s) => (overlay.stateCounts?.[s.id] ?? 0) > 0).map((s) => name(s.id));
  if (occupied.length) {
    lines.push('  classDef occupied fill:#c8e6c9,stroke:#2e7d32,stroke-width:2px');
    lines.push(`  class ${occupied.join(',')} occupied`);
  }
  if (overlay.current) {
    lines.push('  classDef current fill:#ffd54f,stroke:#b26a00,stroke-width:3px');
    lines.push(`  class ${name(overlay.current)} current`);
  }
  return `${lines.join('\n')}\n`;
}

const dotString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/** Graphviz DOT: final states double-bordered, the current one filled, edges labelled (and weighted by count). */
export function toDot(graph: MachineGraph, overlay: DiagramOverlay = {}): string {
  const max = Math.max(1, ...Object.values(overlay.transitionCounts ?? {}));
  const lines = [
    `digraph ${dotString(graph.id)} {`,
    `  label=${dotString(graph.title)}; labelloc=t; rankdir=LR;`,
    '  node [shape=box, style=rounded, fontname="Helvetica"]; edge [fontname="Helvetica", fontsize=10];',
    '  "__initial" [shape=point, width=0.15, label=""];',
    `  "__initial" -> ${dotString(graph.initial)};`,
  ];
  for (const s of graph.states) {
    const attrs: string[] = [];
    const count = overlay.stateCounts?.[s.id];
    attrs.push(`label=${dotString(count !== undefined ? `${s.id}\n${count}` : s.id)}`);
    if (s.final) attrs.push('peripheries=2');
    if (s.id === overlay.current) attrs.push('style="rounded,filled,bold"', 'fillcolor="#ffd54f"', 'penwidth=2');
    else if (count) attrs.push('style="rounded,filled"', 'fillcolor="#c8e6c9"');
    if (s.description) attrs.push(`tooltip=${dotString(s.description)}`);
    lines.push(`  ${dotString(s.id)} [${attrs.join(', ')}];`);
  }
  for (const t of graph.transitions) {
    const attrs = [`label=${dotString(edgeLabel(t, overlay, '\n'))}`];
    const count = overlay.transitionCounts?.[transitionKey(t)];
    if (count) attrs.push(`penwidth=${(1 + (4 * count) / max).toFixed(2)}`, 'color="#b26a00"');
    if (t.description) attrs.push(`tooltip=${dotString(t.description)}`);
    lines.push(`  ${dotString(t.source)} -> ${dotString(t.target)} [${attrs.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * W3C SCXML 1.0. Guards become `cond` expressions in the ECMAScript data model (`actorIs('gs') &&
 * approvalChecksPass()`); the roles are repeated in the `sim:roles` attribute of a namespace of ours.
 */
export function toScxml(graph: MachineGraph): string {
  const cond = (t: GraphTransition) =>
    t.guards.map((g) => (g.expression ? `(${g.expression})` : guardExpression(g))).join(' && ');
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<!-- ${xml(graph.title)}: generated from the machine definition -->`,
    `<scxml xmlns="http://www.w3.org/2005/07/scxml" xmlns:sim="urn:notice-simulator" version="1.0" datamodel="ecmascript" name="${xml(graph.id)}" initial="${xml(graph.initial)}">`,
  ];
  for (const s of graph.states) {
    const out = graph.transitions.filter((t) => t.source === s.id);
    const tag = s.final ? 'final' : 'state';
    if (!out.length) {
      lines.push(`  <${tag} id="${xml(s.id)}"/>`);
      continue;
    }
    lines.push(`  <${tag} id="${xml(s.id)}">`);
    for (const t of out) {
      const attrs = [`event="${xml(t.event)}"`, `target="${xml(t.target)}"`];
      if (t.guards.length) attrs.push(`cond="${xml(cond(t))}"`);
      if (t.roles.length) attrs.push(`sim:roles="${xml(t.roles.join(', '))}"`);
      lines.push(`    <transition ${attrs.join(' ')}/>`);
    }
    lines.push(`  </${tag}>`);
  }
  lines.push('</scxml>');
  return `${lines.join('\n')}\n`;
}
