import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { ValidationError } from './errors';

/** Where in a file given as text a problem lies (a scenario's YAML), 1-based. */
interface FilePosition {
  line?: number;
  column?: number;
}

/**
 * Formats zod issues as `{ field, message }` with dotted paths, so a 400 names the field; an issue
 * that carries `params.line` (and `params.column`) keeps them.
 */
export function describeIssues(
  error: z.ZodError,
  prefix?: string,
): ({ field: string; message: string } & FilePosition)[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => (path ? `${path}.${k}` : k)) : [];
    const { line, column } = ((issue.code === 'custom' && issue.params) || {}) as FilePosition;
    return {
      field: keys.join(', ') || path || '(body)',
      message: issue.message,
      ...(typeof line === 'number' && { line }),
      ...(typeof column === 'number' && { column }),
    };
  });
}

export function toValidationError(error: z.ZodError, prefix: string): ValidationError {
  const problems = describeIssues(error, prefix);
  return new ValidationError(problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
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
