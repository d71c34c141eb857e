/** One error type for every client-facing failure; the error middleware turns it into `{ error: { code, message, details? } }`. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super(400, 'VALIDATION_FAILED', message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'A valid bearer token is required') {
    super(401, 'UNAUTHORIZED', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string, details?: unknown) {
    super(403, 'FORBIDDEN', message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super(404, 'NOT_FOUND', `${what} not found`);
  }
}

/** The event is not accepted in the current state; `allowedEvents` says what is. */
export class InvalidTransitionError extends AppError {
  constructor(event: string, state: string, allowedEvents: string[]) {
    super(409, 'INVALID_TRANSITION', `${event} is not allowed in state ${state}`, { state, allowedEvents });
  }
}

/** Someone else changed the resource since the caller read it. */
export class StaleVersionError extends AppError {
  constructor(message = 'The notice was changed by another request; reload it and try again', details?: unknown) {
    super(409, 'STALE_VERSION', message, details);
  }
}

export class ChecksFailedError extends AppError {
  constructor(failingChecks: string[]) {
    super(409, 'CHECKS_FAILED', `Blocking compliance checks fail: ${failingChecks.join(', ')}`, { failingChecks });
  }
}
