/**
 * A simulation model: the file (`simulations/<name>.yaml`) that says how requests arrive, how good they
 * are, how the General Secretariat reviews them and what happens to a published notice, every number
 * with its basis: `published` (taken from a source), `fitted` (chosen so that the model reproduces the
 * published figures it names) or `assumed` (no source: a judgement, said why). The lifecycle itself is
 * not in the model: the engine moves notices with the API's machines.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { MEMBER_CODES } from '../countries/member-countries';
import { PROJECT_ROOT } from '../kernel/project-root';
import { describeIssues, type Problem } from '../kernel/validate';
import { PUBLISHED_FIGURE_IDS } from './published-figures';

const Text = z.string().trim().min(1).max(2000);

/** A number of the model with its basis and source. */
function param<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('basis', [
    z.strictObject({ value, basis: z.literal('published'), source: Text }),
    z.strictObject({
      value,
      basis: z.literal('fitted'),
      fittedTo: z
        .array(z.enum(PUBLISHED_FIGURE_IDS))
        .min(1)
        .meta({ description: 'the published figures it is fitted to' }),
      source: Text,
    }),
    z.strictObject({ value, basis: z.literal('assumed'), source: Text.meta({ description: 'why this value' }) }),
  ]);
}

// Shared parameters have ids: the JSON Schema then defines each once.
const Probability = param(z.number().min(0).max(1)).meta({ id: 'SimulationProbability' });
const PerYear = param(z.number().min(0).max(100).meta({ description: 'events per notice and year while valid' })).meta({
  id: 'SimulationRatePerYear',
});

/** A duration drawn at random, in the unit its field names (days or working hours). */
const Distribution = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('exponential'), mean: z.number().positive() }),
    z.strictObject({
      kind: z.literal('lognormal'),
      mean: z.number().positive(),
      cv: z.number().positive().max(10).meta({ description: 'coefficient of variation: standard deviation / mean' }),
    }),
    z
      .strictObject({ kind: z.literal('uniform'), min: z.number().min(0), max: z.number().min(0) })
      .refine((d) => d.max >= d.min, { message: 'max must not be below min', path: ['max'] }),
    z.strictObject({ kind: z.literal('fixed'), value: z.number().min(0) }),
  ])
  .meta({ id: 'SimulationDistribution' });
export type Distribution = z.infer<typeof Distribution>;

const Year = z.string().regex(/^(19|20)\d\d$/, 'a year such as "2018"');
/** Yearly figures of a published series: the years given, interpolated between them. */
const Series = param(
  z.record(Year, z.number().min(0)).refine((s) => Object.keys(s).length > 0, 'give at least one year'),
);

const ArrivalSchema = z.strictObject({
  issued: Series.meta({ description: 'notices issued per year, the published series' }),
  growthBeforeFirst: param(z.number().min(-0.5).max(1)).meta({
    description: 'yearly growth of requests before the first year of the series (requests fall by it going back)',
  }),
  afterLast: param(z.enum(['flat', 'trend'])).meta({
    description: 'after the last year: the last value (flat) or the last two years’ trend continued',
  }),
  requestsPerNotice: param(z.number().min(1).max(10)).meta({
    description: 'requests for each notice issued: arrivals per year are the series times this',
  }),
});

const CountryWeights = param(
  z.record(z.string(), z.number().positive()).superRefine((weights, ctx) => {
    for (const code of Object.keys(weights)) {
      if (!MEMBER_CODES.has(code))
        ctx.addIssue({ code: 'custom', message: `not a member country: ${code}`, path: [code] });
    }
  }),
);

const LifeSchema = {
  withdrawalsPerYear: PerYear.meta({ description: 'owner withdrawals for other reasons than an outcome' }),
  suspensionsPerYear: PerYear,
  resumeOnSuspension: Probability.meta({ description: 'a suspension is lifted (else it lapses after 6 months)' }),
  resumeDays: param(Distribution),
  cancellationsPerYear: PerYear.meta({ description: 'GS cancellations (conditions lapsed, refugee status, …)' }),
  deletionsPerYear: PerYear.meta({ description: 'CCF deletions' }),
  renewal: Probability.meta({ description: 'the owner renews when the renewal window opens (else it expires)' }),
  renewalDays: param(Distribution).meta({ description: 'days after the window opens that the renewal comes' }),
  withdrawDays: param(Distribution).meta({ description: 'days from an outcome (surrender, location) to withdrawal' }),
};

export const ModelSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes'),
    description: Text,
    warmUpFrom: z.iso.date().meta({ description: 'the empty system starts on this day' }),
    start: z.iso.date().meta({ description: 'the simulated period starts on this day; warm-up before it' }),
    arrivals: z.strictObject({
      red: ArrivalSchema,
      yellow: ArrivalSchema,
      countryWeights: CountryWeights.meta({
        description: 'weights of the countries named; every other member weighs otherCountryWeight',
      }),
      otherCountryWeight: param(z.number().positive()),
    }),
    requests: z.strictObject({
      red: z.strictObject({
        checkFails: z.strictObject({
          'RED-IDENTIFIERS': Probability,
          'RED-JUDICIAL-DATA': Probability,
          'RED-CRIME-CATEGORY': Probability,
          'RED-PENALTY-THRESHOLD': Probability,
          'RED-ARTICLE-3': Probability.meta({ description: 'the requester declares an Article 3 concern' }),
        }),
        article2Refused: Probability.meta({ description: 'the GS refuses a request on Article 2' }),
        article3RefusedOnConcern: Probability.meta({ description: 'a declared Article 3 concern ends in refusal' }),
        particularImportance: Probability.meta({
          description: 'a penalty shortfall is passed as of particular importance',
        }),
        clarification: Probability.meta({
          description: 'the GS asks for information on a request with no failed check',
        }),
      }),
      yellow: z.strictObject({
        checkFails: z.strictObject({
          'YELLOW-POLICE-REPORT': Probability,
          'YELLOW-IDENTIFIERS': Probability,
          'YELLOW-ADULT-CONSENT': Probability,
        }),
        otherRefused: Probability.meta({ description: 'the GS refuses a compliant Yellow request (OTHER)' }),
        clarification: Probability,
      }),
      answers: z.strictObject({
        answered: Probability.meta({ description: 'the NCB answers a request for information (else 60 days lapse)' }),
        answerDays: param(Distribution),
        fixes: Probability.meta({ description: 'the answer supplies what a failed check lacked' }),
      }),
    }),
    review: z.strictObject({
      reviewers: param(z.int().min(1).max(10_000)),
      workingDays: param(
        z
          .array(z.int().min(1).max(7))
          .min(1)
          .max(7)
          .refine((days) => new Set(days).size === days.length, 'each day once')
          .meta({ description: 'ISO weekdays: 1 is Monday' }),
      ),
      workingHours: param(
        z
          .strictObject({ start: z.number().min(0).max(24), end: z.number().min(0).max(24) })
          .refine((h) => h.end > h.start, { message: 'end must be after start', path: ['end'] })
          .meta({ description: 'UTC hours of a working day' }),
      ),
      serviceHours: param(Distribution).meta({ description: 'working hours of one review pass' }),
    }),
    published: z.strictObject({
      red: z.strictObject({
        hitsPerYear: PerYear.meta({ description: 'hits reported on circulation records' }),
        arrestOnHit: Probability,
        declineOnHit: Probability.meta({ description: 'the country declines to act (of hits not followed by arrest)' }),
        arrestDays: param(Distribution),
        surrenderOnArrest: Probability,
        surrenderDays: param(Distribution),
        withdrawOnSurrender: Probability,
        ...LifeSchema,
      }),
      yellow: z.strictObject({
        locationsPerYear: PerYear.meta({ description: 'the person is located in another member country' }),
        withdrawOnLocation: Probability,
        ...LifeSchema,
      }),
    }),
    databaseHits: z.strictObject({
      perYear: Series.meta({ description: 'positive database searches per year' }),
      afterLast: param(z.enum(['flat', 'trend'])),
    }),
  })
  .refine((m) => m.start > m.warmUpFrom, { message: 'must come after warmUpFrom', path: ['start'] })
  .meta({ id: 'SimulationModel' });

export type ModelFile = z.infer<typeof ModelSchema>;

/** A model's values without their bases: what the engine reads. */
type Values<T> = T extends { basis: string; value: infer V }
  ? V
  : T extends readonly unknown[]
    ? T
    : T extends object
      ? { [K in keyof T]: Values<T[K]> }
      : T;
export type Model = Values<ModelFile>;

function isParam(node: unknown): node is { basis: string; value: unknown } {
  return typeof node === 'object' && node !== null && 'basis' in node && 'value' in node;
}

function valuesOf(node: unknown): unknown {
  if (isParam(node)) return node.value;
  if (Array.isArray(node) || typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, valuesOf(child)]));
}

export type ModelParse = { ok: true; file: ModelFile; model: Model } | { ok: false; problems: Problem[] };

/**
 * Reads a model (YAML or JSON text, or the data itself), with `overrides` (the same shape, a bare value
 * where the file has a parameter) put over its values first, and validates it, naming every bad field.
 */
export function parseModel(input: unknown, overrides?: unknown): ModelParse {
  let data = input;
  if (typeof input === 'string') {
    try {
      data = parseYaml(input);
    } catch (error) {
      return { ok: false, problems: [{ field: '(file)', message: (error as Error).message.split('\n')[0]! }] };
    }
  }
  if (overrides !== undefined) {
    try {
      data = overridden(data, overrides, '');
    } catch (error) {
      if (!(error instanceof OverrideError)) throw error;
      return {
        ok: false,
        problems: [{ field: error.path ? `overrides.${error.path}` : 'overrides', message: error.message }],
      };
    }
  }
  const parsed = ModelSchema.safeParse(data);
  if (!parsed.success) return { ok: false, problems: describeIssues(parsed.error) };
  return { ok: true, file: parsed.data, model: valuesOf(parsed.data) as Model };
}

/** An override that fits nothing: its path (dotted, in the model) is the problem's field. */
class OverrideError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** What a bad override is told (the API documents it). */
export const OVERRIDE_PROBLEMS =
  'a bad override is a 400 naming it (`overrides.<path>`): it is not in the model, it is not a parameter: ' +
  'give values for the parameters inside it, it has no parameters to override, or the parameter’s own rule';

/** The model with overrides applied; throws an OverrideError naming an override that fits nothing. */
function overridden(node: unknown, overrides: unknown, at: string): unknown {
  if (isParam(node)) {
    // An overridden value is the caller's assumption, whatever the file's basis was.
    return { value: overrides, basis: 'assumed', source: `overridden (was ${JSON.stringify(node.value)})` };
  }
  const scalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
  // A plain setting of the file (`start`, `warmUpFrom`) is replaced as it is; the schema then judges it.
  if (at && scalar(node) && scalar(overrides)) return overrides;
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new OverrideError(
      at,
      at ? 'is not a parameter: give values for the parameters inside it' : 'overrides must be an object',
    );
  }
  if (typeof node !== 'object' || node === null) throw new OverrideError(at, 'has no parameters to override');
  const result: Record<string, unknown> = { ...(node as Record<string, unknown>) };
  for (const [key, value] of Object.entries(overrides)) {
    const where = at ? `${at}.${key}` : key;
    if (!(key in result)) throw new OverrideError(where, 'is not in the model');
    result[key] = overridden(result[key], value, where);
  }
  return result;
}

/** The models shipped with the simulator, by name (files in simulations/). */
export const MODELS_DIR = path.join(PROJECT_ROOT, 'simulations');
export const SHIPPED_MODELS = ['interpol-2024'] as const;

export function shippedModelText(name: string): string | null {
  if (!(SHIPPED_MODELS as readonly string[]).includes(name)) return null;
  return readFileSync(path.join(MODELS_DIR, `${name}.yaml`), 'utf8');
}

/** The model format as JSON Schema (2020-12), written next to the models for editors. */
export function modelJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ModelSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
