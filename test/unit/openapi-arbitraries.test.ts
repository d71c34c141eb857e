import fc from 'fast-check';
import {
  codePointLength,
  listOperations,
  requestArbitrary,
  requestHeaders,
  requestUrl,
  schemaArbitrary,
  UnsupportedSchemaError,
  type JsonSchema,
  type OpenApiDocument,
} from '../support/openapi-arbitraries';
import { DocumentValidator } from '../support/openapi-validator';

const RUNS = 300;

/** A document holding `schemas` as components, as the converter and Ajv both read them. */
const documentWith = (schemas: Record<string, JsonSchema>, paths: OpenApiDocument['paths'] = {}): OpenApiDocument => ({
  openapi: '3.1.0',
  info: { title: 'test', version: '1' },
  paths,
  components: { schemas },
});

const EVENT = {
  oneOf: [{ $ref: '#/components/schemas/Submit' }, { $ref: '#/components/schemas/Refuse' }],
  discriminator: { propertyName: 'type', mapping: { SUBMIT: '#/components/schemas/Submit', REFUSE: '#/components/schemas/Refuse' } },
};

const SCHEMAS: Record<string, JsonSchema> = {
  Submit: { type: 'object', properties: { type: { type: 'string', enum: ['SUBMIT'] } }, required: ['type'], additionalProperties: false },
  Refuse: {
    type: 'object',
    properties: { type: { type: 'string', const: 'REFUSE' }, reason: { type: 'string', minLength: 1, maxLength: 30 } },
    required: ['type', 'reason'],
    additionalProperties: false,
  },
  Event: EVENT,
  Strict: {
    type: 'object',
    properties: { a: { type: 'integer' }, b: { type: 'boolean' }, c: { type: 'null' } },
    required: ['a'],
    additionalProperties: false,
  },
  OpenObject: { type: 'object', properties: { a: { type: 'string' } } },
  Dictionary: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
  RequiredOutsideProperties: { type: 'object', required: ['x'], additionalProperties: { type: 'string', format: 'date' } },
  Enum: { type: 'string', enum: ['draft', 'published'] },
  MixedEnum: { enum: [1, 'two', null, { three: 3 }] },
  Country: { type: 'string', pattern: '^[A-Z]{2}$' },
  UnanchoredPattern: { type: 'string', pattern: '[0-9]{3}', maxLength: 10 },
  Key: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,39}$' },
  Uuid: { type: 'string', format: 'uuid' },
  Date: { type: 'string', format: 'date' },
  DateTime: { type: 'string', format: 'date-time' },
  Text: { type: 'string', minLength: 1, maxLength: 20 },
  ShortText: { type: 'string', maxLength: 3 },
  LongText: { type: 'string', minLength: 100, maxLength: 4000 },
  AnyString: { type: 'string' },
  Year: { type: 'integer', minimum: 1900, maximum: 2100 },
  Positive: { type: 'number', exclusiveMinimum: 0, maximum: 31536000 },
  PositiveInteger: { type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 10 },
  AnyNumber: { type: 'number' },
  AnyInteger: { type: 'integer' },
  Offset: { type: ['integer', 'null'], minimum: 0, default: 0 },
  NullableRef: { anyOf: [{ $ref: '#/components/schemas/Country' }, { type: 'null' }] },
  List: { type: 'array', items: { $ref: '#/components/schemas/Country' }, minItems: 1, maxItems: 196 },
  Unique: { type: 'array', items: { type: 'integer', minimum: 0, maximum: 5 }, uniqueItems: true, maxItems: 4 },
  AnyArray: { type: 'array' },
  WithExamples: { type: 'string', examples: ['PT0S', 'P7D'], description: 'a duration' },
  WithExample: { type: 'string', pattern: '^[A-Z]{2}$', example: 'MC' },
  Anything: {},
  True: true,
  Union: { anyOf: [{ type: 'string', enum: ['start'] }, { $ref: '#/components/schemas/Strict' }], default: 'start' },
  Nested: {
    type: 'object',
    properties: { events: { type: 'array', items: { $ref: '#/components/schemas/Event' }, maxItems: 5 }, at: { $ref: '#/components/schemas/DateTime' } },
    required: ['events'],
    additionalProperties: false,
  },
};

describe('openapi-arbitraries: values drawn from JSON Schemas', () => {
  const document = documentWith(SCHEMAS);
  const validator = new DocumentValidator(document);

  it.each(Object.keys(SCHEMAS))('draws only values that %s accepts (checked with Ajv, JSON Schema 2020-12)', (name) => {
    const pointer = `#/components/schemas/${name}`;
    for (const value of fc.sample(schemaArbitrary({ $ref: pointer }, document), RUNS)) {
      const problems = validator.validate(pointer, value);
      if (problems.length) throw new Error(`${JSON.stringify(value)}: ${JSON.stringify(problems)}`);
    }
  });

  it('draws every branch of a discriminated union', () => {
    const types = new Set(fc.sample(schemaArbitrary(EVENT, document), 100).map((e) => (e as { type: string }).type));
    expect([...types].sort()).toEqual(['REFUSE', 'SUBMIT']);
  });

  it('draws null for a nullable type (a type array, or 3.0’s nullable), and the default now and then', () => {
    const offsets = fc.sample(schemaArbitrary(SCHEMAS.Offset!, document), 200);
    expect(offsets).toContain(null);
    expect(offsets).toContain(0);
    expect(offsets.some((o) => typeof o === 'number' && o > 0)).toBe(true);
    const legacy = fc.sample(schemaArbitrary({ type: 'string', nullable: true, enum: ['a'] }, document), 100);
    expect(new Set(legacy)).toEqual(new Set(['a', null]));
  });

  it('leaves optional properties out sometimes, and adds properties where the schema allows others', () => {
    const strict = fc.sample(schemaArbitrary({ $ref: '#/components/schemas/Strict' }, document), 200) as Record<string, unknown>[];
    expect(strict.some((o) => !('b' in o))).toBe(true);
    expect(strict.some((o) => 'b' in o)).toBe(true);
    const open = fc.sample(schemaArbitrary({ $ref: '#/components/schemas/OpenObject' }, document), 200) as Record<string, unknown>[];
    expect(open.some((o) => Object.keys(o).some((k) => k !== 'a'))).toBe(true);
    const closed = fc.sample(schemaArbitrary({ $ref: '#/components/schemas/OpenObject' }, document, { extraProperties: false }), 200) as object[];
    expect(closed.every((o) => Object.keys(o).every((k) => k === 'a'))).toBe(true);
  });

  it('draws the strings servers get wrong: whitespace only, NUL, lone surrogates, astral characters up to maxLength', () => {
    const texts = fc.sample(schemaArbitrary(SCHEMAS.Text!, document), 2000) as string[];
    expect(texts.some((t) => t.length > 0 && t.trim() === '')).toBe(true);
    expect(texts.some((t) => t.includes('\u0000'))).toBe(true);
    expect(texts.some((t) => !t.isWellFormed())).toBe(true);
    // Twenty characters, forty UTF-16 units: a server counting units refuses what the document allows.
    expect(texts.some((t) => codePointLength(t) === 20 && t.length === 40)).toBe(true);
  });

  it('counts lengths in code points, as JSON Schema does', () => {
    expect(codePointLength('a😀b')).toBe(3);
    expect(codePointLength('\udc00\udc00')).toBe(2);
    expect(codePointLength('\ud83d')).toBe(1);
  });

  it('keeps strings and arrays without a small bound short', () => {
    const lists = fc.sample(schemaArbitrary(SCHEMAS.List!, document, { maxArrayLength: 3 }), 200) as unknown[][];
    expect(Math.max(...lists.map((l) => l.length))).toBe(3);
    const strings = fc.sample(schemaArbitrary(SCHEMAS.AnyString!, document, { maxStringLength: 10 }), 200) as string[];
    expect(Math.max(...strings.map(codePointLength))).toBeLessThanOrEqual(10);
  });

  it('draws only field-value characters for headers, and well-formed UTF-16 for URLs', () => {
    const headers = fc.sample(schemaArbitrary(SCHEMAS.AnyString!, document, { charset: 'header' }), 500) as string[];
    expect(headers.every((h) => /^[\t\x20-\x7e\x80-\xff]*$/.test(h))).toBe(true);
    const urls = fc.sample(schemaArbitrary(SCHEMAS.Text!, document, { charset: 'url' }), 1000) as string[];
    expect(urls.every((u) => u.isWellFormed())).toBe(true);
  });

  it.each<[string, JsonSchema, RegExp]>([
    ['allOf', { allOf: [{ type: 'string' }] }, /#\/components\/schemas\/X: the keyword `allOf`/],
    ['not', { not: { type: 'string' } }, /the keyword `not`/],
    ['multipleOf', { type: 'number', multipleOf: 3 }, /the keyword `multipleOf`/],
    ['patternProperties', { type: 'object', patternProperties: { '^x': {} } }, /the keyword `patternProperties`/],
    ['an unknown format', { type: 'string', format: 'email' }, /the format `email`/],
    ['a lookahead', { type: 'string', pattern: '^(?=a)b$' }, /the pattern \^\(\?=a\)b\$/],
    ['a back-reference', { type: 'string', pattern: '^(a)\\1$' }, /the pattern/],
    ['a length next to a format', { type: 'string', format: 'uuid', maxLength: 10 }, /next to `format`/],
    ['a recursive $ref', { $ref: '#/components/schemas/X' }, /a recursive \$ref/],
    ['a $ref outside the document', { $ref: 'other.json#/X' }, /a \$ref outside the document/],
    ['a $ref to nothing', { $ref: '#/components/schemas/Missing' }, /a \$ref to nothing/],
    ['an empty enum', { enum: [] }, /an empty `enum`/],
    ['an unsatisfiable integer range', { type: 'integer', minimum: 1.2, maximum: 1.8 }, /no integer in it/],
    ['the schema false', false, /the schema `false`/],
    ['a union with sibling constraints', { oneOf: [{ type: 'string' }], minLength: 2 }, /`oneOf` next to `minLength`/],
  ])('refuses %s, naming where it is', (_what, schema, message) => {
    const document = documentWith({ X: schema });
    expect(() => schemaArbitrary({ $ref: '#/components/schemas/X' }, document)).toThrow(UnsupportedSchemaError);
    expect(() => schemaArbitrary({ $ref: '#/components/schemas/X' }, document)).toThrow(message);
  });

  it('names a nested unsupported schema by its own location', () => {
    const document = documentWith({ X: { type: 'object', properties: { 'a/b': { type: 'array', items: { not: {} } } } } });
    expect(() => schemaArbitrary({ $ref: '#/components/schemas/X' }, document)).toThrow('#/components/schemas/X/properties/a~1b/items: the keyword `not`');
  });
});

describe('openapi-arbitraries: requests drawn for operations', () => {
  const document = documentWith(SCHEMAS, {
    '/api/notices/{id}/events': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      post: {
        parameters: [{ name: 'If-Match', in: 'header', required: false, schema: { type: 'string' } }],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Event' } } } },
        responses: { 200: { description: 'OK' } },
      },
    },
    '/api/things/{code}': {
      get: {
        parameters: [
          { name: 'code', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Z]{2}$' } },
          { name: 'offset', in: 'query', schema: { type: ['integer', 'null'], minimum: 0 } },
          { name: 'q', in: 'query', required: true, schema: { type: 'string', minLength: 1 } },
          { name: 'tags', in: 'query', schema: { type: 'array', items: { type: 'string', enum: ['a', 'b'] }, maxItems: 2 } },
        ],
        responses: { 200: { description: 'OK' } },
      },
    },
  });
  const validator = new DocumentValidator(document);
  const [events, things] = listOperations(document);

  it('lists operations with path-level parameters merged in', () => {
    expect(listOperations(document).map((op) => `${op.method} ${op.path}`)).toEqual(['post /api/notices/{id}/events', 'get /api/things/{code}']);
    expect(events!.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(['path:id', 'header:If-Match']);
    expect(events!.parameters[0]!.pointer).toBe('#/paths/~1api~1notices~1{id}~1events/parameters/0');
  });

  it.each([0, 1])('draws only document-valid requests (operation %i)', (i) => {
    const op = listOperations(document)[i]!;
    for (const request of fc.sample(requestArbitrary(document, op), RUNS)) {
      const problems = validator.validateRequest(document, op, request);
      if (problems.length) throw new Error(`${JSON.stringify(request)}: ${JSON.stringify(problems)}`);
    }
  });

  it('writes path parameters percent-encoded, the query in form style (null as `null`) and headers as text', () => {
    const request = {
      method: 'get',
      path: '/api/things/{code}',
      pathParams: { code: 'A/B' },
      query: { offset: null, q: 'a b&c', tags: ['a', 'b'] },
      headers: { 'if-match': 3 },
      hasBody: false,
    };
    expect(requestUrl(request)).toBe('/api/things/A%2FB?offset=null&q=a+b%26c&tags=a&tags=b');
    expect(requestHeaders(request)).toEqual({ 'if-match': '3' });
  });

  it('draws the given values more often than the document’s own, and required parts always', () => {
    const id = '6bb709f5-132e-40d8-bac7-f0b298e323f9';
    const drawn = fc.sample(requestArbitrary(document, events!, { values: { path: { id: fc.constant(id) } } }), 500);
    const share = drawn.filter((r) => r.pathParams.id === id).length / drawn.length;
    expect(share).toBeGreaterThan(0.6);
    expect(share).toBeLessThan(1);
    expect(drawn.every((r) => r.hasBody)).toBe(true);
    expect(drawn.some((r) => 'if-match' in r.headers)).toBe(true);
    expect(drawn.some((r) => !('if-match' in r.headers))).toBe(true);
    expect(fc.sample(requestArbitrary(document, things!), 100).every((r) => typeof r.query.q === 'string')).toBe(true);
  });

  it('refuses cookie parameters and styles other than the default', () => {
    const withParameter = (parameter: object) =>
      documentWith({}, { '/x': { get: { parameters: [parameter], responses: { 200: { description: 'OK' } } } } });
    const cookie = withParameter({ name: 's', in: 'cookie', schema: { type: 'string' } });
    expect(() => requestArbitrary(cookie, listOperations(cookie)[0]!)).toThrow('#/paths/~1x/get/parameters/0: a cookie parameter');
    const deep = withParameter({ name: 'f', in: 'query', style: 'deepObject', schema: { type: 'object' } });
    expect(() => requestArbitrary(deep, listOperations(deep)[0]!)).toThrow('the style `deepObject`');
  });
});
