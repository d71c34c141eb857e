import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { bearer, createExercise, publishedNotice, redRequest, send, yellowRequest, type ExerciseFixture } from '../support/fixtures';
import { createTestApp, describeEachDatabase, type Agent, type TestApp } from '../support/http';
import {
  HTTP_METHODS,
  listOperations,
  requestArbitrary,
  requestBodySchema,
  requestHeaders,
  requestUrl,
  resolvePointer,
  type DrawnRequest,
  type JsonSchema,
  type OpenApiDocument,
  type Operation,
  type RequestValues,
} from '../support/openapi-arbitraries';
import { lintOpenApi } from '../support/openapi-lint';
import { DocumentValidator } from '../support/openapi-validator';

/**
 * The OpenAPI document as a contract: every operation gets a few hundred requests the document
 * allows (real ids and tokens mostly, so they get past 404 and 401), and the server must answer
 * each with a status the document lists for it and a body its schema for that status accepts. A
 * 400 to such a request must give a reason the document states: each `details[].message` must
 * appear (case-insensitively) in the `description` of the field's schema, of a schema enclosing it,
 * of its parameter, or of the operation. So either the schema expresses the rule (pattern, enum,
 * minimum, ...) and the request is no longer drawn, or a description says it.
 *
 * Left out: `GET /api/exercises/{id}/stream`, whose answer never ends (Server-Sent Events).
 * `OPENAPI_FUZZ_RUNS` sets the requests per operation (default 200), `OPENAPI_FUZZ_SEED` replays a run.
 */
const RUNS = Number(process.env.OPENAPI_FUZZ_RUNS ?? 200);
const SEED = process.env.OPENAPI_FUZZ_SEED ? Number(process.env.OPENAPI_FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
// Streams never end by themselves; starting a simulation is minutes of CPU each (test/http/simulations.test.ts).
const SKIPPED = new Set(['get /api/exercises/{id}/stream', 'post /api/simulations', 'get /api/simulations/{id}/stream']);
const MEMBERS = ['MC', 'FR', 'RS', 'IT'];

const key = (op: Pick<Operation, 'method' | 'path'>) => `${op.method} ${op.path}`;
const title = (op: Pick<Operation, 'method' | 'path'>) => `${op.method.toUpperCase()} ${op.path}`;

async function fetchDocument(http: Agent): Promise<OpenApiDocument> {
  const res = await http.get('/api/openapi.json').expect(200);
  return res.body as OpenApiDocument;
}

const needsToken = (document: OpenApiDocument, op: Operation) =>
  (op.operation.security ?? document.security ?? []).some((requirement) => Object.keys(requirement).length > 0);

// What the server is asked with: an exercise with a token per role and notices in many states.

interface World {
  exercise: ExerciseFixture;
  other: ExerciseFixture;
  notices: string[];
  otherNotices: string[];
  /** Observers created to be revoked by the DELETE requests, so that no token the others use is. */
  disposable: string[];
  tokens: string[];
}

async function noticesInManyStates(http: Agent, ex: ExerciseFixture): Promise<string[]> {
  const mc = ex.tokens['ncb:MC']!;
  const gs = ex.tokens.gs!;
  const create = async (request: object) => (await http.post(`/api/exercises/${ex.id}/notices`).set(bearer(mc)).send(request).expect(201)).body.id as string;
  const draft = await create(redRequest());
  const submitted = await create(yellowRequest());
  await send(http, mc, submitted, { type: 'SUBMIT' });
  const underReview = await create(redRequest());
  await send(http, mc, underReview, { type: 'SUBMIT' });
  await send(http, gs, underReview, { type: 'START_REVIEW' });
  const infoRequested = await create(redRequest());
  await send(http, mc, infoRequested, { type: 'SUBMIT' });
  await send(http, gs, infoRequested, { type: 'START_REVIEW' });
  await send(http, gs, infoRequested, { type: 'REQUEST_INFO', question: 'Which fingerprints?' });
  const red = (await publishedNotice(http, ex, redRequest({ publicExtractConsent: true }))).id as string;
  await http.post(`/api/notices/${red}/circulation/FR/events`).set(bearer(ex.tokens['ncb:FR']!)).send({ type: 'REPORT_HIT', details: 'Nice airport' }).expect(200);
  const yellow = (await publishedNotice(http, ex, yellowRequest({ publicExtractConsent: true }))).id as string;
  const suspended = (await publishedNotice(http, ex, redRequest())).id as string;
  await send(http, mc, suspended, { type: 'SUSPEND', reason: 'Checking the warrant' });
  const withdrawn = (await publishedNotice(http, ex, yellowRequest())).id as string;
  await send(http, mc, withdrawn, { type: 'WITHDRAW', reason: 'Found' });
  return [draft, submitted, underReview, infoRequested, red, yellow, suspended, withdrawn];
}

async function buildWorld(http: Agent): Promise<World> {
  // Self-paced: the fuzz pauses and resets the clock, and the world's notices are made again after it.
  const exercise = await createExercise(http, MEMBERS, 'Test exercise', { freezeWhilePaused: false });
  const other = await createExercise(http, ['MC'], 'Test exercise', { freezeWhilePaused: false });
  const notices = await noticesInManyStates(http, exercise);
  const otherNotices = [(await publishedNotice(http, other, redRequest())).id as string];
  const disposable: string[] = [];
  for (let i = 0; i < 6; i++) {
    const res = await http.post(`/api/exercises/${exercise.id}/participants`).set(bearer(exercise.facilitator)).send({ role: 'observer' }).expect(201);
    disposable.push(res.body.id as string);
  }
  const tokens = [exercise.facilitator, ...Object.values(exercise.tokens), other.facilitator, other.tokens.gs!];
  return { exercise, other, notices, otherNotices, disposable, tokens };
}

/** A scenario file of the repository, as the object the document describes. */
const MONACO_SCENARIO = parseYaml(readFileSync(path.resolve(__dirname, '../../scenarios/monaco-fingerprints.yaml'), 'utf8')) as unknown;

/** Events a participant would send, one of each type. */
const NOTICE_EVENTS: object[] = [
  { type: 'SUBMIT' },
  { type: 'START_REVIEW' },
  { type: 'REQUEST_INFO', question: 'Which identifiers?' },
  { type: 'PROVIDE_INFO', answer: 'Fingerprints attached', changes: { subject: { dnaRef: 'DNA-1' } } },
  { type: 'APPROVE', article3Cleared: true },
  { type: 'REFUSE', reason: 'Predominantly political', grounds: ['ARTICLE_3'] },
  { type: 'SUSPEND', reason: 'Checking the warrant' },
  { type: 'RESUME' },
  { type: 'RENEW', reason: 'Still wanted' },
  { type: 'REPORT_LOCATED', details: 'Found in Genoa' },
  { type: 'WITHDRAW', reason: 'Arrested' },
  { type: 'CANCEL', reason: 'Warrant lapsed' },
  { type: 'DELETE', decisionRef: 'CCF/2026/1' },
];
const CIRCULATION_EVENTS: object[] = [
  { type: 'ACKNOWLEDGE' },
  { type: 'REPORT_HIT', details: 'Seen at Nice airport' },
  { type: 'PROVISIONAL_ARREST' },
  { type: 'DECLINE_ACTION', reason: 'No extradition treaty' },
  { type: 'SURRENDER' },
  { type: 'REPORT_LOCATED', details: 'Found in Genoa' },
];

/** Real values for an operation's parameters and body, drawn more often than the document's own. */
function realValues(op: Operation, world: World): RequestValues {
  const exercises = fc.oneof({ weight: 4, arbitrary: fc.constant(world.exercise.id) }, { weight: 1, arbitrary: fc.constant(world.other.id) });
  const notices = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...world.notices) }, { weight: 1, arbitrary: fc.constantFrom(...world.otherNotices) });
  const pathValues: Record<string, fc.Arbitrary<unknown>> = {};
  for (const name of [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)) {
    if (name === 'id' && op.path.startsWith('/api/notices/')) pathValues.id = notices;
    else if (name === 'id' && op.path.includes('/exercises/')) pathValues.id = exercises;
    else if (name === 'nid') pathValues.nid = notices;
    else if (name === 'pid') pathValues.pid = fc.constantFrom(...world.disposable);
    else if (name === 'country') pathValues.country = fc.constantFrom(...MEMBERS);
  }
  const values: RequestValues = {
    path: pathValues,
    query: { country: fc.constantFrom(...MEMBERS) },
    // What clients send as If-Match and the document allows: the version, quoted or weak as HTTP has it.
    header: { 'if-match': fc.oneof({ weight: 4, arbitrary: fc.nat({ max: 12 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom('"2"', 'W/"2"') }) },
  };
  // Durations a facilitator would type and the pattern allows: the README's, a zero one, and over ten years.
  if (key(op) === 'post /api/exercises/{id}/clock') {
    values.body = fc.constantFrom('P30D', 'PT6H', 'P6Y', 'P11Y', 'PT0S', 'P1M').map((by) => ({ action: 'advance', by }));
  }
  if (key(op) === 'post /api/exercises') values.body = fc.oneof(fc.constant({ name: 'Conformance' }), fc.constant({ scenario: MONACO_SCENARIO }));
  if (key(op) === 'post /api/exercises/{id}/notices') values.body = fc.constantFrom(redRequest(), yellowRequest());
  if (key(op) === 'post /api/exercises/{id}/participants') {
    values.body = fc.constantFrom({ role: 'gs' }, { role: 'ccf' }, { role: 'observer' }, ...MEMBERS.map((country) => ({ role: 'ncb', country })));
  }
  // A token sheet re-issues the tokens it prints: only the disposable observers', so the others keep working.
  if (key(op) === 'post /api/exercises/{id}/token-sheet') values.body = fc.subarray(world.disposable, { minLength: 1 }).map((participants) => ({ participants }));
  if (key(op) === 'post /api/notices/{id}/events') values.body = fc.constantFrom(...NOTICE_EVENTS);
  if (key(op) === 'post /api/notices/{id}/circulation/{country}/events') values.body = fc.constantFrom(...CIRCULATION_EVENTS);
  return values;
}

interface Sample {
  request: DrawnRequest;
  token: string | undefined;
}

function samples(document: OpenApiDocument, op: Operation, world: World, runs: number, seed: number): Sample[] {
  const token = needsToken(document, op)
    ? fc.oneof({ weight: 19, arbitrary: fc.constantFrom(...world.tokens) }, { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,60}$/) })
    : fc.constant(undefined);
  const arbitrary = fc.record({ request: requestArbitrary(document, op, { values: realValues(op, world) }), token });
  return fc.sample(arbitrary, { numRuns: runs, seed });
}

async function sendSample(http: Agent, sample: Sample) {
  const { request } = sample;
  let req = http[request.method as 'get'](requestUrl(request));
  for (const [name, value] of Object.entries(requestHeaders(request))) req = req.set(name, value);
  if (sample.token !== undefined) req = req.set('Authorization', `Bearer ${sample.token}`);
  if (request.hasBody) req = req.set('Content-Type', 'application/json').send(JSON.stringify(request.body));
  return req;
}

// Judging the answers

interface Finding {
  /** What is wrong, the same for every request it happens to (values in messages left out). */
  signature: string;
  /** The field a 400 names (array indices as `*`); findings of one signature list every field they were seen at. */
  field?: string;
  /** The value of that field. */
  value?: string;
}

type Response = Awaited<ReturnType<typeof sendSample>>;

const normaliseField = (field: string) => field.replace(/\.\d+(?=\.|$)/g, '.*');
/**
 * Whether one of the texts states the message. A rule about something the request names states it
 * with a placeholder (`no participant <key>`), and the server quotes what it names (`no participant
 * "monaco"`): both become `…` before the texts are searched.
 */
const generic = (text: string) => text.replace(/<[^<>\s]+>/g, '…').replace(/"[^"]*"/g, '…').toLowerCase();
const contains = (texts: string[], message: string) => texts.some((t) => generic(t).includes(generic(message)));

/** The descriptions of the schema at `segments` below `schema`, and of every schema on the way there. */
function descriptionsAlong(document: OpenApiDocument, schema: JsonSchema | undefined, segments: string[], seen: string[] = []): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const own = typeof schema.description === 'string' ? [schema.description] : [];
  if (typeof schema.$ref === 'string' && !seen.includes(schema.$ref)) {
    return [...own, ...descriptionsAlong(document, resolvePointer(document, schema.$ref) as JsonSchema, segments, [...seen, schema.$ref])];
  }
  const branches = [...((schema.oneOf as JsonSchema[]) ?? []), ...((schema.anyOf as JsonSchema[]) ?? []), ...((schema.allOf as JsonSchema[]) ?? [])];
  const fromBranches = branches.flatMap((b) => descriptionsAlong(document, b, segments, seen));
  const [head, ...rest] = segments;
  if (head === undefined) return [...own, ...fromBranches];
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const child =
    properties[head] ??
    (/^\d+$/.test(head) && schema.items ? (schema.items as JsonSchema) : undefined) ??
    (typeof schema.additionalProperties === 'object' ? (schema.additionalProperties as JsonSchema) : undefined);
  return [...own, ...fromBranches, ...descriptionsAlong(document, child, rest, seen)];
}

/** Where the document could state the rule a 400 names for `field` (`body.offence.law`, `query.offset`, `headers.if-match`). */
function statedTexts(document: OpenApiDocument, op: Operation, field: string): string[] {
  const texts = op.operation.description ? [op.operation.description] : [];
  const [part, ...segments] = field.split('.');
  if (part === 'body') {
    const body = requestBodySchema(document, op);
    const requestBody = op.operation.requestBody as { description?: string } | undefined;
    if (requestBody?.description) texts.push(requestBody.description);
    if (body) texts.push(...descriptionsAlong(document, body.schema, segments));
    return texts;
  }
  const where = { params: 'path', query: 'query', headers: 'header' }[part ?? ''];
  const parameter = op.parameters.find((p) => p.in === where && p.name.toLowerCase() === segments[0]?.toLowerCase());
  if (parameter?.description) texts.push(parameter.description);
  if (parameter) texts.push(...descriptionsAlong(document, parameter.schema, segments.slice(1)));
  return texts;
}

/** JSON with everything outside printable ASCII escaped, so that a report shows whitespace, NUL and surrogates as they are. */
const ascii = (value: unknown): string =>
  (JSON.stringify(value) ?? 'undefined').replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

function describeRequest(sample: Sample): string {
  const { request } = sample;
  const headers = Object.entries(requestHeaders(request)).map(([n, v]) => ` [${n}: ${ascii(v)}]`).join('');
  const body = request.hasBody ? ` ${ascii(request.body)}` : '';
  return clip(`${request.method.toUpperCase()} ${requestUrl(request)}${headers}${body}`, 240);
}

/** The value a 400 names by its field (`body.offence.law`, `params.id`), to show beside the message. */
function valueAt(request: DrawnRequest, field: string): unknown {
  const [part, ...segments] = field.split('.');
  const roots: Record<string, unknown> = { body: request.body, params: request.pathParams, query: request.query, headers: request.headers };
  let node = roots[part ?? ''];
  for (const segment of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** Every string in a request, to tell a message's quoted values from its words. */
function strings(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') into.add(value);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, into);
  return into;
}

/**
 * A message with the request's own values (`no participant k-3`) as `…`, so that one rule is one
 * finding: a word is taken for a value when the request holds it as a string and the document never uses it.
 */
function withoutValues(message: string, request: DrawnRequest, documentWords: Set<string>): string {
  const values = strings([request.body, request.pathParams, request.query, request.headers]);
  return message
    .split(' ')
    .map((word) => (values.has(word) && !documentWords.has(word.toLowerCase()) ? '…' : word))
    .join(' ');
}

function judge(document: OpenApiDocument, validator: DocumentValidator, op: Operation, sample: Sample, res: Response, words: Set<string>): Finding[] {
  const findings: Finding[] = [];
  const status = String(res.status);
  const responses = op.operation.responses ?? {};
  const documented = responses[status] ?? responses[`${status[0]}XX`] ?? responses.default;
  const error = (res.body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
  if (!documented) {
    const what = error ? `${error.code}: ${error.message}` : (res.text ?? '').slice(0, 120);
    findings.push({ signature: `status ${status} is not documented (answered ${what})` });
  } else {
    const media = (res.headers['content-type'] ?? '').split(';')[0]!.trim();
    const content = documented.content ?? {};
    const empty = !res.text && !(res.body && Object.keys(res.body as object).length);
    if (!Object.keys(content).length) {
      if (!empty) findings.push({ signature: `${status} is documented without a body but has one (${media})` });
    } else if (!(media in content)) {
      findings.push({ signature: `${status} answered as ${media || 'nothing'}; documented: ${Object.keys(content).join(', ')}` });
    } else if (/json/.test(media)) {
      const pointer = `${op.pointer}/responses/${status in responses ? status : `${status[0]}XX`}/content/${media.replace(/\//g, '~1')}/schema`;
      for (const problem of validator.validate(pointer, res.body)) {
        const at = problem.at.replace(/\/\d+(?=\/|$)/g, '/*');
        findings.push({ signature: `${status} body${at || ' (root)'} ${problem.message} (against the documented response schema)` });
      }
    }
  }
  if (res.status === 400) {
    const details = Array.isArray(error?.details) ? (error.details as { field?: unknown; message?: unknown }[]) : null;
    if (!details) {
      if (!contains(statedTexts(document, op, ''), String(error?.message))) {
        findings.push({ signature: `400 without details, ${JSON.stringify(error?.message)}: not stated in the document` });
      }
    } else {
      for (const detail of details) {
        const message = String(detail.message);
        const fields = String(detail.field).split(', ');
        if (fields.some((field) => contains(statedTexts(document, op, field), message))) continue;
        const value = valueAt(sample.request, String(detail.field));
        findings.push({
          signature: `400 ${JSON.stringify(withoutValues(message, sample.request, words))} is not stated in the document`,
          field: normaliseField(String(detail.field)),
          ...(value !== undefined && { value: clip(ascii(value), 120) }),
        });
      }
    }
  }
  return findings;
}

interface Seen {
  count: number;
  fields: Set<string>;
  /** The shortest request that showed it, and the value of the field it names. */
  example: string;
  value?: string;
  field?: string;
}

/** Collects findings by operation: each signature once, with its count, its fields and the shortest request that showed it. */
class Findings {
  private readonly byOperation = new Map<string, Map<string, Seen>>();
  private readonly statuses = new Map<string, Map<number, number>>();

  answered(op: Operation, status: number): void {
    const counts = this.statuses.get(title(op)) ?? new Map<number, number>();
    this.statuses.set(title(op), counts.set(status, (counts.get(status) ?? 0) + 1));
  }

  add(op: Operation, finding: Finding, example: string): void {
    const found = this.byOperation.get(title(op)) ?? new Map<string, Seen>();
    this.byOperation.set(title(op), found);
    const seen = found.get(finding.signature) ?? { count: 0, fields: new Set<string>(), example };
    found.set(finding.signature, seen);
    seen.count++;
    if (finding.field) seen.fields.add(finding.field);
    if (seen.count === 1 || example.length < seen.example.length) Object.assign(seen, { example, value: finding.value, field: finding.field });
  }

  /** Statuses answered per operation, e.g. `200×80 400×30`. */
  summary(operation: string): string {
    const counts = [...(this.statuses.get(operation) ?? new Map<number, number>())].sort(([a], [b]) => a - b);
    return counts.map(([status, n]) => `${status}×${n}`).join(' ');
  }

  report(): string {
    const lines: string[] = [];
    for (const [operation, found] of this.byOperation) {
      lines.push(`${operation} (answered ${this.summary(operation) || 'nothing'})`);
      for (const [signature, seen] of found) {
        const fields = seen.fields.size ? ` at ${[...seen.fields].sort().join(', ')}` : '';
        lines.push(`  - ${signature}${fields} (×${seen.count})`);
        lines.push(`      e.g. ${seen.value !== undefined ? `${seen.field} = ${seen.value} in ` : ''}${seen.example}`);
      }
    }
    return lines.join('\n');
  }
}

/** The words of the document (descriptions, enums, names), lower case. */
const documentWords = (document: OpenApiDocument) => new Set(JSON.stringify(document).toLowerCase().match(/[\w-]+/g) ?? []);

const BATCH = 50;
const changesNotices = (op: Operation) => op.method === 'post' && op.path.startsWith('/api/notices/');

/** Reads first, then what changes notices, then the clock, then revocations and new tokens, which change the most. */
function order(op: Operation): number {
  if (op.method === 'get') return 0;
  if (op.method === 'delete' || op.path.endsWith('/token') || op.path.endsWith('/token-sheet')) return 3;
  if (op.path.endsWith('/clock')) return 2;
  return 1;
}

describe('the OpenAPI document', () => {
  let app: TestApp;
  let document: OpenApiDocument;
  beforeAll(async () => {
    app = await createTestApp('pglite');
    document = await fetchDocument(app.http);
  });
  afterAll(async () => {
    await app?.db.close();
  });

  it('names every operation with a unique operationId', () => {
    const operations = listOperations(document);
    const missing = operations.filter((op) => !op.operation.operationId).map(title);
    const ids = operations.map((op) => op.operation.operationId).filter(Boolean);
    const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect({ missing, duplicates }).toEqual({ missing: [], duplicates: [] });
  });

  it('passes Redocly’s recommended rules without a warning (an operation with nothing to refuse may have no 4xx)', async () => {
    const problems = await lintOpenApi(document);
    const byRule = new Map<string, string[]>();
    for (const p of problems) byRule.set(`${p.severity} ${p.ruleId}: ${p.message}`, [...(byRule.get(`${p.severity} ${p.ruleId}: ${p.message}`) ?? []), p.pointer]);
    const report = [...byRule].map(([rule, at]) => `${rule} ×${at.length}\n${at.map((a) => `    at ${a}`).join('\n')}`).join('\n');
    if (report) throw new Error(`Redocly (recommended) reports ${problems.length} problems:\n${report}`);
  });
});

describeEachDatabase('the server holds to its OpenAPI document', (ctx) => {
  let document: OpenApiDocument;
  let validator: DocumentValidator;
  let world: World;
  beforeAll(async () => {
    const { http } = ctx();
    document = await fetchDocument(http);
    validator = new DocumentValidator(document);
    world = await buildWorld(http);
  });

  it('answers every operation’s document-valid requests with a documented status and body, and a 400 only for stated reasons', async () => {
    const { http } = ctx();
    const findings = new Findings();
    const words = documentWords(document);
    const operations = listOperations(document)
      .filter((op) => !SKIPPED.has(key(op)))
      .sort((a, b) => order(a) - order(b));
    for (const op of operations) {
      for (let done = 0; done < RUNS; done += BATCH) {
        // Events move notices on to final states: each batch of them gets notices in many states again.
        if (changesNotices(op)) world.notices = await noticesInManyStates(http, world.exercise);
        let drawn: Sample[];
        try {
          drawn = samples(document, op, world, Math.min(BATCH, RUNS - done), SEED + done);
        } catch (error) {
          findings.add(op, { signature: `no requests could be drawn: ${String(error)}` }, '');
          break;
        }
        for (const sample of drawn) {
          const invalid = validator.validateRequest(document, op, sample.request);
          if (invalid.length) {
            // The converter's mistake, or a default or example the document gives that its own schema refuses.
            findings.add(op, { signature: `drawn request is not document-valid: ${invalid.map((p) => `${p.at} ${p.message}`).join('; ')}` }, describeRequest(sample));
            continue;
          }
          let res: Response;
          try {
            res = await sendSample(http, sample);
          } catch (error) {
            findings.add(op, { signature: `the request failed: ${String(error)}` }, describeRequest(sample));
            continue;
          }
          findings.answered(op, res.status);
          for (const finding of judge(document, validator, op, sample, res, words)) findings.add(op, finding, describeRequest(sample));
        }
      }
    }
    if (process.env.OPENAPI_FUZZ_VERBOSE) console.info(operations.map((op) => `${title(op)}: ${findings.summary(title(op))}`).join('\n'));
    const report = findings.report();
    if (report) throw new Error(`Answers the OpenAPI document does not allow (seed ${SEED}, ${RUNS} requests per operation):\n${report}`);
  }, 480_000);

  it('answers a method a known path does not take with 405 and an Allow header listing those it takes', async () => {
    const { http } = ctx();
    const problems: string[] = [];
    for (const [template, item] of Object.entries(document.paths ?? {})) {
      const allowed = HTTP_METHODS.filter((m) => m in item);
      const url = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
        if (name === 'country') return 'FR';
        if (name === 'pid') return world.disposable[0]!;
        if (template.startsWith('/api/machines/')) return 'notice-red';
        if (template.startsWith('/api/notices/') || name === 'nid') return world.notices[0]!;
        return world.exercise.id;
      });
      const wrong = new Map<string, string[]>();
      for (const method of (['get', 'put', 'post', 'patch', 'delete'] as const).filter((m) => !allowed.includes(m))) {
        let req = http[method](url).set(bearer(world.exercise.facilitator));
        if (method !== 'get' && method !== 'delete') req = req.set('Content-Type', 'application/json').send('{}');
        const res = await req;
        const allow = (res.headers.allow ?? '').split(',').map((m: string) => m.trim().toLowerCase()).filter(Boolean);
        const missing = allowed.filter((m) => !allow.includes(m));
        const extra = allow.filter((m: string) => !allowed.includes(m as (typeof allowed)[number]) && m !== 'head' && m !== 'options');
        if (res.status !== 405 || missing.length || extra.length) {
          const answer = `${res.status}${res.body?.error ? ` ${res.body.error.code}` : ''}, Allow: ${res.headers.allow ?? '(none)'}`;
          wrong.set(answer, [...(wrong.get(answer) ?? []), method.toUpperCase()]);
        }
      }
      for (const [answer, methods] of wrong) {
        problems.push(`${methods.join(', ')} ${template}: ${answer} (expected 405, Allow: ${allowed.map((m) => m.toUpperCase()).join(', ')})`);
      }
    }
    if (problems.length) throw new Error(`Methods a path does not take, on ${problems.length} paths:\n${problems.join('\n')}`);
  });
});

const ADMIN_TOKEN = 'conformance-admin-token';
const LIMIT = 3;

describeEachDatabase(
  'the server holds to its OpenAPI document when it limits failed authentications and has an admin token',
  (ctx) => {
    let document: OpenApiDocument;
    let validator: DocumentValidator;
    let world: World;
    beforeAll(async () => {
      const { http } = ctx();
      document = await fetchDocument(http);
      validator = new DocumentValidator(document);
      // createExercise posts without a token: with an admin token configured, exercises are made here.
      const created = async (countries: string[]) => {
        const res = await http.post('/api/exercises').set(bearer(ADMIN_TOKEN)).send({ name: 'Limits' }).expect(201);
        const ex: ExerciseFixture = { id: res.body.id, facilitator: res.body.facilitatorToken, tokens: {} };
        for (const [k, body] of [['gs', { role: 'gs' }], ...countries.map((c) => [`ncb:${c}`, { role: 'ncb', country: c }] as const)] as const) {
          ex.tokens[k] = (await http.post(`/api/exercises/${ex.id}/participants`).set(bearer(ex.facilitator)).send(body).expect(201)).body.token;
        }
        return ex;
      };
      const exercise = await created(MEMBERS);
      const other = await created(['MC']);
      const notice = (await http.post(`/api/exercises/${exercise.id}/notices`).set(bearer(exercise.tokens['ncb:MC']!)).send(redRequest()).expect(201)).body.id;
      const disposable = (await http.post(`/api/exercises/${exercise.id}/participants`).set(bearer(exercise.facilitator)).send({ role: 'observer' }).expect(201)).body.id;
      world = { exercise, other, notices: [notice], otherNotices: [notice], disposable: [disposable], tokens: [exercise.facilitator] };
    });

    it('documents the 429 of every operation that checks a token, once failed authentications from the address pass the limit', async () => {
      const { http } = ctx();
      const findings = new Findings();
      const words = documentWords(document);
      for (let i = 0; i <= LIMIT; i++) await http.get('/api/me').set(bearer('not-a-token'));
      for (const op of listOperations(document).filter((o) => !SKIPPED.has(key(o)))) {
        const [sample] = samples(document, op, world, 1, SEED);
        // A real token: the limit is on the address, whatever the token.
        const token = !needsToken(document, op) ? undefined : op.path === '/api/exercises' ? ADMIN_TOKEN : world.exercise.facilitator;
        const request: Sample = { ...sample!, token };
        if (validator.validateRequest(document, op, request.request).length) continue;
        const res = await sendSample(http, request);
        findings.answered(op, res.status);
        for (const f of judge(document, validator, op, request, res, words)) if (f.signature.startsWith('status')) findings.add(op, f, describeRequest(request));
      }
      const report = findings.report();
      if (report) throw new Error(`After ${LIMIT + 1} failed authentications from this address (limit ${LIMIT}):\n${report}`);
    });
  },
  { authFailureLimit: LIMIT, adminToken: ADMIN_TOKEN },
);
