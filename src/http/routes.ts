import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import { validate } from './validate';

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `details` names each bad field',
  401: 'Missing, unknown or revoked token',
  429: 'Too many failed authentications from this address; retry after the time in Retry-After',
  403: 'The caller\'s role may not do this; the message says why',
  404: 'Not found, or not visible to the caller',
  409: 'Not allowed in the current state (`details.allowedEvents`), a blocking check fails, or the version is stale',
  413: 'Body too large',
};

export interface RouteSpec<P extends z.ZodObject, Q extends z.ZodObject, B extends z.ZodType> {
  method: 'get' | 'post' | 'delete';
  /** Express-style path, e.g. `/api/notices/:id`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Middleware run before validation, e.g. authentication. */
  before?: RequestHandler[];
  params?: P;
  query?: Q;
  body?: B;
  headers?: z.ZodObject;
  status?: number;
  /** The body's schema; none for a 204. */
  response?: z.ZodType;
  /** Other formats it answers in (chosen by a query parameter; the handler sends them itself): media type → what it is. */
  formats?: Record<string, string>;
  /** The media type `response` is documented under, when it is not JSON (the handler sends it itself). */
  responseMedia?: string;
  errors: number[];
  handler: (input: { params: z.infer<P>; query: z.infer<Q>; body: z.infer<B>; req: Request; res: Response }) => Promise<unknown>;
}

/**
 * Declares an endpoint once: the Express route with its validation, and the OpenAPI path generated
 * from the same zod schemas, so the document cannot drift from the code.
 */
export function defineRoute<P extends z.ZodObject = z.ZodObject, Q extends z.ZodObject = z.ZodObject, B extends z.ZodType = z.ZodType>(
  router: Router,
  registry: OpenAPIRegistry,
  spec: RouteSpec<P, Q, B>,
): void {
  const status = spec.status ?? 200;
  const security = spec.before?.length ? [{ bearer: [] }] : [];
  const request: RouteConfig['request'] = {
    ...(spec.params && { params: spec.params }),
    ...(spec.query && { query: spec.query }),
    ...(spec.headers && { headers: spec.headers }),
    ...(spec.body && { body: { content: { 'application/json': { schema: spec.body } }, required: true } }),
  };
  registry.registerPath({
    method: spec.method,
    path: spec.path.replace(/:(\w+)/g, '{$1}'),
    summary: spec.summary,
    ...(spec.description && { description: spec.description }),
    tags: spec.tags,
    security,
    request,
    responses: {
      [status]: spec.response
        ? {
            description: 'OK',
            content: {
              [spec.responseMedia ?? 'application/json']: { schema: spec.response },
              ...Object.fromEntries(
                Object.entries(spec.formats ?? {}).map(([type, description]) => [type, { schema: { type: 'string', description } }]),
              ),
            },
          }
        : { description: 'No content' },
      ...Object.fromEntries(
        [...new Set([...(security.length ? [401] : []), ...spec.errors])].map((code) => [
          code,
          { description: ERROR_DESCRIPTIONS[code] ?? 'Error', content: { 'application/json': { schema: ErrorResponse } } },
        ]),
      ),
    },
  });
  const validation = validate({ params: spec.params, query: spec.query, body: spec.body });
  router[spec.method](spec.path, ...(spec.before ?? []), validation, async (req, res) => {
    const result = await spec.handler({
      params: req.params as z.infer<P>,
      query: req.query as z.infer<Q>,
      body: req.body as z.infer<B>,
      req,
      res,
    });
    // A handler that answered by itself (another format than JSON) has nothing left to send.
    if (res.headersSent) return;
    if (spec.response) res.status(status).json(result);
    else res.status(status).end();
  });
}
