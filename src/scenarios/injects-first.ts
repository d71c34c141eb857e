import type { EventEmitter } from 'node:events';
import type { Request, RequestHandler } from 'express';
import type { Principal } from '../exercises/exercise-types';
import { END_OF_TIME_MS, simulatedNow } from '../exercises/clock';
import type { InjectStore } from './inject-store';
import type { Scheduler } from './scheduler';

/**
 * Before a participant's request, the injects that have fallen due (the running clock passed them
 * since the last tick) fire first, so no request overtakes the script in simulated time. When each
 * exercise's next inject falls due is kept in memory: it only ever moves later (an inject fires or
 * fails) except at a reset, which `resets` (its `reset` event) announces, so a value another process
 * made stale costs one needless look. A reset in another process is not heard here: until this
 * process's ticker fires them, the new run's first injects may wait up to one tick. True when it ran
 * injects (what the request read before may have moved).
 */
export function dueInjectsFirst(
  scheduler: Scheduler,
  injects: InjectStore,
  resets?: EventEmitter,
): (req: Request, principal: Principal) => Promise<boolean> {
  const nextAt = new Map<string, number | null>();
  resets?.on('reset', (exerciseId: string) => nextAt.delete(exerciseId));
  const end = new Date(END_OF_TIME_MS);
  return async (req, { exerciseId, clock }) => {
    let due = nextAt.get(exerciseId);
    if (due === undefined) {
      due = (await injects.nextPending(exerciseId, end))?.at.getTime() ?? null;
      nextAt.set(exerciseId, due);
    }
    const now = simulatedNow(clock);
    if (due !== null && due <= now.getTime()) {
      nextAt.delete(exerciseId);
      // The caller's request is not the script's: a failure here is logged, the ticker tries again.
      await scheduler.runDue(exerciseId, now, clock).catch((err: unknown) => {
        req.log.error({ err, exerciseId }, 'running due injects before a request failed');
      });
      return true;
    }
    return false;
  };
}

/** The same, as the step after authentication on every route that takes a principal. */
export function injectsFirst(due: ReturnType<typeof dueInjectsFirst>): RequestHandler {
  return async (req, _res, next) => {
    if (req.principal) await due(req, req.principal);
    next();
  };
}
