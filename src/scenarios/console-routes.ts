import type { RequestHandler } from 'express';
import { z } from 'zod';
import { principalOf } from '../exercises/exercise-auth';
import { ExerciseIdParams } from '../exercises/exercise-schemas';
import type { ExerciseService } from '../exercises/exercise-service';
import { ROLES } from '../exercises/exercise-types';
import type { Principal } from '../exercises/exercise-types';
import { ForbiddenError, NotFoundError } from '../kernel/errors';
import type { Routes } from '../kernel/routes';
import type { InjectStore } from './inject-store';
import { describeInject } from './inject-words';
import { SCENARIO_FILE_KEY, type ScenarioCatalogue } from './scenario-catalogue';
import { scenarioOf, type Scenario } from './scenario-schema';

const ScenarioParticipant = z
  .object({ key: z.string(), role: z.enum(ROLES), country: z.string().optional(), name: z.string().optional() })
  .meta({ id: 'ScenarioParticipant' });

const participantsOf = (scenario: Scenario) =>
  scenario.participants.map((p) => ({
    key: p.key,
    role: p.role,
    ...(p.country && { country: p.country }),
    ...(p.name && { name: p.name }),
  }));

const ShippedScenarioList = z
  .object({
    items: z.array(
      z.object({
        key: z.string().meta({ description: 'the file name without .yaml: GET /api/scenarios/{key} gives its text' }),
        title: z.string(),
        briefing: z.string(),
        start: z.string().meta({ description: 'simulated start, as the file gives it (ISO 8601)' }),
        participants: z.array(ScenarioParticipant),
        injects: z.int().meta({ description: 'how many scripted injects it has' }),
      }),
    ),
  })
  .meta({ id: 'ShippedScenarioList' });

const ScenarioKeyParams = z.strictObject({
  key: z.string().regex(SCENARIO_FILE_KEY, 'must be a scenario key: lower case letters, digits, _ or -'),
});

const BriefingResponse = z
  .object({
    exercise: z.object({ id: z.uuid(), name: z.string() }),
    title: z.string().meta({ description: 'the scenario’s title, or the exercise’s name without a scenario' }),
    briefing: z.string().nullable().meta({ description: 'null for an exercise made without a scenario' }),
    start: z.string().nullable().meta({ description: 'the scenario’s simulated start (ISO 8601)' }),
    participants: z.array(ScenarioParticipant).meta({ description: 'the scenario’s parts, by key and name' }),
  })
  .meta({ id: 'Briefing' });

const InjectPanelItem = z
  .object({
    id: z.uuid(),
    number: z.int().meta({ description: 'its place in the scenario file, counted from 1' }),
    description: z.string().meta({ description: 'what it does, in words' }),
    note: z.string().optional().meta({ description: 'the scenario’s note on it' }),
    participant: z.object({
      id: z.uuid(),
      key: z.string().nullable(),
      name: z.string().nullable(),
      role: z.enum(ROLES),
      country: z.string().nullable(),
    }),
    due: z.iso.datetime().meta({ description: 'simulated time it falls due' }),
    status: z
      .enum(['pending', 'done', 'failed', 'skipped'])
      .meta({ description: 'skipped: its part is played by a team' }),
    firedAt: z.iso.datetime().nullable().meta({ description: 'wall time it fired or failed' }),
    error: z.object({ code: z.string(), message: z.string() }).nullable().meta({ description: 'why it failed' }),
    noticeKey: z.string().meta({ description: 'the scenario’s key of the notice it concerns' }),
    noticeId: z.uuid().nullable().meta({ description: 'that notice, once it exists' }),
  })
  .meta({ id: 'InjectPanelItem' });
const InjectPanel = z.object({ items: z.array(InjectPanelItem) }).meta({ id: 'InjectPanel' });

/** The facilitator and observers watch the script; the teams playing it may not read ahead. */
function watcherOf(principal: Principal, exerciseId: string): void {
  if (principal.exerciseId !== exerciseId) throw new NotFoundError('Exercise');
  if (principal.role !== 'facilitator' && principal.role !== 'observer') {
    throw new ForbiddenError('Only the facilitator and observers see the injects');
  }
}

/** What the facilitator's console reads: the shipped scenarios, an exercise's briefing and its injects. */
export function registerConsoleScenarioRoutes(
  routes: Routes,
  deps: { catalogue: ScenarioCatalogue; exercises: ExerciseService; injects: InjectStore; auth: RequestHandler[] },
): void {
  routes.define({
    method: 'get',
    path: '/api/scenarios',
    operationId: 'listScenarios',
    summary: 'The scenarios shipped with the server (files in scenarios/)',
    tags: ['scenarios'],
    response: ShippedScenarioList,
    errors: [],
    handler: async () => ({
      items: (await deps.catalogue.list()).map(({ key, scenario }) => ({
        key,
        title: scenario.title,
        briefing: scenario.briefing,
        start: scenario.start,
        participants: participantsOf(scenario),
        injects: scenario.injects.length,
      })),
    }),
  });

  routes.define({
    method: 'get',
    path: '/api/scenarios/:key',
    operationId: 'getScenario',
    summary: 'A shipped scenario’s YAML text, to create an exercise from (POST /api/exercises)',
    tags: ['scenarios'],
    params: ScenarioKeyParams,
    response: z.string().meta({ description: 'the scenario file as it is' }),
    responseMedia: 'text/yaml',
    errors: [404],
    handler: async ({ params, res }) => {
      const found = await deps.catalogue.find(params.key);
      if (!found) throw new NotFoundError('Scenario');
      res.status(200).type('text/yaml; charset=utf-8').send(found.text);
      return undefined;
    },
  });

  routes.define({
    method: 'get',
    path: '/api/exercises/:id/briefing',
    operationId: 'getBriefing',
    summary: 'The exercise’s briefing: title, text, start and parts (any participant)',
    tags: ['exercises'],
    before: deps.auth,
    params: ExerciseIdParams,
    response: BriefingResponse,
    errors: [404],
    handler: async ({ params, req }) => {
      if (principalOf(req).exerciseId !== params.id) throw new NotFoundError('Exercise');
      const exercise = await deps.exercises.find(params.id);
      const scenario = scenarioOf(exercise);
      return {
        exercise: { id: exercise.id, name: exercise.name },
        title: scenario?.title ?? exercise.name,
        briefing: scenario?.briefing ?? null,
        start: scenario?.start ?? null,
        participants: scenario ? participantsOf(scenario) : [],
      };
    },
  });

  routes.define({
    method: 'get',
    path: '/api/exercises/:id/injects',
    operationId: 'listInjects',
    summary: 'The scenario’s injects with their due time and outcome (facilitator and observers)',
    description: 'In the order they fire: due simulated time, then their place in the file.',
    tags: ['exercises'],
    before: deps.auth,
    params: ExerciseIdParams,
    response: InjectPanel,
    errors: [403, 404],
    handler: async ({ params, req }) => {
      watcherOf(principalOf(req), params.id);
      // The current run's injects (a reset starts them again: src/exercises/runs.ts).
      const run = await deps.exercises.runOf(params.id);
      const [injects, keys] = await Promise.all([
        deps.injects.list(params.id, run),
        deps.injects.noticeKeys(params.id, run),
      ]);
      const idOfKey = new Map([...keys].map(([id, key]) => [key, id]));
      return {
        items: injects.map((i) => ({
          id: i.id,
          number: i.seq + 1,
          description: describeInject(i),
          ...(i.action.note && { note: i.action.note }),
          participant: i.participant,
          due: i.at.toISOString(),
          status: i.status,
          firedAt: i.firedAt?.toISOString() ?? null,
          error: i.error && { code: i.error.code, message: i.error.message },
          noticeKey: i.noticeKey,
          noticeId: i.noticeId ?? idOfKey.get(i.noticeKey) ?? null,
        })),
      };
    },
  });
}
