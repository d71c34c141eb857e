import { Duration } from 'luxon';
import { z } from 'zod';
import { CIRCULATION_EVENT_TYPES } from '../circulation/circulation-machine';
import { CirculationEventBody } from '../circulation/circulation-schemas';
import { MemberCountry } from '../countries/country-schemas';
import { CreateRecordBody } from '../databases/record-schemas';
import { SearchBody } from '../databases/search-schemas';
import { END_OF_TIME_MS, ISO_DURATION } from '../exercises/clock';
import { ClockSpeed } from '../exercises/exercise-schemas';
import { PARTICIPANT_ROLES } from '../exercises/exercise-types';
import { Address, PRIORITIES } from '../messages/message-schemas';
import { storableText } from '../kernel/text';
import { NoticeEventBody, RedRequestSchema, YellowRequestSchema } from '../notices/notice-request-schemas';
import { NOTICE_EVENT_TYPES, NOTICE_STATES } from '../notices/notice-types';
import { readScenarioDocument, scenarioProblems, type ScenarioProblem, type ScenarioText } from './scenario-problems';
import { checkReferences } from './scenario-references';

/**
 * A tabletop scenario: who plays, what the scripted injects do and when, and what the trainers
 * expect to happen. Written as YAML or JSON; this schema validates it and publishes its JSON Schema.
 * Local keys name participants and notices inside the file, so later injects can refer to earlier ones.
 */

/** A local key in a scenario file: a participant's or a notice's. */
export const ScenarioKey = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, 'must be a key: lower case letters, digits, _ or -, starting with a letter');

const OFFSET_RULES = 'must be an ISO 8601 duration such as PT0S, PT2H or P7D; must be at most a hundred years';

/** An offset from the scenario's start (or from a reference point): an ISO 8601 duration, zero or more. */
const offset = z
  .string()
  .regex(ISO_DURATION, 'must be an ISO 8601 duration such as PT0S, PT2H or P7D')
  .refine((v) => Duration.fromISO(v).isValid, 'must be an ISO 8601 duration such as PT0S, PT2H or P7D')
  .refine(
    (v) => !Duration.fromISO(v).isValid || Duration.fromISO(v).as('years') <= 100,
    'must be at most a hundred years',
  )
  .meta({ description: `From the reference point: ${OFFSET_RULES}.`, examples: ['PT0S', 'PT9H', 'P7D'] });

const ParticipantSchema = z
  .strictObject({
    key: ScenarioKey,
    role: z.enum(PARTICIPANT_ROLES),
    country: MemberCountry.optional(),
    name: storableText(200).optional(),
  })
  .refine((p) => (p.role === 'ncb') === (p.country !== undefined), {
    message: 'an ncb has a country, and only an ncb',
    path: ['country'],
  })
  .meta({
    description: 'Each key once (participant <key> is defined twice); an ncb has a country, and only an ncb.',
  });

/** What a person inject links: a record the scenario loads, the best hit of an earlier search, a notice. */
const PersonLinkSchema = z.union([
  z.strictObject({ record: ScenarioKey.meta({ description: 'a record of the scenario’s `records`, by its key' }) }),
  z.strictObject({
    hitOf: ScenarioKey.meta({ description: 'the best hit of an earlier search inject, by its key' }),
    country: MemberCountry.optional().meta({ description: 'of the hits on what this country owns' }),
  }),
  z.strictObject({ notice: ScenarioKey.meta({ description: 'a notice created by an earlier inject' }) }),
]);

/** What a message inject is about: an earlier inject's notice (or its record in a country), or a search's hit. */
const MessageAboutSchema = z.union([
  z.strictObject({
    notice: ScenarioKey.meta({ description: 'a notice created by an earlier inject' }),
    country: MemberCountry.optional().meta({ description: 'its circulation record in this country' }),
  }),
  z.strictObject({
    hitOf: ScenarioKey.meta({ description: 'the best hit of an earlier search inject, by its key' }),
    country: MemberCountry.optional().meta({ description: 'of the hits on what this country owns' }),
  }),
]);

const MessageInjectSchema = z
  .strictObject({
    key: ScenarioKey.meta({ description: 'its key, for the replies and expectations that name it' }),
    to: z.array(Address).min(1).max(200).optional().meta({
      description: 'the recipients’ addresses (a country’s code, gs, ccf); left out of a reply, its sender',
    }),
    about: MessageAboutSchema.optional(),
    priority: z.enum(PRIORITIES).default('routine'),
    subject: storableText(200),
    body: storableText(10_000),
    replyTo: ScenarioKey.optional().meta({ description: 'the key of an earlier message inject it answers' }),
  })
  .meta({
    description:
      'the participant sends an I-24/7 message: to addresses, or as a reply (a message names to unless it replies)',
  });

const InjectSchema = z
  .strictObject({
    at: offset,
    as: ScenarioKey.meta({
      description: 'the participant who acts (no participant <key>: it must be one of the scenario’s)',
    }),
    note: storableText(1000).optional(),
    create: z
      .strictObject({
        notice: ScenarioKey,
        request: z.discriminatedUnion('type', [RedRequestSchema, YellowRequestSchema]),
      })
      .optional(),
    event: z.strictObject({ notice: ScenarioKey, event: NoticeEventBody }).optional(),
    circulation: z
      .strictObject({
        notice: ScenarioKey,
        country: MemberCountry,
        event: CirculationEventBody,
        hitOf: ScenarioKey.optional().meta({
          description:
            'a REPORT_HIT reports the hit of this earlier search inject on the notice (its hitId); hitOf goes ' +
            'with a REPORT_HIT: the hit it names is the one reported',
        }),
      })
      .optional(),
    search: z
      .strictObject({ key: ScenarioKey, query: SearchBody })
      .optional()
      .meta({ description: 'a search of the databases by the participant, its key for later injects' }),
    person: z
      .strictObject({
        key: ScenarioKey,
        label: storableText(200),
        reason: storableText(2000),
        links: z.array(PersonLinkSchema).max(50).default([]),
      })
      .optional()
      .meta({ description: 'the participant establishes a person and links what it names to it' }),
    message: MessageInjectSchema.optional(),
  })
  .refine((i) => [i.create, i.event, i.circulation, i.search, i.person, i.message].filter(Boolean).length === 1, {
    message: 'an inject does exactly one thing: create, event, circulation, search, person or message',
  })
  .meta({
    id: 'ScenarioInject',
    description:
      'An inject does exactly one thing: create, event, circulation, search, person or message. An event or a ' +
      'circulation event acts on a notice created by an earlier inject (notice <key> is not created by an earlier ' +
      'inject), and a notice is created once (notice <key> is created twice); a search, person or message key is ' +
      'defined once (search <key> is defined twice; person <key> is defined twice; message <key> is defined twice), ' +
      'and what a person links, a hit report names or a message is about or replies to comes earlier (no earlier ' +
      'search <key>; no record <key> in the scenario’s records; no earlier message <key>); a message names to ' +
      'unless it replies. Its time falls ' +
      'before the end of simulated time (it falls after the end of simulated time (year 9999) otherwise).',
  });

const ReferenceSchema = z.union([
  z.literal('start'),
  z.strictObject({ notice: ScenarioKey, event: z.enum([...NOTICE_EVENT_TYPES, ...CIRCULATION_EVENT_TYPES, 'CREATE']) }),
]);

const EXPECTATION_KINDS = 'an expectation has exactly one of reaches, happens or answered';
const NOTICE_NEEDED = 'reaches and happens are of a notice: name it';

const ExpectationSchema = z
  .strictObject({
    id: ScenarioKey,
    description: storableText(1000),
    notice: ScenarioKey.optional().meta({ description: `the notice it is about; ${NOTICE_NEEDED}` }),
    reaches: z.enum(NOTICE_STATES).optional().meta({ description: 'the notice reaches this state' }),
    happens: z
      .strictObject({
        type: z.enum([...NOTICE_EVENT_TYPES, ...CIRCULATION_EVENT_TYPES]),
        country: MemberCountry.optional(),
      })
      .optional()
      .meta({ description: 'or this event happens on the notice (or on the country’s record)' }),
    answered: z
      .strictObject({
        message: ScenarioKey.meta({ description: 'the key of a message inject' }),
        by: Address.optional().meta({ description: 'the address that answers (left out: any recipient)' }),
      })
      .optional()
      .meta({
        description:
          'or the message is answered in its thread (by this address, or any recipient); the window counts from ' +
          'the message’s sending, so leave from out',
      }),
    within: offset,
    from: ReferenceSchema.default('start'),
    score: z.int().min(0).max(1000),
  })
  .superRefine((e, ctx) => {
    const kinds = [e.reaches, e.happens, e.answered].filter((k) => k !== undefined).length;
    if (kinds !== 1) ctx.addIssue({ code: 'custom', message: EXPECTATION_KINDS, path: [] });
    if ((e.reaches !== undefined || e.happens !== undefined) && e.notice === undefined) {
      ctx.addIssue({ code: 'custom', message: NOTICE_NEEDED, path: ['notice'] });
    }
    if (e.answered !== undefined && e.from !== 'start') {
      ctx.addIssue({ code: 'custom', message: 'an answer counts from its message: leave from out', path: ['from'] });
    }
  })
  .meta({
    id: 'ScenarioExpectation',
    description:
      `${EXPECTATION_KINDS} (${NOTICE_NEEDED}; an answer counts from its message: leave from out); each id once ` +
      '(expectation <key> is defined twice); its notices are created by injects (no inject creates notice ' +
      '<key>) and its message is sent by one (no inject sends message <key>).',
  });

/**
 * A record a participant's NCB holds from the start (and again after a reset): inline, or (a scenario
 * of the catalogue) a CSV or JSON file beside it, read when the catalogue loads it.
 */
const ScenarioRecordSchema = z
  .union([
    z.strictObject({
      as: ScenarioKey.meta({ description: 'the ncb participant whose database holds it' }),
      key: ScenarioKey.optional().meta({ description: 'its key, for the injects that link it' }),
      record: CreateRecordBody,
    }),
    z.strictObject({
      as: ScenarioKey,
      file: z
        .string()
        .regex(/^[a-z0-9][a-z0-9_-]{0,99}\.(csv|json)$/, 'must be the name of a .csv or .json file beside the scenario')
        .meta({
          description:
            'a CSV or JSON file of records beside the scenario in the scenarios folder: must be the name of a ' +
            '.csv or .json file beside the scenario',
        }),
    }),
  ])
  .meta({
    id: 'ScenarioRecords',
    description:
      'A record its ncb holds from the start, or a file of them; as an ncb (participant <key> is not an ncb), ' +
      'each key once (record <key> is defined twice).',
  });

const EARLIEST_START = Date.UTC(1900, 0, 1);

export const ScenarioSchema = z
  .strictObject({
    title: storableText(200),
    briefing: storableText(20_000),
    start: z.iso
      .datetime({ offset: true })
      .refine((v) => {
        const t = Date.parse(v);
        return t >= EARLIEST_START && t <= END_OF_TIME_MS;
      }, 'must fall between 1900 and the end of year 9999 (UTC)')
      .meta({
        description:
          'simulated time at which the exercise starts; must fall between 1900 and the end of year 9999 (UTC)',
      }),
    speed: ClockSpeed.default(1).meta({ description: `clock speed once the exercise runs: ${ClockSpeed.description}` }),
    participants: z.array(ParticipantSchema).min(1).max(500),
    records: z.array(ScenarioRecordSchema).max(10_000).default([]),
    injects: z.array(InjectSchema).max(5000).default([]),
    expectations: z.array(ExpectationSchema).max(1000).default([]),
  })
  .superRefine(checkReferences)
  .meta({ id: 'Scenario' });

export type Scenario = z.infer<typeof ScenarioSchema>;

export type ScenarioParse =
  { ok: true; scenario: Scenario; data: unknown } | { ok: false; problems: ScenarioProblem[] };

/**
 * Reads a scenario, a file's text (YAML, or JSON, which is YAML too) or the data itself, and validates
 * it, naming every problem: injects and the other parts by their number from 1 and, in a text, by line
 * and column. `data` is the scenario as read, before validation.
 */
export function parseScenario(input: unknown): ScenarioParse {
  let read: ScenarioText | undefined;
  if (typeof input === 'string') {
    const document = readScenarioDocument(input);
    if (!document.ok) return { ok: false, problems: [document.problem] };
    read = document.read;
  }
  const data = read ? read.data : input;
  const parsed = ScenarioSchema.safeParse(data);
  return parsed.success
    ? { ok: true, scenario: parsed.data, data }
    : { ok: false, problems: scenarioProblems(parsed.error, read) };
}

/** The scenario an exercise was created from (validated when it was stored), if any. */
export const scenarioOf = (exercise: { scenario: unknown }): Scenario | null =>
  (exercise.scenario as Scenario | null) ?? null;

/** The scenario format as JSON Schema (2020-12), for editors and other tools. */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

export type ScenarioInject = z.infer<typeof InjectSchema>;
export type ScenarioRecords = z.infer<typeof ScenarioRecordSchema>;
export type ScenarioExpectation = z.infer<typeof ExpectationSchema>;
