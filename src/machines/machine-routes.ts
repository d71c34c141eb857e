import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../http/auth';
import { defineRoute } from '../http/routes';
import { ExerciseIdParams, NoticeIdParams } from '../notices/notice-schemas';
import { MACHINE_IDS, machineById, machineGraph, toDot, toMermaid, toScxml, transitionKey, type DiagramOverlay, type MachineGraph } from './diagram';
import type { DiagramService } from './diagram-service';

const MEDIA = {
  mermaid: 'text/vnd.mermaid; charset=utf-8',
  dot: 'text/vnd.graphviz; charset=utf-8',
  scxml: 'application/scxml+xml; charset=utf-8',
} as const;

const formatError = (formats: readonly string[]) => ({ error: `must be one of ${formats.join(', ')}` });
const MachineQuery = z.strictObject({ format: z.enum(['json', 'mermaid', 'dot', 'scxml'], formatError(['json', 'mermaid', 'dot', 'scxml'])).default('json') });
const Labels = z
  .enum(['full', 'events'], formatError(['full', 'events']))
  .default('full')
  .meta({ description: '`events` labels edges with the event (and count) only, for a compact drawing' });
const DiagramQuery = z.strictObject({ format: z.enum(['json', 'mermaid', 'dot'], formatError(['json', 'mermaid', 'dot'])).default('mermaid'), labels: Labels });
const HeatmapQuery = z.strictObject({
  machine: z.enum(MACHINE_IDS, formatError(MACHINE_IDS)),
  format: z.enum(['json', 'mermaid', 'dot'], formatError(['json', 'mermaid', 'dot'])).default('json'),
  labels: Labels,
});
const MachineParams = z.strictObject({ id: z.enum(MACHINE_IDS, { error: `must be one of ${MACHINE_IDS.join(', ')}` }) });

const Guard = z.object({ type: z.string(), params: z.record(z.string(), z.unknown()).optional() });
const GraphSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    initial: z.string(),
    states: z.array(z.object({ id: z.string(), final: z.boolean(), description: z.string().optional() })),
    transitions: z.array(
      z.object({
        source: z.string(),
        target: z.string(),
        event: z.string(),
        guards: z.array(Guard),
        roles: z.array(z.string()).meta({ description: 'who may send the event, from its role guards' }),
        description: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'MachineGraph' });
const MachineResponse = GraphSchema.extend({
  definition: z.unknown().meta({ description: 'the XState machine definition (its JSON form)' }),
}).meta({ id: 'Machine' });
const MachineList = z
  .object({ items: z.array(z.object({ id: z.string(), title: z.string(), states: z.int(), transitions: z.int() })) })
  .meta({ id: 'MachineList' });
const Counted = {
  states: z.array(z.object({ state: z.string(), count: z.int() })),
  transitions: z.array(z.object({ source: z.string(), event: z.string(), target: z.string(), count: z.int() })),
};
const NoticeDiagramResponse = z
  .object({ machine: z.string(), current: z.string(), transitions: Counted.transitions })
  .meta({ id: 'NoticeDiagram' });
const HeatmapResponse = z.object({ machine: z.string(), ...Counted }).meta({ id: 'Heatmap' });

/** Sends the graph in a text format, or returns undefined for JSON. */
function sendText(res: Response, format: string, graph: MachineGraph, overlay: DiagramOverlay): boolean {
  if (format === 'mermaid') res.type(MEDIA.mermaid).send(toMermaid(graph, overlay));
  else if (format === 'dot') res.type(MEDIA.dot).send(toDot(graph, overlay));
  else if (format === 'scxml') res.type(MEDIA.scxml).send(toScxml(graph));
  else return false;
  return true;
}

const textFormats = (formats: (keyof typeof MEDIA)[]) =>
  Object.fromEntries(formats.map((f) => [MEDIA[f].split(';')[0]!, `?format=${f}`]));

/** Every transition of the graph with the number of times it was taken (zero included), for JSON answers. */
const counted = (graph: MachineGraph, counts: Record<string, number>) =>
  graph.transitions.map((t) => ({ source: t.source, event: t.event, target: t.target, count: counts[transitionKey(t)] ?? 0 }));

export function registerMachineRoutes(router: Router, registry: OpenAPIRegistry, deps: { diagrams: DiagramService; auth: RequestHandler[] }): void {
  defineRoute(router, registry, {
    method: 'get',
    path: '/api/machines',
    summary: 'The state machines: notice-red, notice-yellow, circulation',
    tags: ['machines'],
    response: MachineList,
    errors: [],
    handler: async () => ({
      items: MACHINE_IDS.map((id) => {
        const graph = machineGraph(id);
        return { id, title: graph.title, states: graph.states.length, transitions: graph.transitions.length };
      }),
    }),
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/machines/:id',
    summary: 'A machine as JSON, Mermaid (stateDiagram-v2), Graphviz DOT or W3C SCXML 1.0',
    description:
      'Generated from the machine definition itself. Final states are marked; every edge names its event, the role allowed to send it (from its role guards) and its other guards.',
    tags: ['machines'],
    params: MachineParams,
    query: MachineQuery,
    response: MachineResponse,
    formats: textFormats(['mermaid', 'dot', 'scxml']),
    errors: [400],
    handler: async ({ params, query, res }) => {
      const graph = machineGraph(params.id);
      if (sendText(res, query.format, graph, {})) return undefined;
      return { ...graph, definition: machineById(params.id).toJSON() };
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/notices/:id/diagram',
    summary: 'The notice’s state diagram: its current state highlighted, each transition labelled with how often it took it',
    tags: ['machines'],
    before: deps.auth,
    params: NoticeIdParams,
    query: DiagramQuery,
    response: NoticeDiagramResponse,
    formats: textFormats(['mermaid', 'dot']),
    errors: [400, 404],
    handler: async ({ params, query, req, res }) => {
      const { graph, overlay } = await deps.diagrams.noticeDiagram(principalOf(req), params.id);
      if (sendText(res, query.format, graph, { ...overlay, labels: query.labels })) return undefined;
      return { machine: graph.id, current: overlay.current!, transitions: counted(graph, overlay.transitionCounts ?? {}) };
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/exercises/:id/heatmap',
    summary: 'Over a whole exercise: how many notices (or records) sit in each state, and how often each transition was taken',
    description: 'For the roles that see the whole exercise (gs, ccf, observer, facilitator); an ncb gets 403.',
    tags: ['machines'],
    before: deps.auth,
    params: ExerciseIdParams,
    query: HeatmapQuery,
    response: HeatmapResponse,
    formats: textFormats(['mermaid', 'dot']),
    errors: [400, 403, 404],
    handler: async ({ params, query, req, res }) => {
      const graph = machineGraph(query.machine);
      const heat = await deps.diagrams.heatmap(principalOf(req), params.id, query.machine);
      const overlay = { stateCounts: heat.states, transitionCounts: heat.transitions, labels: query.labels };
      if (sendText(res, query.format, graph, overlay)) return undefined;
      return {
        machine: graph.id,
        states: graph.states.map((s) => ({ state: s.id, count: heat.states[s.id] ?? 0 })),
        transitions: counted(graph, heat.transitions),
      };
    },
  });
}
