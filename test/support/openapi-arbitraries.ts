import fc from 'fast-check';

/**
 * fast-check arbitraries of document-valid requests, drawn from an OpenAPI 3.1 document's JSON
 * Schemas: every value drawn validates against the schema it came from (checked with Ajv in
 * test/unit/openapi-arbitraries.test.ts).
 *
 * Supported: local `$ref` (`#/...`), `type` (one or an array, `null` included, and 3.0's
 * `nullable`), `enum`, `const`, `oneOf`/`anyOf`, `default`/`example`/`examples` (drawn now and then,
 * as they are the document's own valid values); objects with `properties`, `required` and
 * `additionalProperties` (false, true/absent, or a schema); arrays with `items`, `minItems`,
 * `maxItems`, `uniqueItems`; strings with `minLength`, `maxLength` (in code points, as JSON Schema
 * counts), `pattern` (through `fc.stringMatching`) and `format` uuid, date, date-time; numbers and
 * integers with `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`.
 *
 * Not supported, and so refused with an UnsupportedSchemaError naming the schema's location (never
 * silently skipped): `allOf`, `not`, `if`/`then`/`else`, `patternProperties`, `propertyNames`,
 * `dependentRequired`/`dependentSchemas`, `unevaluated*`, `prefixItems`, `contains`, `min`/`maxProperties`,
 * `multipleOf`, other formats (email, uri, ...), patterns fast-check cannot generate from (lookarounds,
 * back-references), `$ref` outside the document or in a cycle, a `pattern` or length next to a
 * `format` (filtered, which can be slow), parameters with `content`, a non-default `style`, and
 * cookie parameters. `oneOf` is drawn as `anyOf`: a value matching two branches is not excluded
 * (the branches of this document's unions differ by their discriminator, so none does).
 *
 * Strings lean on the cases servers get wrong: whitespace only, NUL and other control characters,
 * lone (low) surrogates, letters outside ASCII and outside the Basic Multilingual Plane, and strings
 * exactly as long as `maxLength` allows, in astral characters (two UTF-16 units each). Arrays and
 * strings without an upper bound are kept short (`GenerationLimits`).
 */

export type JsonSchema = boolean | SchemaObject;
export type SchemaObject = { [keyword: string]: unknown };

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
  content?: unknown;
  style?: string;
  explode?: boolean;
  description?: string;
}

export interface OperationObject {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: (ParameterObject | { $ref: string })[];
  requestBody?: { required?: boolean; description?: string; content?: Record<string, { schema?: JsonSchema }> } | { $ref: string };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>;
  security?: Record<string, string[]>[];
}

export interface OpenApiDocument {
  openapi: string;
  paths?: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, JsonSchema>; parameters?: Record<string, ParameterObject> };
  security?: Record<string, string[]>[];
  [key: string]: unknown;
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** A construct the converter cannot draw values for; `pointer` says where it is in the document. */
export class UnsupportedSchemaError extends Error {
  constructor(
    readonly pointer: string,
    what: string,
  ) {
    super(`${pointer}: ${what} is not supported by openapi-arbitraries`);
    this.name = 'UnsupportedSchemaError';
  }
}

export interface GenerationLimits {
  /** Longest array drawn when `maxItems` allows more (never below `minItems`). */
  maxArrayLength: number;
  /** Longest string drawn when `maxLength` allows more (never below `minLength`); `maxLength` itself is drawn too, when finite. */
  maxStringLength: number;
  /** Whether objects that allow other properties (no `additionalProperties: false`) get some. */
  extraProperties: boolean;
  /**
   * Which characters strings may hold: `json` any (lone surrogates included, which JSON can carry
   * escaped); `url` no lone surrogates (percent-encoding needs well-formed UTF-16); `header` what an
   * HTTP field value can carry (visible ASCII, space, tab, and Latin-1 bytes).
   */
  charset: 'json' | 'url' | 'header';
}

const DEFAULT_LIMITS: GenerationLimits = { maxArrayLength: 3, maxStringLength: 40, extraProperties: true, charset: 'json' };

/** Keywords that say nothing about which values are valid. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  'default',
  'example',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  'discriminator',
  'externalDocs',
  'xml',
  '$comment',
  '$schema',
  '$id',
  '$anchor',
  'contentMediaType',
  'contentEncoding',
]);

const SUPPORTED = new Set([
  '$ref',
  'type',
  'nullable',
  'enum',
  'const',
  'oneOf',
  'anyOf',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
]);

const OBJECT_KEYWORDS = ['properties', 'required', 'additionalProperties'];
const ARRAY_KEYWORDS = ['items', 'minItems', 'maxItems', 'uniqueItems'];
const STRING_KEYWORDS = ['minLength', 'maxLength', 'pattern', 'format'];
const NUMBER_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'];

/** Escapes one JSON Pointer segment. */
export const pointerSegment = (segment: string): string => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** The value a local JSON Pointer (`#/components/schemas/X`) names in the document. */
export function resolvePointer(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) throw new UnsupportedSchemaError(ref, 'a $ref outside the document');
  let node: unknown = document;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(segment in node)) throw new UnsupportedSchemaError(ref, 'a $ref to nothing');
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

interface Context {
  document: unknown;
  limits: GenerationLimits;
  /** The `$ref`s being expanded, to refuse cycles. */
  refs: string[];
}

/** An arbitrary of values valid against `schema`; `pointer` names where the schema is, for error messages. */
export function schemaArbitrary(
  schema: JsonSchema,
  document: unknown,
  options: Partial<GenerationLimits> & { pointer?: string } = {},
): fc.Arbitrary<unknown> {
  const { pointer = '#', ...limits } = options;
  return fromSchema(schema, pointer, { document, limits: { ...DEFAULT_LIMITS, ...limits }, refs: [] });
}

function fromSchema(schema: JsonSchema, pointer: string, ctx: Context): fc.Arbitrary<unknown> {
  if (schema === true) return anyJson(ctx);
  if (schema === false) throw new UnsupportedSchemaError(pointer, 'the schema `false` (no value is valid)');
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw new UnsupportedSchemaError(pointer, 'a schema that is not an object');
  for (const keyword of Object.keys(schema)) {
    if (!SUPPORTED.has(keyword) && !ANNOTATIONS.has(keyword) && !keyword.startsWith('x-')) {
      throw new UnsupportedSchemaError(pointer, `the keyword \`${keyword}\``);
    }
  }
  const core = coreArbitrary(schema, pointer, ctx);
  // The document's own values (defaults and examples) are valid by its word; drawn now and then, they
  // take requests past the checks random values rarely satisfy.
  const known = [
    ...('default' in schema ? [schema.default] : []),
    ...('example' in schema ? [schema.example] : []),
    ...(Array.isArray(schema.examples) ? schema.examples : []),
  ];
  if (!known.length) return core;
  return fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...known).map(copy) }, { weight: 3, arbitrary: core });
}

/** A fresh copy of a value from the document, so that a test changing one drawn value changes no other (JSON, not structuredClone, to stay in the caller's realm). */
const copy = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

function validationKeywords(schema: SchemaObject, except: string[]): string[] {
  return Object.keys(schema).filter((k) => SUPPORTED.has(k) && !except.includes(k));
}

function coreArbitrary(schema: SchemaObject, pointer: string, ctx: Context): fc.Arbitrary<unknown> {
  if (typeof schema.$ref === 'string') {
    const others = validationKeywords(schema, ['$ref']);
    if (others.length) throw new UnsupportedSchemaError(pointer, `\`$ref\` next to ${others.map((k) => `\`${k}\``).join(', ')}`);
    const ref = schema.$ref;
    if (ctx.refs.includes(ref)) throw new UnsupportedSchemaError(pointer, `a recursive $ref (${[...ctx.refs, ref].join(' → ')})`);
    const target = resolvePointer(ctx.document, ref) as JsonSchema;
    return fromSchema(target, ref, { ...ctx, refs: [...ctx.refs, ref] });
  }
  if (Array.isArray(schema.enum)) {
    if (!schema.enum.length) throw new UnsupportedSchemaError(pointer, 'an empty `enum`');
    return nullable(schema, fc.constantFrom(...schema.enum).map(copy));
  }
  if ('const' in schema) return nullable(schema, fc.constant(schema.const).map(copy));
  for (const union of ['oneOf', 'anyOf'] as const) {
    const branches = schema[union];
    if (branches === undefined) continue;
    if (!Array.isArray(branches) || !branches.length) throw new UnsupportedSchemaError(pointer, `an empty \`${union}\``);
    const others = validationKeywords(schema, [union, 'nullable']);
    if (others.length) throw new UnsupportedSchemaError(pointer, `\`${union}\` next to ${others.map((k) => `\`${k}\``).join(', ')}`);
    const arbitraries = branches.map((branch, i) => fromSchema(branch as JsonSchema, `${pointer}/${union}/${i}`, ctx));
    return nullable(schema, fc.oneof(...arbitraries));
  }
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : inferTypes(schema);
  if (!types.length) return anyJson(ctx);
  return nullable(schema, fc.oneof(...types.map((type) => typed(type, schema, pointer, ctx))));
}

/** Without `type`, the keywords present say which type is meant; none at all means any JSON value. */
function inferTypes(schema: SchemaObject): string[] {
  const has = (keywords: string[]) => keywords.some((k) => k in schema);
  return [
    ...(has(OBJECT_KEYWORDS) ? ['object'] : []),
    ...(has(ARRAY_KEYWORDS) ? ['array'] : []),
    ...(has(STRING_KEYWORDS) ? ['string'] : []),
    ...(has(NUMBER_KEYWORDS) ? ['number'] : []),
  ];
}

const nullable = (schema: SchemaObject, arbitrary: fc.Arbitrary<unknown>) =>
  schema.nullable === true ? fc.oneof(arbitrary, fc.constant(null)) : arbitrary;

function typed(type: string, schema: SchemaObject, pointer: string, ctx: Context): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number':
      return numberArbitrary(type, schema, pointer);
    case 'string':
      return stringArbitrary(schema, pointer, ctx.limits);
    case 'array':
      return arrayArbitrary(schema, pointer, ctx);
    case 'object':
      return objectArbitrary(schema, pointer, ctx);
    default:
      throw new UnsupportedSchemaError(pointer, `the type \`${type}\``);
  }
}

function anyJson(ctx: Context): fc.Arbitrary<unknown> {
  return fc.jsonValue({ maxDepth: 2, depthSize: 'xsmall' }).map((v) => (ctx.limits.charset === 'json' ? v : JSON.stringify(v)));
}

function numberBound(schema: SchemaObject, key: string, pointer: string): number | undefined {
  const value = schema[key];
  if (value === undefined) return undefined;
  // OpenAPI 3.0's boolean exclusiveMinimum/Maximum modify minimum/maximum.
  if (typeof value === 'boolean') return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new UnsupportedSchemaError(pointer, `a non-numeric \`${key}\``);
  return value;
}

function numberArbitrary(type: 'integer' | 'number', schema: SchemaObject, pointer: string): fc.Arbitrary<number> {
  let min = numberBound(schema, 'minimum', pointer);
  let max = numberBound(schema, 'maximum', pointer);
  let minExcluded = false;
  let maxExcluded = false;
  const exMin = schema.exclusiveMinimum === true ? min : numberBound(schema, 'exclusiveMinimum', pointer);
  const exMax = schema.exclusiveMaximum === true ? max : numberBound(schema, 'exclusiveMaximum', pointer);
  if (exMin !== undefined && (min === undefined || exMin >= min)) [min, minExcluded] = [exMin, true];
  if (exMax !== undefined && (max === undefined || exMax <= max)) [max, maxExcluded] = [exMax, true];
  if (type === 'integer') {
    const lo = min === undefined ? -Number.MAX_SAFE_INTEGER : minExcluded ? Math.floor(min) + 1 : Math.ceil(min);
    const hi = max === undefined ? Number.MAX_SAFE_INTEGER : maxExcluded ? Math.ceil(max) - 1 : Math.floor(max);
    if (lo > hi) throw new UnsupportedSchemaError(pointer, `an integer range with no integer in it (${lo} > ${hi})`);
    return fc.integer({ min: Math.max(lo, -Number.MAX_SAFE_INTEGER), max: Math.min(hi, Number.MAX_SAFE_INTEGER) });
  }
  return fc.double({
    noNaN: true,
    noDefaultInfinity: true,
    ...(min !== undefined && { min, minExcluded }),
    ...(max !== undefined && { max, maxExcluded }),
  });
}

function lengthOf(schema: SchemaObject, key: 'minLength' | 'maxLength' | 'minItems' | 'maxItems', pointer: string): number | undefined {
  const value = schema[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new UnsupportedSchemaError(pointer, `a \`${key}\` that is not a whole number`);
  return value;
}

/** JSON Schema counts a string's length in code points, not UTF-16 units. */
export const codePointLength = (s: string): number => {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
};

const char = (code: number) => String.fromCodePoint(code);
const printable = fc.integer({ min: 0x20, max: 0x7e }).map(char);
const whitespace = fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u2003', '\u2028', '\u3000', '\ufeff');
const astral = fc.integer({ min: 0x10000, max: 0x10ffff }).map(char);
const letters = fc.constantFrom('é', 'ß', 'Ж', 'ü', 'ñ', 'ا', '中', 'ê');
/** Any code point but a surrogate: NUL and the other control characters included. */
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff - 0x800 }).map((n) => char(n >= 0xd800 ? n + 0x800 : n));
/**
 * A lone low surrogate: only low ones, so that two drawn side by side can never pair into one
 * character (which would change the length JSON Schema counts).
 */
const loneSurrogate = fc.integer({ min: 0xdc00, max: 0xdfff }).map((n) => String.fromCharCode(n));
const headerChar = fc.oneof({ weight: 9, arbitrary: printable }, { weight: 1, arbitrary: fc.oneof(fc.constant('\t'), fc.integer({ min: 0x80, max: 0xff }).map(char)) });

function units(charset: GenerationLimits['charset']): { plain: fc.Arbitrary<string>; mixed: fc.Arbitrary<string>; blank: fc.Arbitrary<string>; wide: fc.Arbitrary<string> } {
  if (charset === 'header') return { plain: printable, mixed: headerChar, blank: fc.constantFrom(' ', '\t'), wide: fc.integer({ min: 0x80, max: 0xff }).map(char) };
  const mixed = fc.oneof(
    { weight: 4, arbitrary: printable },
    { weight: 3, arbitrary: letters },
    { weight: 3, arbitrary: anyCodePoint },
    { weight: 2, arbitrary: whitespace },
    { weight: 1, arbitrary: fc.constant('\u0000') },
    { weight: 2, arbitrary: astral },
    ...(charset === 'json' ? [{ weight: 1, arbitrary: loneSurrogate }] : []),
  );
  return { plain: printable, mixed, blank: whitespace, wide: astral };
}

const YEAR_0 = new Date('0000-01-01T00:00:00.000Z');
const YEAR_9999 = new Date('9999-12-31T23:59:59.999Z');
const date = fc.date({ min: YEAR_0, max: YEAR_9999, noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const two = (n: number) => String(n).padStart(2, '0');
/** RFC 3339 date-time: `T` separator, optional fraction, `Z` or a numeric offset (no leap seconds, no lower-case `t`/`z`). */
const dateTime = fc
  .record({
    date,
    h: fc.integer({ min: 0, max: 23 }),
    m: fc.integer({ min: 0, max: 59 }),
    s: fc.integer({ min: 0, max: 59 }),
    fraction: fc.option(fc.stringMatching(/^[0-9]{1,9}$/), { nil: undefined }),
    offset: fc.oneof(
      fc.constant('Z'),
      fc.record({ sign: fc.constantFrom('+', '-'), h: fc.integer({ min: 0, max: 23 }), m: fc.integer({ min: 0, max: 59 }) }).map((o) => `${o.sign}${two(o.h)}:${two(o.m)}`),
    ),
  })
  .map((t) => `${t.date}T${two(t.h)}:${two(t.m)}:${two(t.s)}${t.fraction ? `.${t.fraction}` : ''}${t.offset}`);
const hexUuid = fc.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
/** Any RFC 4122 string form: random versions and variants, and upper case now and then. */
const uuid = fc.oneof({ weight: 3, arbitrary: fc.uuid() }, { weight: 2, arbitrary: hexUuid }, { weight: 1, arbitrary: fc.uuid().map((u) => u.toUpperCase()) });

const FORMATS: Record<string, fc.Arbitrary<string>> = { uuid, date, 'date-time': dateTime };

function stringArbitrary(schema: SchemaObject, pointer: string, limits: GenerationLimits): fc.Arbitrary<string> {
  const min = lengthOf(schema, 'minLength', pointer) ?? 0;
  const max = lengthOf(schema, 'maxLength', pointer);
  if (max !== undefined && max < min) throw new UnsupportedSchemaError(pointer, `maxLength ${max} below minLength ${min}`);
  const fitsLength = (s: string) => codePointLength(s) >= min && (max === undefined || codePointLength(s) <= max);
  if (schema.format !== undefined) {
    const format = FORMATS[String(schema.format)];
    if (!format) throw new UnsupportedSchemaError(pointer, `the format \`${String(schema.format)}\``);
    if (schema.pattern !== undefined || schema.minLength !== undefined || schema.maxLength !== undefined) {
      throw new UnsupportedSchemaError(pointer, '`pattern`, `minLength` or `maxLength` next to `format`');
    }
    return format;
  }
  if (typeof schema.pattern === 'string') {
    let regex: RegExp;
    let arbitrary: fc.Arbitrary<string>;
    try {
      regex = new RegExp(schema.pattern, 'u');
      arbitrary = fc.stringMatching(regex, max === undefined ? {} : { maxLength: max });
    } catch (error) {
      throw new UnsupportedSchemaError(pointer, `the pattern ${schema.pattern} (${error instanceof Error ? error.message : String(error)})`);
    }
    // fast-check's size bias may overshoot a length bound (and ignores header characters): keep what fits.
    return arbitrary.filter((s) => fitsLength(s) && (limits.charset !== 'header' || /^[\t\x20-\x7e\x80-\xff]*$/.test(s)));
  }
  const { plain, mixed, blank, wide } = units(limits.charset);
  const hi = Math.min(max ?? Number.POSITIVE_INFINITY, Math.max(min, limits.maxStringLength));
  const options: fc.WeightedArbitrary<string>[] = [
    { weight: 6, arbitrary: fc.string({ unit: plain, minLength: min, maxLength: hi }) },
    { weight: 3, arbitrary: fc.string({ unit: mixed, minLength: min, maxLength: hi }) },
  ];
  if (hi >= 1) options.push({ weight: 1, arbitrary: fc.string({ unit: blank, minLength: Math.max(min, 1), maxLength: hi }) });
  if (max !== undefined && max > hi) {
    options.push({ weight: 1, arbitrary: fc.string({ unit: plain, minLength: max, maxLength: max }) });
  }
  if (max !== undefined && max > 0) {
    // As long as allowed, in characters of two UTF-16 units (or two UTF-8 bytes in a header).
    options.push({ weight: 1, arbitrary: fc.string({ unit: wide, minLength: max, maxLength: max }) });
  }
  return fc.oneof(...options);
}

function arrayArbitrary(schema: SchemaObject, pointer: string, ctx: Context): fc.Arbitrary<unknown[]> {
  const min = lengthOf(schema, 'minItems', pointer) ?? 0;
  const declared = lengthOf(schema, 'maxItems', pointer);
  if (declared !== undefined && declared < min) throw new UnsupportedSchemaError(pointer, `maxItems ${declared} below minItems ${min}`);
  const max = Math.min(declared ?? Number.POSITIVE_INFINITY, Math.max(min, ctx.limits.maxArrayLength));
  if (Array.isArray(schema.items)) throw new UnsupportedSchemaError(pointer, '`items` as an array (use prefixItems)');
  const item = schema.items === undefined ? anyJson(ctx) : fromSchema(schema.items as JsonSchema, `${pointer}/items`, ctx);
  if (schema.uniqueItems === true) return fc.uniqueArray(item, { minLength: min, maxLength: max, selector: (v) => JSON.stringify(v) });
  return fc.array(item, { minLength: min, maxLength: max });
}

function objectArbitrary(schema: SchemaObject, pointer: string, ctx: Context): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = (schema.required ?? []) as string[];
  const additional = schema.additionalProperties as JsonSchema | undefined;
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) {
    // A readOnly property is the server's to send, never the client's.
    if (typeof property === 'object' && property.readOnly === true && !required.includes(name)) continue;
    model[name] = fromSchema(property, `${pointer}/properties/${pointerSegment(name)}`, ctx);
  }
  for (const name of required) {
    if (name in model) continue;
    if (additional === false) throw new UnsupportedSchemaError(pointer, `the required property \`${name}\` that additionalProperties: false forbids`);
    model[name] = additional === undefined || additional === true ? anyJson(ctx) : fromSchema(additional, `${pointer}/additionalProperties`, ctx);
  }
  const record = fc.record(model, { requiredKeys: required });
  const others =
    additional === false
      ? null
      : additional === undefined || additional === true
        ? ctx.limits.extraProperties
          ? anyJson(ctx)
          : null
        : fromSchema(additional, `${pointer}/additionalProperties`, ctx);
  if (!others) return record;
  const key = fc.string({ unit: printable, minLength: 1, maxLength: 12 }).filter((k) => !(k in model) && k !== '__proto__');
  return fc.tuple(record, fc.dictionary(key, others, { maxKeys: 2 })).map(([known, extra]) => ({ ...extra, ...known }));
}

// Operations and requests

/** A parameter and the JSON Pointer of its object in the document (its schema is at `pointer/schema`). */
export type LocatedParameter = ParameterObject & { pointer: string };

export interface Operation {
  method: (typeof HTTP_METHODS)[number];
  /** The path template, e.g. `/api/notices/{id}`. */
  path: string;
  operation: OperationObject;
  /** Path-level and operation-level parameters, `$ref`s resolved. */
  parameters: LocatedParameter[];
  /** The JSON Pointer of the operation in the document. */
  pointer: string;
}

/** Every operation in the document, in its order. */
export function listOperations(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  const locate = (p: ParameterObject | { $ref: string }, pointer: string): LocatedParameter =>
    '$ref' in p ? { ...(resolvePointer(document, p.$ref) as ParameterObject), pointer: p.$ref } : { ...p, pointer };
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    const itemPointer = `#/paths/${pointerSegment(path)}`;
    const shared = ((item.parameters ?? []) as ParameterObject[]).map((p, i) => locate(p, `${itemPointer}/parameters/${i}`));
    for (const method of HTTP_METHODS) {
      const operation = item[method] as OperationObject | undefined;
      if (!operation) continue;
      const pointer = `${itemPointer}/${method}`;
      const own = (operation.parameters ?? []).map((p, i) => locate(p, `${pointer}/parameters/${i}`));
      const inherited = shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in));
      operations.push({ method, path, operation, parameters: [...inherited, ...own], pointer });
    }
  }
  return operations;
}

/** A request drawn for an operation: typed values, before they are written into a URL and headers. */
export interface DrawnRequest {
  method: string;
  path: string;
  pathParams: Record<string, unknown>;
  query: Record<string, unknown>;
  /** Lower-case names. */
  headers: Record<string, unknown>;
  /** Present when the operation takes a body and one was drawn. */
  body?: unknown;
  hasBody: boolean;
}

/** Values to draw besides the document's own, e.g. ids that exist; they must be document-valid too. */
export interface RequestValues {
  path?: Record<string, fc.Arbitrary<unknown>>;
  query?: Record<string, fc.Arbitrary<unknown>>;
  header?: Record<string, fc.Arbitrary<unknown>>;
  body?: fc.Arbitrary<unknown>;
}

export interface RequestOptions {
  values?: RequestValues;
  /** How much more often `values` are drawn than the document's own (default 4). */
  valuesWeight?: number;
  limits?: Partial<Omit<GenerationLimits, 'charset'>>;
}

/** Headers OpenAPI says to ignore as parameters: they belong to the content and security parts. */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

const jsonMedia = (type: string) => /^application\/(.+\+)?json$/.test(type.split(';')[0]!.trim());

/** The operation's JSON request body schema and where it is, or undefined when it takes no body. */
export function requestBodySchema(document: OpenApiDocument, op: Operation): { schema: JsonSchema; pointer: string; required: boolean } | undefined {
  let body = op.operation.requestBody;
  if (!body) return undefined;
  if ('$ref' in body) body = resolvePointer(document, body.$ref) as NonNullable<OperationObject['requestBody']> & object;
  const content = ('content' in body ? body.content : undefined) ?? {};
  const media = Object.keys(content).find(jsonMedia);
  if (!media) throw new UnsupportedSchemaError(`${op.pointer}/requestBody`, `a request body without a JSON media type (${Object.keys(content).join(', ')})`);
  return {
    schema: content[media]!.schema ?? true,
    pointer: `${op.pointer}/requestBody/content/${pointerSegment(media)}/schema`,
    required: 'required' in body && body.required === true,
  };
}

/** An arbitrary of document-valid requests for one operation. */
export function requestArbitrary(document: OpenApiDocument, op: Operation, options: RequestOptions = {}): fc.Arbitrary<DrawnRequest> {
  const weight = options.valuesWeight ?? 4;
  const withValues = (fromDocument: fc.Arbitrary<unknown>, extra: fc.Arbitrary<unknown> | undefined) =>
    extra ? fc.oneof({ weight, arbitrary: extra }, { weight: 1, arbitrary: fromDocument }) : fromDocument;
  const parts: Record<'path' | 'query' | 'header', Record<string, fc.Arbitrary<unknown>>> = { path: {}, query: {}, header: {} };
  const required: Record<'path' | 'query' | 'header', string[]> = { path: [], query: [], header: [] };
  for (const parameter of op.parameters) {
    const where = parameter.pointer;
    if (parameter.in === 'cookie') throw new UnsupportedSchemaError(where, 'a cookie parameter');
    if (parameter.content) throw new UnsupportedSchemaError(where, 'a parameter with `content`');
    const defaultStyle = { path: 'simple', query: 'form', header: 'simple' }[parameter.in];
    if (parameter.style !== undefined && parameter.style !== defaultStyle) throw new UnsupportedSchemaError(where, `the style \`${parameter.style}\``);
    const name = parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name;
    if (parameter.in === 'header' && IGNORED_HEADERS.has(name)) continue;
    const charset = parameter.in === 'header' ? 'header' : 'url';
    const fromDocument = schemaArbitrary(parameter.schema ?? true, document, { ...options.limits, charset, pointer: `${parameter.pointer}/schema` });
    parts[parameter.in][name] = withValues(fromDocument, options.values?.[parameter.in]?.[name]);
    if (parameter.required || parameter.in === 'path') required[parameter.in].push(name);
  }
  const group = (part: 'path' | 'query' | 'header') => fc.record(parts[part], { requiredKeys: required[part] });
  const body = requestBodySchema(document, op);
  const bodyArbitrary = body
    ? withValues(schemaArbitrary(body.schema, document, { ...options.limits, charset: 'json', pointer: body.pointer }), options.values?.body)
    : fc.constant(undefined);
  const drawnBody = body && !body.required ? fc.option(bodyArbitrary, { nil: undefined }) : bodyArbitrary;
  return fc.record({ pathParams: group('path'), query: group('query'), headers: group('header'), body: drawnBody }).map((r) => ({
    method: op.method,
    path: op.path,
    pathParams: r.pathParams,
    query: r.query,
    headers: r.headers,
    hasBody: r.body !== undefined,
    ...(r.body !== undefined && { body: r.body }),
  }));
}

/** One parameter value as text: `null` as `null`, as fuzzers (and most clients) send it, arrays comma-joined. */
function serialise(value: unknown, where: string): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.map((v) => serialise(v, where)).join(',');
  if (typeof value === 'object') throw new UnsupportedSchemaError(where, 'an object parameter value');
  return String(value);
}

/** The request's URL: path parameters percent-encoded (style simple), query in form style (arrays exploded). */
export function requestUrl(request: DrawnRequest): string {
  const path = request.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    if (!(name in request.pathParams)) throw new Error(`no value for path parameter ${name} of ${request.path}`);
    return encodeURIComponent(serialise(request.pathParams[name], `path parameter ${name}`));
  });
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) query.append(name, serialise(v, `query parameter ${name}`));
  }
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

/** The request's header parameters as text. */
export function requestHeaders(request: DrawnRequest): Record<string, string> {
  return Object.fromEntries(
    Object.entries(request.headers)
      .filter(([, v]) => v !== undefined)
      .map(([name, v]) => [name, serialise(v, `header ${name}`)]),
  );
}
