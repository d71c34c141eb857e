import type { Request, RequestHandler } from 'express';
import { authenticate, type FailedAuthLimiter } from '../kernel/auth';
import { UnauthorizedError } from '../kernel/errors';
import type { ExerciseService } from './exercise-service';
import type { Principal } from './exercise-types';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
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
