import type { Request, RequestHandler } from 'express';
import type { ExerciseService } from '../exercises/exercise-service';
import type { Principal } from '../exercises/exercise-types';
import { UnauthorizedError } from './errors';

const BEARER = /^Bearer ([A-Za-z0-9_\-.~+/]{1,200}=*)$/;

/** Resolves `Authorization: Bearer <token>` to the participant it names; none or an unknown one is a 401. */
export function authenticate(exercises: ExerciseService): RequestHandler {
  return async (req, _res, next) => {
    const match = BEARER.exec(req.get('authorization') ?? '');
    if (!match?.[1]) throw new UnauthorizedError();
    const principal = await exercises.authenticate(match[1]);
    if (!principal) throw new UnauthorizedError('Unknown or revoked token');
    req.principal = principal;
    next();
  };
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
