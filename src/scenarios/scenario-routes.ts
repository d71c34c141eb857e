import type { RequestHandler } from 'express';
import { z } from 'zod';
import { ROLES } from '../exercises/exercise-types';
import { ClockResponse, clockView } from '../exercises/exercise-schemas';
import type { ExerciseService } from '../exercises/exercise-service';
import { recordAnswer } from '../kernel/idempotency';
import type { Routes } from '../kernel/routes';
import { storableText } from '../kernel/text';
import type { InjectStore } from './inject-store';
import { createScenarioExercise, type ScenarioExercise } from './scenario-exercises';
import { ScenarioKey, ScenarioSchema, parseScenario, scenarioJsonSchema } from './scenario-schema';
import type { Scheduler } from './scheduler';
import { ValidationError } from '../kernel/errors';
import type { ScenarioCatalogue } from './scenario-catalogue';

const FILES_UNREAD = 'must name only files of records that are in the scenarios folder, each record valid';

/**
 * A scenario as an object, or a scenario file's text (YAML or JSON) as a string. It is read here first,
 * so that each problem names its inject by number and its line in the text (`where`, `line`, `column`
 * in the 400's details, beside `field` and the rule's `message`); the schema then parses what was read.
 */
const ScenarioInput = z
  .preprocess((value, ctx) => {
    const parsed = parseScenario(value);
    if (parsed.ok) return parsed.data;
    for (const { path, message, where, line, column } of parsed.problems) {
      ctx.addIssue({ code: 'custom', message, path, params: { where, line, column } });
    }
    return z.NEVER;
  }, ScenarioSchema)
  .meta({
    description:
      'the scenario (see GET /api/scenarios/schema), or its YAML or JSON text; the files of records it names ' +
      `are read from the server’s scenarios folder: ${FILES_UNREAD}`,
  });

export const CreateExerciseBody = z
  .strictObject({
    name: storableText(200, 'required without a scenario; defaults to its title').optional(),
    scenario: ScenarioInput.optional(),
    teams: z
      .array(ScenarioKey)
      .max(500)
      .optional()
      .meta({
        description:
          'keys of the scenario’s participants played by people (no participant <key> in the scenario ' +
          'otherwise): their injects are skipped',
      }),
    freezeWhilePaused: z
      .boolean()
      .optional()
      .meta({
        description:
          'default true: while the clock is paused, teams (ncb, gs, ccf) change nothing (409 EXERCISE_PAUSED); ' +
          'false lets a self-paced class play on a paused clock',
      }),
  })
  .refine((b) => b.name !== undefined || b.scenario !== undefined, {
    message: 'a name or a scenario is required',
    path: ['name'],
  })
  .refine((b) => b.teams === undefined || b.scenario !== undefined, {
    message: 'teams come with a scenario',
    path: ['teams'],
  })
  .meta({
    id: 'CreateExercise',
    description: 'A name or a scenario is required; teams come with a scenario, and name its participants.',
  });

const ExerciseCreated = z
  .object({
    id: z.uuid(),
    name: z.string(),
    facilitatorToken: z.string().meta({ description: 'shown once; only its hash is stored' }),
    clock: ClockResponse.optional().meta({ description: 'from a scenario: paused at its start' }),
    participants: z
      .array(
        z.object({
          key: z.string(),
          id: z.uuid(),
          role: z.enum(ROLES),
          country: z.string().optional(),
          name: z.string().optional(),
          token: z.string(),
        }),
      )
      .optional()
      .meta({ description: 'from a scenario: each participant with its token, shown once' }),
    injects: z
      .object({
        scheduled: z.int(),
        skipped: z.int().meta({ description: 'injects of the participants played by teams' }),
        fired: z.int().meta({ description: 'due at the start, so fired already' }),
        failed: z.int(),
      })
      .optional(),
  })
  .meta({ id: 'ExerciseCreated' });

const NONE_FIRED = { injectsFired: 0, injectsFailed: 0 };

/** The answer to creating an exercise from a scenario, once the injects due at its start have run. */
const createdView = (created: ScenarioExercise, run: typeof NONE_FIRED) => ({
  id: created.exercise.id,
  name: created.exercise.name,
  facilitatorToken: created.facilitatorToken,
  clock: clockView(created.clock),
  participants: created.participants.map((p) => ({
    key: p.key!,
    id: p.id,
    role: p.role,
    ...(p.country && { country: p.country }),
    ...(p.name && { name: p.name }),
    token: p.token,
  })),
  injects: { ...created.injects, fired: run.injectsFired, failed: run.injectsFailed },
});

export function registerScenarioRoutes(
  routes: Routes,
  deps: {
    exercises: ExerciseService;
    injects: InjectStore;
    scheduler: Scheduler;
    catalogue: ScenarioCatalogue;
    admin: RequestHandler[];
  },
): void {
  routes.define({
    method: 'post',
    path: '/api/exercises',
    operationId: 'createExercise',
    summary: 'Create an exercise and its facilitator token, empty or from a scenario',
    description:
      'With `scenario` (the scenario as an object, or a scenario file’s YAML or JSON text as a string; its JSON ' +
      'Schema is at `GET /api/scenarios/schema`), the exercise gets the scenario’s participants (their tokens are ' +
      'in the answer, shown once), its clock is paused at the scenario’s start (teams act once the facilitator ' +
      'resumes it, unless `freezeWhilePaused` is false), and its injects are scheduled: ' +
      'they fire as the clock reaches them, as their participant, through the same path as any request. Injects ' +
      'due at the start fire before the answer. When the server has an ADMIN_TOKEN, this needs ' +
      '`Authorization: Bearer <ADMIN_TOKEN>`.',
    tags: ['exercises'],
    before: deps.admin,
    body: CreateExerciseBody,
    status: 201,
    response: ExerciseCreated,
    errors: [],
    idempotent: true,
    handler: async ({ body, req, idempotency }) => {
      const { freezeWhilePaused } = body;
      if (!body.scenario) {
        return deps.exercises.create(body.name!, { freezeWhilePaused, record: recordAnswer(idempotency) });
      }
      // Files of records it names are the scenarios folder's (a shipped scenario's, as the console sends it).
      const scenario = await deps.catalogue.readFiles(body.scenario);
      if (!scenario) throw ValidationError.of('body.scenario.records', FILES_UNREAD);
      const created = await createScenarioExercise(deps, scenario, {
        name: body.name,
        teams: body.teams,
        freezeWhilePaused,
        // As known at the commit, before any inject fired.
        record: recordAnswer(idempotency, (c: ScenarioExercise) => createdView(c, NONE_FIRED)),
      });
      // The exercise exists and its tokens are shown only now: a failure firing the first injects must
      // not lose them (the ticker and the next clock action pick the injects up again).
      const id = created.exercise.id;
      const run = await deps.scheduler.runDue(id, created.clock.simEpoch, created.clock).catch((err: unknown) => {
        req.log.error({ err, exerciseId: id }, 'firing the injects due at the start failed');
        return NONE_FIRED;
      });
      return createdView(created, run);
    },
  });

  // Built on its first request, not at every start (about 0.03 s of one: bench/README.md, "Start to ready").
  let schema: Record<string, unknown> | undefined;
  routes.define({
    method: 'get',
    path: '/api/scenarios/schema',
    operationId: 'getScenarioSchema',
    summary: 'The JSON Schema of scenario files (YAML or JSON)',
    tags: ['scenarios'],
    response: z.record(z.string(), z.unknown()).meta({ id: 'JsonSchema' }),
    errors: [],
    handler: async () => (schema ??= scenarioJsonSchema()),
  });
}
