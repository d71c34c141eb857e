/** One error type for every client-facing failure; the middleware answers `{ error: { code, message, details? } }`. */
import { ERROR_CODES, type ErrorCode } from './error-codes';

export class AppError extends Error {
  readonly status: number;
  /** When set, the answer's `Retry-After`: the failure is passing, and this is when to try again. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    options: { retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = ERROR_CODES[code].status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super('VALIDATION_FAILED', message, details);
  }

  /** A 400 naming one field. */
  static of(field: string, message: string): ValidationError {
    return new ValidationError(`${field}: ${message}`, [{ field, message }]);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'A valid bearer token is required') {
    super('UNAUTHORIZED', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string, details?: unknown) {
    super('FORBIDDEN', message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`);
  }
}

/** The event is not accepted in the current state; `allowedEvents` says what is. */
export class InvalidTransitionError extends AppError {
  constructor(event: string, state: string, allowedEvents: string[]) {
    super('INVALID_TRANSITION', `${event} is not allowed in state ${state}`, { state, allowedEvents });
  }
}

/** Someone else changed the resource since the caller read it. */
export class StaleVersionError extends AppError {
  constructor(message = 'The notice was changed by another request; reload it and try again', details?: unknown) {
    super('STALE_VERSION', message, details);
  }
}

/** APPROVE while blocking checks fail; the message may say, in words, what to do about them. */
export class ChecksFailedError extends AppError {
  constructor(failingChecks: string[], message?: string, details?: { fields?: string[] }) {
    super('CHECKS_FAILED', message ?? `Blocking compliance checks fail: ${failingChecks.join(', ')}`, {
      failingChecks,
      ...details,
    });
  }
}

/** `If-Match` names a version other than the current one: 409, saying which is current. */
export function checkIfMatch(ifMatch: number | undefined, version: number): void {
  if (ifMatch !== undefined && ifMatch !== version) {
    throw new StaleVersionError(`If-Match ${ifMatch} does not match the current version ${version}`, {
      currentVersion: version,
    });
  }
}
