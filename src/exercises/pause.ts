/**
 * Pause means pause: while the facilitator has paused the clock, the teams (ncb, gs, ccf) change
 * nothing. The facilitator still acts, reads and the stream go on, and injects and `system` deadlines
 * still fire when the facilitator advances the clock (they are not a team's requests). An exercise
 * created with `freezeWhilePaused: false` lets its teams play on a paused clock.
 */
import type { RequestHandler } from 'express';
import { AppError } from '../kernel/errors';
import { simulatedNow } from './clock';
import { principalOf } from './exercise-auth';
import type { Principal, Role } from './exercise-types';

/** The roles played by teams of trainees; a pause stops them. */
export const TEAM_ROLES: ReadonlySet<Role> = new Set<Role>(['ncb', 'gs', 'ccf']);

export class ExercisePausedError extends AppError {
  constructor(pausedAt: Date) {
    super(
      'EXERCISE_PAUSED',
      'The exercise is paused by the facilitator: nothing can be changed until the facilitator resumes the clock. ' +
        'You can still read everything.',
      { pausedAt: pausedAt.toISOString() },
    );
  }
}

/** Throws `EXERCISE_PAUSED` when the caller is a team and its exercise's clock is paused with teams frozen. */
export function refuseWhilePaused(principal: Principal): void {
  const { clock } = principal;
  if (!clock.running && clock.freezeWhilePaused && TEAM_ROLES.has(principal.role)) {
    throw new ExercisePausedError(simulatedNow(clock));
  }
}

/**
 * Given (after authentication) to every route by which a team changes something: the one place the
 * rule is applied. It judges the clock as read with the caller's token: a request already past this
 * point when a pause commits finishes, stamped at the paused instant, as if it came just before it.
 */
export const whileRunning: RequestHandler = (req, _res, next) => {
  refuseWhilePaused(principalOf(req));
  next();
};
