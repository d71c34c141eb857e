import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { requestBodySchema, type DrawnRequest, type OpenApiDocument, type Operation } from './openapi-arbitraries';

const BASE = 'https://openapi.invalid/document.json';

/** Ajv's reading of a JSON Pointer fragment: each segment percent-encoded (paths hold `{` and `}`). */
const ajvRef = (pointer: string) => `${BASE}#${pointer.slice(1).split('/').map(encodeURIComponent).join('/')}`;

export interface SchemaProblem {
  /** Where in the value, as a JSON Pointer (`/items/0/state`). */
  at: string;
  message: string;
}

/**
 * Validates values against the schemas of an OpenAPI 3.1 document with Ajv (JSON Schema 2020-12,
 * formats checked), addressing each schema by its JSON Pointer in the document so that its
 * `$ref`s resolve as the document means them.
 */
export class DocumentValidator {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(document: OpenApiDocument) {
    // Not strict: OpenAPI adds keywords of its own (`example`, `discriminator`) to JSON Schema.
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addSchema(document as object, BASE);
  }

  /** The problems of `value` against the schema at `pointer` (`#/components/schemas/Notice`); none when it is valid. */
  validate(pointer: string, value: unknown): SchemaProblem[] {
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ajvRef(pointer) });
      this.compiled.set(pointer, validate);
    }
    return validate(value) ? [] : (validate.errors ?? []).map(describe);
  }

  /** Whether a drawn request is document-valid: every parameter (typed, before serialisation) and the body. */
  validateRequest(document: OpenApiDocument, op: Operation, request: DrawnRequest): SchemaProblem[] {
    const problems: SchemaProblem[] = [];
    const values = { path: request.pathParams, query: request.query, header: request.headers } as const;
    for (const parameter of op.parameters) {
      if (parameter.in === 'cookie') continue;
      const name = parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name;
      const value = values[parameter.in][name];
      if (value === undefined) {
        if (parameter.required || parameter.in === 'path') problems.push({ at: `${parameter.in}.${name}`, message: 'is required but missing' });
        continue;
      }
      if (parameter.schema === undefined) continue;
      problems.push(...this.validate(`${parameter.pointer}/schema`, value).map((p) => ({ ...p, at: `${parameter.in}.${name}${p.at}` })));
    }
    const body = requestBodySchema(document, op);
    if (body && request.hasBody) problems.push(...this.validate(body.pointer, request.body).map((p) => ({ ...p, at: `body${p.at}` })));
    if (body?.required && !request.hasBody) problems.push({ at: 'body', message: 'is required but missing' });
    return problems;
  }
}

function describe(error: ErrorObject): SchemaProblem {
  const extra = error.keyword === 'additionalProperties' ? ` (${String((error.params as { additionalProperty?: string }).additionalProperty)})` : '';
  return { at: error.instancePath, message: `${error.message ?? error.keyword}${extra}` };
}
