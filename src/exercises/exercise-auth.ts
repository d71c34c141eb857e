import type { Request, RequestHandler } from 'express';
import { authenticate, type FailedAuthLimiter } from '../kernel/auth';
import { NotFoundError, UnauthorizedError } from '../kernel/errors';
import type { ExerciseService } from './exercise-service';
import { principalOfIdentity, type Admission, type Caller, type Principal } from './exercise-types';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    /** Set by `identifyParticipant`, until the route's admission gives the principal. */
    caller?: Caller;
  }
}

/** Resolves `Authorization: Bearer <token>` to the participant it names; none or an unknown one is a 401. */
export function authenticateParticipant(exercises: ExerciseService, limiter: FailedAuthLimiter): RequestHandler {
  return authenticate(
    (token) => exercises.authenticate(token),
    (req, principal) => {
      req.principal = principal;
    },
    limiter,
  );
}

/** The caller, set by `authenticateParticipant`. */
export function principalOf(req: Request): Principal {
  if (!req.principal) throw new UnauthorizedError();
  return req.principal;
}

/**
 * As `authenticateParticipant`, for a route that reads the exercise's clock with its own first
 * statement (a country's record event reads it with the notice): it sets `req.caller`, and on an
 * identity cache hit reads nothing. The route then calls `admissionOf`.
 */
export function identifyParticipant(exercises: ExerciseService, limiter: FailedAuthLimiter): RequestHandler {
  return authenticate(
    (token) => exercises.identify(token),
    (req, caller) => {
      req.caller = caller;
    },
    limiter,
  );
}

/**
 * The admission of the caller `identifyParticipant` found, once its route has read the clock: the
 * principal on that clock, then `judge` (what the steps after authentication do on other routes: the
 * injects due first, the pause) and the principal is the request's.
 */
export function admissionOf(
  req: Request,
  exercises: ExerciseService,
  /** True when it changed something (the injects due ran). */
  judge: (req: Request, principal: Principal) => Promise<boolean>,
): Admission {
  const caller = req.caller;
  if (!caller) throw new UnauthorizedError();
  const { exerciseId } = caller.identity;
  return async (read) => {
    // The clock just read if it was of the caller's exercise, else the one read with the token, else one read
    // now: an exercise gone since is a revoked token (401), a database away is the database's answer (503).
    const clock =
      read?.exerciseId === exerciseId
        ? read.clock
        : (caller.clock ??
          (await exercises.clockOf(exerciseId).catch((error: unknown) => {
            if (error instanceof NotFoundError) return null;
            throw error;
          })));
    if (!clock) throw new UnauthorizedError('Unknown or revoked token');
    const principal = principalOfIdentity(caller.identity, clock);
    const moved = await judge(req, principal);
    req.principal = principal;
    return { principal, moved };
  };
}
