import type { RequestHandler, Response } from 'express';
import { z } from 'zod';
import { principalOf } from '../exercises/exercise-auth';
import { ExerciseIdParams } from '../exercises/exercise-schemas';
import { RunQueryField } from '../exercises/runs';
import type { Routes } from '../kernel/routes';
import { NoticeIdParams } from '../notices/notice-request-schemas';
import {
  MACHINE_IDS,
  machineById,
  machineGraph,
  toDot,
  toMermaid,
  toScxml,
  transitionKey,
  type DiagramOverlay,
  type MachineGraph,
} from './diagram';
import { HeatmapResponse, MachineList, MachineResponse, NoticeDiagramResponse } from './diagram-schema';
import type { DiagramService } from './diagram-service';

const MEDIA = {
  mermaid: 'text/vnd.mermaid; charset=utf-8',
  dot: 'text/vnd.graphviz; charset=utf-8',
  scxml: 'application/scxml+xml; charset=utf-8',
} as const;

const formatError = (formats: readonly string[]) => ({ error: `must be one of ${formats.join(', ')}` });
const MachineQuery = z.strictObject({
  format: z.enum(['json', 'mermaid', 'dot', 'scxml'], formatError(['json', 'mermaid', 'dot', 'scxml'])).default('json'),
});
const Labels = z
  .enum(['full', 'events'], formatError(['full', 'events']))
  .default('full')
  .meta({ description: '`events` labels edges with the event (and count) only, for a compact drawing' });
const DiagramQuery = z.strictObject({
  format: z.enum(['json', 'mermaid', 'dot'], formatError(['json', 'mermaid', 'dot'])).default('mermaid'),
  labels: Labels,
});
const HeatmapQuery = z.strictObject({
  machine: z.enum(MACHINE_IDS, formatError(MACHINE_IDS)),
  format: z.enum(['json', 'mermaid', 'dot'], formatError(['json', 'mermaid', 'dot'])).default('json'),
  labels: Labels,
  run: RunQueryField,
});
const MachineParams = z.strictObject({
  id: z.enum(MACHINE_IDS, { error: `must be one of ${MACHINE_IDS.join(', ')}` }),
});

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
  graph.transitions.map((t) => ({
    source: t.source,
    event: t.event,
    target: t.target,
    count: counts[transitionKey(t)] ?? 0,
  }));

export function registerMachineRoutes(
  routes: Routes,
  deps: { diagrams: DiagramService; auth: RequestHandler[] },
): void {
  routes.define({
    method: 'get',
    path: '/api/machines',
    operationId: 'listMachines',
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

  routes.define({
    method: 'get',
    path: '/api/machines/:id',
    operationId: 'getMachine',
    summary: 'A machine as JSON, Mermaid (stateDiagram-v2), Graphviz DOT or W3C SCXML 1.0',
    description:
      'Generated from the machine definition itself. Final states are marked; every edge names its event, the ' +
      'role allowed to send it (from its role guards) and its other guards.',
    tags: ['machines'],
    params: MachineParams,
    query: MachineQuery,
    response: MachineResponse,
    formats: textFormats(['mermaid', 'dot', 'scxml']),
    errors: [],
    handler: async ({ params, query, res }) => {
      const graph = machineGraph(params.id);
      if (sendText(res, query.format, graph, {})) return undefined;
      return { ...graph, definition: machineById(params.id).toJSON() };
    },
  });

  routes.define({
    method: 'get',
    path: '/api/notices/:id/diagram',
    operationId: 'getNoticeDiagram',
    summary:
      'The notice’s state diagram: its current state highlighted, each transition labelled with how often it took it',
    tags: ['machines'],
    before: deps.auth,
    params: NoticeIdParams,
    query: DiagramQuery,
    response: NoticeDiagramResponse,
    formats: textFormats(['mermaid', 'dot']),
    errors: [404],
    handler: async ({ params, query, req, res }) => {
      const { graph, overlay } = await deps.diagrams.noticeDiagram(principalOf(req), params.id);
      if (sendText(res, query.format, graph, { ...overlay, labels: query.labels })) return undefined;
      return {
        machine: graph.id,
        current: overlay.current!,
        transitions: counted(graph, overlay.transitionCounts ?? {}),
      };
    },
  });

  routes.define({
    method: 'get',
    path: '/api/exercises/:id/heatmap',
    operationId: 'getExerciseHeatmap',
    summary:
      'Over a whole exercise: how many notices (or records) sit in each state, and how often each transition was taken',
    description: 'For the roles that see the whole exercise (gs, ccf, observer, facilitator); an ncb gets 403.',
    tags: ['machines'],
    before: deps.auth,
    params: ExerciseIdParams,
    query: HeatmapQuery,
    response: HeatmapResponse,
    formats: textFormats(['mermaid', 'dot']),
    errors: [403, 404],
    handler: async ({ params, query, req, res }) => {
      const graph = machineGraph(query.machine);
      const heat = await deps.diagrams.heatmap(principalOf(req), params.id, query.machine, query.run);
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
