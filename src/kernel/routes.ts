import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import { ERROR_CODES, ERROR_CODE_LIST, codesWithStatus } from './error-codes';
import { holdWhile } from './drain';
import { AppError } from './errors';
import {
  IdempotencyKeyHeaders,
  REPLAYED_HEADER,
  idempotentOperation,
  takeFingerprint,
  type IdempotencyRecords,
  type IdempotentCall,
} from './idempotency';
import { validate } from './validate';

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODE_LIST),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });

const replayedHeader = {
  description: '`true` on the first answer sent again, for a request repeated with its `Idempotency-Key`',
  schema: { type: 'string' as const, enum: ['true'] },
};

/** What a status means on an operation: the catalogue's meanings of its codes. */
const describeStatus = (status: number) =>
  codesWithStatus(status)
    .map((code) => `\`${code}\`: ${ERROR_CODES[code].meaning}`)
    .join('. ') || 'Error';

export interface RouteSpec<
  P extends z.ZodObject,
  Q extends z.ZodObject,
  B extends z.ZodType,
  H extends z.ZodObject = z.ZodObject,
> {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Express-style path, e.g. `/api/notices/:id`. */
  path: string;
  /** The operation's name for client generators, e.g. `sendNoticeEvent`. */
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Middleware run before validation, e.g. authentication (which makes the operation need a bearer token). */
  before?: RequestHandler[];
  params?: P;
  query?: Q;
  body?: B;
  /** Headers it reads, validated like the rest (other headers pass). */
  headers?: H;
  status?: number;
  /** The body's schema; none for a 204. */
  response?: z.ZodType;
  /** Other formats it answers in (by a query parameter; the handler sends them itself): media type → what it is. */
  formats?: Record<string, string>;
  /** The media type `response` is documented under, when it is not JSON (the handler sends it itself). */
  responseMedia?: string;
  /** Statuses the rules can answer with (403, 404, 409…); those of validation, bodies and tokens are added. */
  errors: number[];
  /**
   * A creating operation that takes an optional `Idempotency-Key` (src/kernel/idempotency.ts): the
   * handler gets `idempotency` when the request has one, and hands it to the transaction that creates.
   */
  idempotent?: boolean;
  handler: (input: {
    params: z.infer<P>;
    query: z.infer<Q>;
    body: z.infer<B>;
    headers: z.infer<H>;
    req: Request;
    res: Response;
    /** The request's key, to record the answer with what is created; none without a key. */
    idempotency?: IdempotentCall | undefined;
  }) => Promise<unknown>;
}

/** Every status an operation can answer with besides its own: from its inputs and its token check. */
type Inputs = Pick<
  RouteSpec<z.ZodObject, z.ZodObject, z.ZodType>,
  'method' | 'params' | 'query' | 'body' | 'headers' | 'errors' | 'idempotent'
>;

function errorStatuses(spec: Inputs, secured: boolean): number[] {
  const input = spec.params || spec.query || spec.body || spec.headers;
  return [
    ...new Set([
      ...(input ? [400] : []),
      ...(secured ? [401, 429] : []),
      ...spec.errors,
      ...(spec.idempotent ? [422] : []),
      ...(spec.body ? [413, 415] : []),
      // Any request may meet a stopping server or a database away; a change, a commit whose outcome is unknown.
      503,
      ...(spec.method === 'get' ? [] : [504]),
    ]),
  ].sort();
}

export interface Routes {
  readonly router: Router;
  /**
   * Declares an endpoint once: the Express route with its validation, and the OpenAPI path generated
   * from the same zod schemas, so the document cannot drift from the code.
   */
  define<
    P extends z.ZodObject = z.ZodObject,
    Q extends z.ZodObject = z.ZodObject,
    B extends z.ZodType = z.ZodType,
    H extends z.ZodObject = z.ZodObject,
  >(
    spec: RouteSpec<P, Q, B, H>,
  ): void;
  /** After the last route: a known path asked with another method answers 405 with `Allow`. */
  closeMethods(): void;
  /** The OpenAPI 3.1 document of the routes defined. */
  document(info: {
    title: string;
    version: string;
    description: string;
    license: { name: string; identifier: string };
  }): ReturnType<OpenApiGeneratorV31['generateDocument']>;
}

export interface RoutesOptions {
  /** Where the `Idempotency-Key` records of `idempotent` operations are kept. */
  idempotency?: IdempotencyRecords;
}

export function createRoutes(options: RoutesOptions = {}): Routes {
  const router = express.Router();
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A participant or facilitator token, returned when the exercise or participant is created',
  });
  const methods = new Map<string, Set<string>>();

  return {
    router,

    define<P extends z.ZodObject, Q extends z.ZodObject, B extends z.ZodType, H extends z.ZodObject>(
      spec: RouteSpec<P, Q, B, H>,
    ) {
      const status = spec.status ?? 200;
      const secured = Boolean(spec.before?.length);
      if (spec.idempotent && !options.idempotency) throw new Error(`${spec.operationId}: no store for Idempotency-Key`);
      const headers = spec.idempotent
        ? (spec.headers?.extend(IdempotencyKeyHeaders.shape) ?? IdempotencyKeyHeaders)
        : spec.headers;
      const request: RouteConfig['request'] = {
        ...(spec.params && { params: spec.params }),
        ...(spec.query && { query: spec.query }),
        ...(headers && { headers }),
        ...(spec.body && { body: { content: { 'application/json': { schema: spec.body } }, required: true } }),
      };
      const media = spec.responseMedia ?? 'application/json';
      const alternatives = Object.entries(spec.formats ?? {}).map(([type, description]) => [
        type,
        { schema: { type: 'string', description } },
      ]);
      registry.registerPath({
        method: spec.method,
        path: spec.path.replace(/:(\w+)/g, '{$1}'),
        operationId: spec.operationId,
        summary: spec.summary,
        ...(spec.description && { description: spec.description }),
        tags: spec.tags,
        security: secured ? [{ bearer: [] }] : [],
        request,
        responses: {
          [status]: spec.response
            ? {
                description: 'OK',
                ...(spec.idempotent && { headers: { [REPLAYED_HEADER]: replayedHeader } }),
                content: { [media]: { schema: spec.response }, ...Object.fromEntries(alternatives) },
              }
            : { description: 'No content' },
          ...Object.fromEntries(
            errorStatuses(spec, secured).map((code) => [
              code,
              { description: describeStatus(code), content: { 'application/json': { schema: ErrorResponse } } },
            ]),
          ),
        },
      });
      const known = methods.get(spec.path) ?? new Set<string>();
      methods.set(spec.path, known.add(spec.method.toUpperCase()));
      const validation = validate({ params: spec.params, query: spec.query, body: spec.body, headers });
      const idempotent =
        spec.idempotent && options.idempotency
          ? idempotentOperation(options.idempotency, spec.operationId, status)
          : undefined;
      // The fingerprint is of the body as sent: validation replaces it with what it parsed.
      const fingerprint = idempotent ? [takeFingerprint] : [];
      router[spec.method](spec.path, ...(spec.before ?? []), ...fingerprint, validation, async (req, res) => {
        const answer = (idempotency?: IdempotentCall) =>
          spec.handler({
            params: req.params as z.infer<P>,
            query: req.query as z.infer<Q>,
            body: req.body as z.infer<B>,
            headers: (req.parsedHeaders ?? {}) as z.infer<H>,
            req,
            res,
            idempotency,
          });
        // A stop waits for the handler to return, even when its client has gone meanwhile.
        const result = await holdWhile(req, () => (idempotent ? idempotent(req, res, answer) : answer()));
        // A handler that answered by itself (another format than JSON) has nothing left to send.
        if (res.headersSent) return;
        if (spec.response) res.status(status).json(result);
        else res.status(status).end();
      });
    },

    closeMethods() {
      for (const [path, known] of methods) {
        // GET answers HEAD too (Express does so); OPTIONS says what the path takes.
        const allow = [...known, ...(known.has('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
        router.all(path, (req, res) => {
          res.setHeader('Allow', allow);
          if (req.method === 'OPTIONS') {
            res.status(204).end();
            return;
          }
          throw new AppError('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${path}; it takes ${allow}`);
        });
      }
    },

    document(info) {
      return new OpenApiGeneratorV31(registry.definitions).generateDocument({
        openapi: '3.1.0',
        info,
        servers: [{ url: '/' }],
      });
    },
  };
}
