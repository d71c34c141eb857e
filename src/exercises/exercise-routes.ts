import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { RequestHandler, Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../http/auth';
import { defineRoute } from '../http/routes';
import { ExerciseIdParams, MemberCountry, storableText } from '../notices/notice-schemas';
import { ROLES } from '../notices/notice-types';
import type { ExerciseService } from './exercise-service';
import { PARTICIPANT_ROLES } from './exercise-types';
import { parse as parseYaml } from 'yaml';
import { ScenarioSchema } from '../scenarios/scenario-schema';
import type { Scheduler } from '../scenarios/scheduler';
import { ClockResponse, clockView } from './clock-routes';

/** A scenario as an object, or a scenario file's text (YAML or JSON) as a string. */
const ScenarioInput = z
  .preprocess((value, ctx) => {
    if (typeof value !== 'string') return value;
    try {
      return parseYaml(value, { maxAliasCount: 100 }) as unknown;
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `not YAML or JSON: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` });
      return z.NEVER;
    }
  }, ScenarioSchema)
  .meta({ description: 'the scenario (see GET /api/scenarios/schema), or its YAML or JSON text' });

export const CreateExerciseBody = z
  .strictObject({
    name: storableText(200).optional().meta({ description: 'required without a scenario; defaults to its title' }),
    scenario: ScenarioInput.optional(),
    teams: z
      .array(z.string().max(40))
      .max(500)
      .optional()
      .meta({ description: 'keys of the scenario’s participants played by people: their injects are skipped' }),
  })
  .refine((b) => b.name !== undefined || b.scenario !== undefined, { message: 'a name or a scenario is required', path: ['name'] })
  .refine((b) => b.teams === undefined || b.scenario !== undefined, { message: 'teams come with a scenario', path: ['teams'] })
  .meta({ id: 'CreateExercise' });

const ExerciseCreated = z
  .object({
    id: z.uuid(),
    name: z.string(),
    facilitatorToken: z.string().meta({ description: 'shown once; only its hash is stored' }),
    clock: ClockResponse.optional().meta({ description: 'from a scenario: paused at its start' }),
    participants: z
      .array(
        z.object({ key: z.string(), id: z.uuid(), role: z.enum(ROLES), country: z.string().optional(), name: z.string().optional(), token: z.string() }),
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

export const AddParticipantBody = z
  .strictObject({ role: z.enum(PARTICIPANT_ROLES), country: MemberCountry.optional() })
  .meta({ id: 'AddParticipant', description: '`country` is required for an `ncb` and refused for other roles' });
const ParticipantCreated = z
  .object({ id: z.uuid(), role: z.enum(ROLES), country: z.string().optional(), token: z.string() })
  .meta({ id: 'ParticipantCreated' });


const Me = z
  .object({
    participantId: z.uuid(),
    role: z.enum(ROLES),
    country: z.string().optional(),
    exercise: z.object({ id: z.uuid(), name: z.string(), title: z.string().nullable() }),
  })
  .meta({ id: 'Me' });

const ParticipantResponse = z
  .object({
    id: z.uuid(),
    role: z.enum(ROLES),
    country: z.string().optional(),
    createdAt: z.iso.datetime(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Participant', description: 'A participant; its token is never shown again' });
const ParticipantList = z.object({ items: z.array(ParticipantResponse) }).meta({ id: 'ParticipantList' });
const ParticipantParams = z.strictObject({
  id: z.uuid({ error: 'must be an exercise id (UUID)' }),
  pid: z.uuid({ error: 'must be a participant id (UUID)' }),
});

export function registerExerciseRoutes(
  router: Router,
  registry: OpenAPIRegistry,
  deps: { exercises: ExerciseService; scheduler: Scheduler; auth: RequestHandler[]; admin: RequestHandler[] },
): void {
  defineRoute(router, registry, {
    method: 'post',
    path: '/api/exercises',
    summary: 'Create an exercise and its facilitator token, empty or from a scenario',
    description:
      'With `scenario` (the scenario as an object, or a scenario file’s YAML or JSON text as a string; its JSON Schema is at `GET /api/scenarios/schema`), the exercise gets the scenario’s participants (their tokens are in the answer, shown once), its clock is paused at the scenario’s start, and its injects are scheduled: they fire as the clock reaches them, as their participant, through the same path as any request. Injects due at the start fire before the answer. When the server has an ADMIN_TOKEN, this needs `Authorization: Bearer <ADMIN_TOKEN>`.',
    tags: ['exercises'],
    before: deps.admin,
    body: CreateExerciseBody,
    status: 201,
    response: ExerciseCreated,
    errors: [400, 413],
    handler: async ({ body, req }) => {
      if (!body.scenario) return deps.exercises.create(body.name!);
      const created = await deps.exercises.createFromScenario(body.scenario, { name: body.name, teams: body.teams });
      // The exercise exists and its tokens are shown only now: a failure firing the first injects must
      // not lose them (the ticker and the next clock action pick the injects up again).
      const run = await deps.scheduler.runDue(created.id, created.clock.simEpoch, created.clock).catch((err: unknown) => {
        req.log.error({ err, exerciseId: created.id }, 'firing the injects due at the start failed');
        return { injectsFired: 0, injectsFailed: 0 };
      });
      return {
        id: created.id,
        name: created.name,
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
      };
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/me',
    summary: 'Who the token is: role, country, and its exercise',
    tags: ['exercises'],
    before: deps.auth,
    response: Me,
    errors: [],
    handler: async ({ req }) => {
      const principal = principalOf(req);
      const exercise = await deps.exercises.find(principal.exerciseId);
      return {
        participantId: principal.participantId,
        role: principal.role,
        ...(principal.country && { country: principal.country }),
        exercise: { id: exercise.id, name: exercise.name, title: exercise.scenario?.title ?? null },
      };
    },
  });

  defineRoute(router, registry, {
    method: 'post',
    path: '/api/exercises/:id/participants',
    summary: 'Add a participant (facilitator only)',
    tags: ['exercises'],
    before: deps.auth,
    params: ExerciseIdParams,
    body: AddParticipantBody,
    status: 201,
    response: ParticipantCreated,
    errors: [400, 403, 404, 413],
    handler: async ({ params, body, req }) => {
      const p = await deps.exercises.addParticipant(principalOf(req), params.id, body);
      return { id: p.id, role: p.role, ...(p.country && { country: p.country }), token: p.token };
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/exercises/:id/participants',
    summary: 'List the participants (facilitator only; tokens are never shown)',
    tags: ['exercises'],
    before: deps.auth,
    params: ExerciseIdParams,
    response: ParticipantList,
    errors: [400, 403, 404],
    handler: async ({ params, req }) => ({
      items: (await deps.exercises.listParticipants(principalOf(req), params.id)).map((p) => ({
        id: p.id,
        role: p.role,
        ...(p.country && { country: p.country }),
        createdAt: p.createdAt.toISOString(),
        revokedAt: p.revokedAt?.toISOString() ?? null,
      })),
    }),
  });

  defineRoute(router, registry, {
    method: 'delete',
    path: '/api/exercises/:id/participants/:pid',
    summary: 'Revoke a participant (facilitator only): its token is refused from then on',
    tags: ['exercises'],
    before: deps.auth,
    params: ParticipantParams,
    status: 204,
    errors: [400, 403, 404],
    handler: ({ params, req }) => deps.exercises.revokeParticipant(principalOf(req), params.id, params.pid),
  });
}
