import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { ExerciseService } from '../exercises/exercise-service';
import type { Principal } from '../exercises/exercise-types';
import { AppError, UnauthorizedError } from './errors';
import { simulatedNow } from '../exercises/clock';
import type { Scheduler } from '../scenarios/scheduler';

const BEARER = /^Bearer ([A-Za-z0-9_\-.~+/]{1,200}=*)$/;

export function bearerToken(req: Request): string {
  const match = BEARER.exec(req.get('authorization') ?? '');
  if (!match?.[1]) throw new UnauthorizedError();
  return match[1];
}

/** Resolves `Authorization: Bearer <token>` to the participant it names; none or an unknown one is a 401. */
export function authenticate(exercises: ExerciseService): RequestHandler {
  return async (req, _res, next) => {
    // The token is looked up by its SHA-256, so no comparison ever runs on the token itself.
    const principal = await exercises.authenticate(bearerToken(req));
    if (!principal) throw new UnauthorizedError('Unknown or revoked token');
    req.principal = principal;
    next();
  };
}

/**
 * Before a participant's request, the injects that have fallen due (the running clock passed them
 * since the last tick) fire first, so no request overtakes the script in simulated time.
 */
export function injectsFirst(scheduler: Scheduler): RequestHandler {
  return async (req, _res, next) => {
    const principal = req.principal;
    if (principal?.nextInjectAt) {
      const now = simulatedNow(principal.clock);
      if (principal.nextInjectAt.getTime() <= now.getTime()) {
        // The caller's request is not the script's: a failure here is logged, the ticker tries again.
        await scheduler.runDue(principal.exerciseId, now, principal.clock).catch((err: unknown) => {
          req.log.error({ err, exerciseId: principal.exerciseId }, 'running due injects before a request failed');
        });
      }
    }
    next();
  };
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * With an admin token configured, the request must carry it (compared in constant time, as digests of
 * equal length); without one, anyone may pass.
 */
export function requireAdmin(adminToken: string | undefined): RequestHandler[] {
  if (!adminToken) return [];
  const expected = sha256(adminToken);
  return [
    (req, _res, next) => {
      if (!timingSafeEqual(sha256(bearerToken(req)), expected)) throw new UnauthorizedError('The admin token is required to create exercises');
      next();
    },
  ];
}

/**
 * Counts failed authentications (401) per client address; past `limit` in a minute, every request
 * from that address gets 429 until the minute is over, so tokens cannot be guessed at speed.
 */
export function limitFailedAuthentication(limit: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next, options) =>
      next(new AppError(429, 'TOO_MANY_FAILED_AUTHENTICATIONS', `Too many failed authentications; try again in ${options.windowMs / 1000} s`)),
  });
}

/** The caller, set by `authenticate`. */
export function principalOf(req: Request): Principal {
  if (!req.principal) throw new UnauthorizedError();
  return req.principal;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}
