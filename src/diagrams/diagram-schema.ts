/** The shapes of the diagram API; the graph types the diagram writers use are inferred from them. */
import { z } from 'zod';

const GuardSchema = z.object({
  type: z.string(),
  params: z.record(z.string(), z.unknown()).optional(),
  expression: z.string().optional().meta({ description: 'for `or` and `not`: the guard as an ECMAScript expression' }),
});

const StateSchema = z.object({ id: z.string(), final: z.boolean(), description: z.string().optional() });

const TransitionSchema = z.object({
  source: z.string(),
  target: z.string(),
  event: z.string(),
  guards: z.array(GuardSchema).meta({ description: 'every guard on the transition, role guards included' }),
  roles: z.array(z.string()).meta({ description: 'who may send the event, from its role guards' }),
  description: z.string().optional(),
});

export const GraphSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    initial: z.string(),
    states: z.array(StateSchema),
    transitions: z.array(TransitionSchema),
  })
  .meta({ id: 'MachineGraph' });

export type GuardRef = z.infer<typeof GuardSchema>;
export type GraphState = z.infer<typeof StateSchema>;
export type GraphTransition = z.infer<typeof TransitionSchema>;
export type MachineGraph = z.infer<typeof GraphSchema>;

export const MachineResponse = GraphSchema.extend({
  definition: z.unknown().meta({ description: 'the XState machine definition (its JSON form)' }),
}).meta({ id: 'Machine' });

export const MachineList = z
  .object({ items: z.array(z.object({ id: z.string(), title: z.string(), states: z.int(), transitions: z.int() })) })
  .meta({ id: 'MachineList' });

const Counted = {
  states: z.array(z.object({ state: z.string(), count: z.int() })),
  transitions: z.array(z.object({ source: z.string(), event: z.string(), target: z.string(), count: z.int() })),
};

export const NoticeDiagramResponse = z
  .object({ machine: z.string(), current: z.string(), transitions: Counted.transitions })
  .meta({ id: 'NoticeDiagram' });

export const HeatmapResponse = z.object({ machine: z.string(), ...Counted }).meta({ id: 'Heatmap' });
