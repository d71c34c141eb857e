import { Duration } from 'luxon';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CIRCULATION_EVENT_TYPES } from '../circulation/circulation-machine';
import { CirculationEventBody } from '../circulation/circulation-schemas';
import { MemberCountry } from '../countries/country-schemas';
import { addIsoDuration, END_OF_TIME_MS } from '../exercises/clock';
import { PARTICIPANT_ROLES } from '../exercises/exercise-types';
import { storableText } from '../kernel/text';
import { describeIssues } from '../kernel/validate';
import { NoticeEventBody, RedRequestSchema, YellowRequestSchema } from '../notices/notice-request-schemas';
import { NOTICE_EVENT_TYPES, NOTICE_STATES } from '../notices/notice-types';

/**
 * A tabletop scenario: who plays, what the scripted injects do and when, and what the trainers
 * expect to happen. Written as YAML or JSON; this schema validates it and publishes its JSON Schema.
 * Local keys name participants and notices inside the file, so later injects can refer to earlier ones.
 */

const key = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, 'must be a key: lower case letters, digits, _ or -, starting with a letter');

/** An offset from the scenario's start (or from a reference point): an ISO 8601 duration, zero or more. */
const offset = z
  .string()
  .refine(
    (v) => !v.includes('-') && Duration.fromISO(v).isValid,
    'must be an ISO 8601 duration such as PT0S, PT2H or P7D',
  )
  .refine(
    (v) => !Duration.fromISO(v).isValid || Duration.fromISO(v).as('years') <= 100,
    'must be at most a hundred years',
  )
  .meta({ description: 'ISO 8601 duration from the reference point', examples: ['PT0S', 'PT9H', 'P7D'] });

const ParticipantSchema = z
  .strictObject({
    key,
    role: z.enum(PARTICIPANT_ROLES),
    country: MemberCountry.optional(),
    name: storableText(200).optional(),
  })
  .refine((p) => (p.role === 'ncb') === (p.country !== undefined), {
    message: 'an ncb has a country, and only an ncb',
    path: ['country'],
  });

const InjectSchema = z
  .strictObject({
    at: offset,
    as: key.meta({ description: 'the participant who acts' }),
    note: storableText(1000).optional(),
    create: z
      .strictObject({ notice: key, request: z.discriminatedUnion('type', [RedRequestSchema, YellowRequestSchema]) })
      .optional(),
    event: z.strictObject({ notice: key, event: NoticeEventBody }).optional(),
    circulation: z.strictObject({ notice: key, country: MemberCountry, event: CirculationEventBody }).optional(),
  })
  .refine((i) => [i.create, i.event, i.circulation].filter(Boolean).length === 1, {
    message: 'an inject does exactly one thing: create, event or circulation',
  })
  .meta({ id: 'ScenarioInject' });

const ReferenceSchema = z.union([
  z.literal('start'),
  z.strictObject({ notice: key, event: z.enum([...NOTICE_EVENT_TYPES, ...CIRCULATION_EVENT_TYPES, 'CREATE']) }),
]);

const ExpectationSchema = z
  .strictObject({
    id: key,
    description: storableText(1000),
    notice: key,
    reaches: z.enum(NOTICE_STATES).optional().meta({ description: 'the notice reaches this state' }),
    happens: z
      .strictObject({
        type: z.enum([...NOTICE_EVENT_TYPES, ...CIRCULATION_EVENT_TYPES]),
        country: MemberCountry.optional(),
      })
      .optional()
      .meta({ description: 'or this event happens on the notice (or on the country’s record)' }),
    within: offset,
    from: ReferenceSchema.default('start'),
    score: z.int().min(0).max(1000),
  })
  .refine((e) => (e.reaches === undefined) !== (e.happens === undefined), {
    message: 'an expectation has either reaches or happens',
  })
  .meta({ id: 'ScenarioExpectation' });

export const ScenarioSchema = z
  .strictObject({
    title: storableText(200),
    briefing: storableText(20_000),
    start: z.iso.datetime({ offset: true }).meta({ description: 'simulated time at which the exercise starts' }),
    speed: z.number().positive().max(31_536_000).default(1).meta({ description: 'clock speed once the exercise runs' }),
    participants: z.array(ParticipantSchema).min(1).max(500),
    injects: z.array(InjectSchema).max(5000).default([]),
    expectations: z.array(ExpectationSchema).max(1000).default([]),
  })
  .superRefine((scenario, ctx) => {
    const participants = new Set<string>();
    scenario.participants.forEach((p, i) => {
      if (participants.has(p.key))
        ctx.addIssue({
          code: 'custom',
          message: `participant ${p.key} is defined twice`,
          path: ['participants', i, 'key'],
        });
      participants.add(p.key);
    });
    // Notices come into being in inject time order: a later inject may refer to an earlier one only.
    const start = new Date(scenario.start);
    // Refinements run even when a field failed above: an inject whose time cannot be read is left
    // out of the ordering checks (its own field already carries the problem).
    const when = (at: string): number | null => {
      try {
        const t = addIsoDuration(start, at).getTime();
        return Number.isNaN(t) ? null : t;
      } catch {
        return null;
      }
    };
    scenario.injects.forEach((inject, i) => {
      // Within a hundred years of a valid start, but the start itself may be near the end of time.
      if (
        !Number.isNaN(start.getTime()) &&
        Duration.fromISO(inject.at).isValid &&
        (when(inject.at) ?? Infinity) > END_OF_TIME_MS
      ) {
        ctx.addIssue({
          code: 'custom',
          message: 'falls after the end of simulated time (year 9999)',
          path: ['injects', i, 'at'],
        });
      }
    });
    const order = scenario.injects
      .map((inject, i) => ({ inject, i, t: when(inject.at) }))
      .filter((x): x is { inject: (typeof scenario.injects)[number]; i: number; t: number } => x.t !== null)
      .sort((a, b) => a.t - b.t || a.i - b.i);
    const notices = new Set<string>();
    for (const { inject, i } of order) {
      if (!participants.has(inject.as))
        ctx.addIssue({ code: 'custom', message: `no participant ${inject.as}`, path: ['injects', i, 'as'] });
      const uses = inject.event?.notice ?? inject.circulation?.notice;
      if (uses !== undefined && !notices.has(uses)) {
        ctx.addIssue({
          code: 'custom',
          message: `notice ${uses} is not created by an earlier inject`,
          path: ['injects', i],
        });
      }
      if (inject.create) {
        if (notices.has(inject.create.notice)) {
          ctx.addIssue({
            code: 'custom',
            message: `notice ${inject.create.notice} is created twice`,
            path: ['injects', i, 'create', 'notice'],
          });
        }
        notices.add(inject.create.notice);
      }
    }
    const ids = new Set<string>();
    scenario.expectations.forEach((e, i) => {
      if (ids.has(e.id))
        ctx.addIssue({
          code: 'custom',
          message: `expectation ${e.id} is defined twice`,
          path: ['expectations', i, 'id'],
        });
      ids.add(e.id);
      if (!notices.has(e.notice))
        ctx.addIssue({
          code: 'custom',
          message: `no inject creates notice ${e.notice}`,
          path: ['expectations', i, 'notice'],
        });
      if (typeof e.from === 'object' && !notices.has(e.from.notice)) {
        ctx.addIssue({
          code: 'custom',
          message: `no inject creates notice ${e.from.notice}`,
          path: ['expectations', i, 'from', 'notice'],
        });
      }
    });
  })
  .meta({ id: 'Scenario' });

export type Scenario = z.infer<typeof ScenarioSchema>;

export type ScenarioParse =
  { ok: true; scenario: Scenario } | { ok: false; problems: { field: string; message: string }[] };

/** A scenario file's text (YAML, or JSON, which is YAML too) as data, or why it cannot be read. */
export function readScenarioText(text: string): { ok: true; data: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, data: parseYaml(text, { maxAliasCount: 100 }) as unknown };
  } catch (error) {
    return {
      ok: false,
      message: `not YAML or JSON: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    };
  }
}

/** Reads a scenario file's text and validates it, naming every problem. */
export function parseScenario(text: string): ScenarioParse {
  const read = readScenarioText(text);
  if (!read.ok) return { ok: false, problems: [{ field: '(file)', message: read.message }] };
  const parsed = ScenarioSchema.safeParse(read.data);
  return parsed.success ? { ok: true, scenario: parsed.data } : { ok: false, problems: describeIssues(parsed.error) };
}

/** The scenario an exercise was created from (validated when it was stored), if any. */
export const scenarioOf = (exercise: { scenario: unknown }): Scenario | null =>
  (exercise.scenario as Scenario | null) ?? null;

/** The scenario format as JSON Schema (2020-12), for editors and other tools. */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

export type ScenarioInject = z.infer<typeof InjectSchema>;
export type ScenarioExpectation = z.infer<typeof ExpectationSchema>;
