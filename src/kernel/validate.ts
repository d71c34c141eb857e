import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { ValidationError } from './errors';

/**
 * Where a problem lies in words people read (`inject 6, as`), and in a file given as text (a
 * scenario's YAML), line and column from 1. A custom issue gives them as its `params`.
 */
export interface ProblemPlace {
  where?: string;
  line?: number;
  column?: number;
}

export type Problem = { field: string; message: string } & ProblemPlace;

/** A problem as a sentence: `inject 6, as (line 52, column 9): no participant "spain"`, else `field: message`. */
export const problemText = (p: Problem): string =>
  `${p.where ?? p.field}${p.line !== undefined ? ` (line ${p.line}, column ${p.column})` : ''}: ${p.message}`;

/**
 * Formats zod issues as `{ field, message }` with dotted paths, so a 400 names the field; an issue
 * that names its place (`params.where`, `params.line`, `params.column`) keeps it.
 */
export function describeIssues(error: z.ZodError, prefix?: string): Problem[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => (path ? `${path}.${k}` : k)) : [];
    const { where, line, column } = ((issue.code === 'custom' && issue.params) || {}) as ProblemPlace;
    return {
      field: keys.join(', ') || path || '(body)',
      message: issue.message,
      ...(typeof where === 'string' && { where }),
      ...(typeof line === 'number' && { line }),
      ...(typeof column === 'number' && { column }),
    };
  });
}

export function toValidationError(error: z.ZodError, prefix: string): ValidationError {
  const problems = describeIssues(error, prefix);
  return new ValidationError(problems.map(problemText).join('; '), problems);
}

type Part = 'body' | 'query' | 'params' | 'headers';

declare module 'express-serve-static-core' {
  interface Request {
    /** The headers a route declares, parsed by its schema (the raw ones stay in `headers`). */
    parsedHeaders?: unknown;
  }
}

/** Parses each request part with its schema; a 400 names every bad field. The parsed value replaces the raw one. */
export function validate(schemas: Partial<Record<Part, z.ZodType>>): RequestHandler {
  return (req, _res, next) => {
    for (const part of ['params', 'query', 'headers', 'body'] as const) {
      const schema = schemas[part];
      if (!schema) continue;
      const result = schema.safeParse(part === 'body' && req.body === undefined ? {} : req[part]);
      if (!result.success) throw toValidationError(result.error, part);
      if (part === 'headers') {
        req.parsedHeaders = result.data;
        continue;
      }
      // Express 5 exposes req.query through a getter; define the parsed value in its place.
      Object.defineProperty(req, part, { value: result.data, writable: true, configurable: true, enumerable: true });
    }
    next();
  };
}
