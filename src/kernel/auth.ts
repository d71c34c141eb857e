import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { AppError, UnauthorizedError } from './errors';

const BEARER = /^Bearer ([A-Za-z0-9_\-.~+/]{1,200}=*)$/;

/** The token of `Authorization: Bearer <token>`, or null when the header is missing or malformed. */
export function bearerTokenOf(req: Request): string | null {
  return BEARER.exec(req.get('authorization') ?? '')?.[1] ?? null;
}

/**
 * Limits failed authentications per client address. Only requests whose credentials fail pass
 * through it: within `limit` a minute they get their 401, past it a 429 with `Retry-After`. A request
 * with valid credentials never reaches it, so one trainee's typos cannot lock a classroom behind one
 * address out.
 */
export interface FailedAuthLimiter {
  refuse(req: Request, res: Response, next: NextFunction, error: AppError): void;
}

export function failedAuthLimiter(limit: number): FailedAuthLimiter {
  const limiter = rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next, options) =>
      next(
        new AppError(
          'TOO_MANY_FAILED_AUTHENTICATIONS',
          `Too many failed authentications from this address; try again in ${options.windowMs / 1000} s`,
        ),
      ),
  });
  return {
    refuse: (req, res, next, error) => {
      void limiter(req, res, (limitError?: unknown) => next(limitError ?? error));
    },
  };
}

/**
 * Resolves the bearer token with `resolve` and hands the caller to `accept`; no token, a malformed
 * header or an unknown token is a 401 (a 429 past the failure limit).
 */
export function authenticate<P>(
  resolve: (token: string) => Promise<P | null>,
  accept: (req: Request, principal: P) => void,
  limiter: FailedAuthLimiter,
): RequestHandler {
  return async (req, res, next) => {
    const token = bearerTokenOf(req);
    // The token is looked up by its SHA-256, so no comparison ever runs on the token itself.
    const principal = token === null ? null : await resolve(token);
    if (principal !== null) {
      accept(req, principal);
      next();
      return;
    }
    limiter.refuse(req, res, next, new UnauthorizedError(token === null ? undefined : 'Unknown or revoked token'));
  };
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * With an admin token configured, the request must carry it (compared in constant time, as digests of
 * equal length); without one, anyone may pass.
 */
export function requireAdmin(adminToken: string | undefined, limiter: FailedAuthLimiter): RequestHandler[] {
  if (!adminToken) return [];
  const expected = sha256(adminToken);
  return [
    (req, res, next) => {
      const token = bearerTokenOf(req);
      if (token !== null && timingSafeEqual(sha256(token), expected)) {
        next();
        return;
      }
      limiter.refuse(req, res, next, new UnauthorizedError('The admin token is required to create or list exercises'));
    },
  ];
}
